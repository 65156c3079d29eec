"""A package's public names, imported on first use (a module ``__getattr__``, PEP 562).

A package whose ``__init__`` imports its submodules is half-initialised while it runs;
a second thread importing one of those submodules directly then waits on the first,
which waits on it, and Python raises ``_DeadlockError`` in one of them. That happened
when the preview opened while the Publishing area loaded in the background. Loaded on
first use, importing one submodule never runs the others.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping


def load_on_first_use(package: str, exports: Mapping[str, str]) -> Callable[[str], object]:
    """The ``__getattr__`` for ``package``: ``exports`` maps each public name to its module."""

    def attribute(name: str) -> object:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)  # found directly from now on
        return value

    return attribute
