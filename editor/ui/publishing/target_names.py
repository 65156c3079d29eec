"""How publishing targets are named to people: in the target list, column headings, tooltips."""

from __future__ import annotations

from editor.core.publication_state import FOLDER_PREFIX, STORE_PREFIX, THIS_STORE


def _store_address(name: str) -> str:
    from editor.core.store import display_url

    url = name.removeprefix(STORE_PREFIX)
    try:
        return display_url(url)
    except Exception:  # a hand-edited setting; show it as written
        return url


def describe_target(name: str) -> str:
    if name == THIS_STORE:
        return "This store (the articles go live here)"
    if name.startswith(FOLDER_PREFIX):
        return f"Static site folder: {name.removeprefix(FOLDER_PREFIX)}"
    if name.startswith(STORE_PREFIX):
        return f"Another store: {_store_address(name)}"
    return name


def short_target_label(name: str) -> str:
    """A column heading: "This store", "Site · public_html", "Store · db.example.org/news"."""
    if name == THIS_STORE:
        return "This store"
    if name.startswith(FOLDER_PREFIX):
        path = name.removeprefix(FOLDER_PREFIX).strip().rstrip("/\\").replace("\\", "/")
        return f"Site · {path.rsplit('/', 1)[-1] or path or '/'}"
    if name.startswith(STORE_PREFIX):
        return f"Store · {_store_short_name(name)}"
    return name


def _store_short_name(name: str) -> str:
    """ "db.example.org/news" for a server, "newsroom.sqlite3" for a file."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    url = name.removeprefix(STORE_PREFIX).strip()
    try:
        parsed = make_url(url if "://" in url else f"sqlite:///{url}")
    except ArgumentError:
        return url
    if parsed.get_backend_name() == "sqlite":
        return (parsed.database or url).replace("\\", "/").rsplit("/", 1)[-1]
    return f"{parsed.host or 'localhost'}/{parsed.database or ''}"
