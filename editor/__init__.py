"""Newsdesk: a desktop editorial workstation."""

__version__ = "0.1.0"
