"""The command line: one line and exit code 2 for a refused store, the info JSON contract."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from editor import __version__
from editor.cli import main
from editor.core.store import open_store

INFO_KEYS = {"store", "schema", "articles", "comments", "assets"}


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "editor", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=full_env,
        check=False,
    )


def test_version_and_help() -> None:
    version = run_cli("--version")
    assert version.returncode == 0 and version.stdout.strip() == f"newsdesk {__version__}"
    help_text = run_cli("--help")
    assert help_text.returncode == 0
    for command in ("info", "bench", "--store", "--demo"):
        assert command in help_text.stdout


def test_info_json_has_exactly_the_promised_keys(sqlite_url: str) -> None:
    store = open_store(sqlite_url)
    store.close()
    result = run_cli("info", "--json", "--store", sqlite_url)
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert set(info) == INFO_KEYS
    assert info["store"] == sqlite_url
    assert info["articles"] == {"draft": 0, "scheduled": 0, "published": 0, "archived": 0}
    assert info["comments"] == {"pending": 0, "approved": 0, "spam": 0, "trash": 0}
    assert info["assets"] == 0
    assert isinstance(info["schema"], str) and info["schema"]


def test_info_counts_the_demo_store(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--demo", "info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["articles"]["published"] == 2
    assert sum(info["comments"].values()) == 60
    assert info["assets"] == 2


def test_store_from_environment_variable(sqlite_url: str) -> None:
    result = run_cli("info", env={"NEWSDESK_STORE": sqlite_url})
    assert result.returncode == 0, result.stderr
    assert sqlite_url in result.stdout


def test_refused_store_is_one_line_and_exit_code_2(tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(b"\x00garbage" * 1000)
    result = run_cli("info", "--store", str(corrupt))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("newsdesk: ") and "corrupt.sqlite3" in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.postgres
def test_unreachable_postgres_on_the_command_line_is_one_line() -> None:
    result = run_cli(
        "info", "--store", "postgresql+psycopg://newsdesk:hunter2@127.0.0.1:1/newsdesk"
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "hunter2" not in result.stderr and "Traceback" not in result.stderr


def test_every_subcommand_accepts_store() -> None:
    from editor.cli import build_parser

    def leaves(
        parser: argparse.ArgumentParser, prefix: str
    ) -> list[tuple[str, argparse.ArgumentParser]]:
        groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not groups:
            return [(prefix, parser)]
        found = []
        for name, sub in groups[0].choices.items():
            found.extend(leaves(sub, f"{prefix} {name}".strip()))
        return found

    commands = leaves(build_parser(), "")
    assert len(commands) >= 5
    missing = [
        name
        for name, sub in commands
        if name != "screenshot" and not any("--store" in a.option_strings for a in sub._actions)
    ]
    assert missing == []


def test_bench_rejects_an_unknown_group(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "no-such-group"]) == 2
    assert "no benchmark group no-such-group" in capsys.readouterr().err


def test_bench_json_figures_have_exactly_the_contract_keys() -> None:
    from editor.bench import Figure

    figure = Figure("startup.window_shown", 0.2, "s", 0.35)
    assert set(figure.as_json()) == {"name", "value", "unit", "target", "ok"}
    assert figure.as_json()["ok"] is True
    assert Figure("x", 2.0, "s", 1.0).ok is False
    assert Figure("rate", 3000, "1/s", 2000, higher_is_better=True).ok is True
    assert Figure("untargeted", 1.0, "s", None).as_json()["ok"] is None
