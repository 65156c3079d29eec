"""Markdown → the published page: one renderer for the live preview and for publishing."""
