"""Core packages load their parts on first use, so threads can import them at the same time.

A package whose ``__init__`` imports its submodules is half-initialised while it runs; a
second thread importing one of those submodules directly then waits on the first, which
waits on it: Python raises ``_DeadlockError`` in one of them (it happened when the preview
opened while the Publishing area loaded in the background).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import editor.core.publishing
import editor.core.rendering


@pytest.mark.parametrize(
    ("submodule", "package"),
    [
        ("editor.core.rendering.media", "editor.core.rendering"),
        ("editor.core.publishing.progress", "editor.core.publishing"),
    ],
)
def test_importing_one_part_runs_no_other_part(submodule: str, package: str) -> None:
    script = (
        f"import json, sys, {submodule}\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.startswith('{package}.'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = json.loads(result.stdout)
    assert loaded == sorted({submodule, *_imported_by(submodule, package)})


def _imported_by(submodule: str, package: str) -> set[str]:
    """The package's modules that ``submodule`` itself imports (none of its siblings else)."""
    import ast
    import importlib.util

    spec = importlib.util.find_spec(submodule)
    assert spec is not None and spec.origin is not None
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    return {
        node.module
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
        and node.module
        and node.module.startswith(package + ".")
    }


@pytest.mark.parametrize("package", [editor.core.rendering, editor.core.publishing])
def test_every_public_name_still_resolves(package: object) -> None:
    for name in package.__all__:  # type: ignore[attr-defined]
        assert getattr(package, name) is not None, name
