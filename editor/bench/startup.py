"""Cold start: process start → main window shown, and → articles listed, on a sample store."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from editor.bench import BenchContext, Figure

RUNS = 5


def _sample_store(folder: Path) -> str:
    from editor.core.demo import fill_demo_store
    from editor.core.store import open_store, sqlite_url

    url = sqlite_url(folder / "sample.sqlite3")
    store = open_store(url)
    with store.session_factory.begin() as session:
        fill_demo_store(session)
    store.close()
    return url


def _one_start(url: str, env: dict[str, str]) -> tuple[float, float]:
    started = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "editor", "--store", url],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    marks = dict(
        (parts[0], float(parts[1]))
        for parts in (line.split() for line in completed.stdout.splitlines())
        if len(parts) == 2 and parts[0] in ("shown", "ready", "refused")
    )
    if "shown" not in marks or "ready" not in marks:
        raise RuntimeError(f"the app did not report its start: {completed.stderr.strip()[-500:]}")
    return marks["shown"] - started, marks["ready"] - started


def measure(context: BenchContext) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-") as scratch:
        folder = Path(scratch)
        url = context.store_url or _sample_store(folder)
        env = dict(os.environ)
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        env["NEWSDESK_STARTUP_PROBE"] = "1"
        env["XDG_CONFIG_HOME"] = str(folder / "config")
        _one_start(url, env)  # warm the file cache, as the target asks
        shown, ready = zip(*(_one_start(url, env) for _ in range(RUNS)), strict=True)
    return [
        Figure("startup.window_shown", statistics.median(shown), "s", 0.35),
        Figure("startup.articles_listed", statistics.median(ready), "s", None),
    ]
