"""The command line: the one place every ``newsdesk`` subcommand is declared.

Only argparse is imported here so that ``newsdesk`` with no subcommand (the
app) starts fast; each subcommand imports what it needs when it runs.

Exit codes: 0 done, 1 the work ran and failed (a check, a publish), 2 it could
not start (bad arguments, a store that is refused).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

from editor import __version__

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_REFUSED = 2


def _store_option(parser: argparse.ArgumentParser, *, default: object = None) -> None:
    parser.add_argument(
        "--store",
        metavar="URL",
        default=default,
        help="store to open: an SQLite file path or URL, or postgresql+psycopg://user@host/db "
        "(default: $NEWSDESK_STORE, else the SQLite file in your data folder)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsdesk",
        description="Newsdesk: draft, preview, moderate and publish articles. "
        "With no subcommand, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"newsdesk {__version__}")
    _store_option(parser)
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open a throwaway store filled with sample articles, figures and comments",
    )
    # Subcommands share --store; SUPPRESS keeps a top-level --store from being reset.
    subcommands = parser.add_subparsers(dest="command", metavar="COMMAND")

    info = subcommands.add_parser("info", help="show where the store is, its schema and counts")
    _store_option(info, default=argparse.SUPPRESS)
    info.add_argument("--json", action="store_true", help="print one JSON object")
    info.set_defaults(handler=_run_info)

    bench = subcommands.add_parser("bench", help="measure the benchmark figures")
    _store_option(bench, default=argparse.SUPPRESS)
    bench.add_argument("groups", nargs="*", metavar="NAME", help="groups to run (default: all)")
    bench.add_argument("--json", action="store_true", help="print a JSON list of figures")
    bench.set_defaults(handler=_run_bench)

    shots = subcommands.add_parser(
        "screenshot", help="save PNG screenshots of the window with the demo store (offscreen)"
    )
    shots.add_argument("folder", nargs="?", default="resources/screenshots")
    shots.add_argument(
        "--wxr",
        metavar="FILE",
        default=None,
        help="also import this WordPress export into a scratch store and show an article "
        "and its comment queue",
    )
    shots.set_defaults(handler=_run_screenshot)

    login = subcommands.add_parser(
        "store-login", help="save a remote store's password in the system keyring"
    )
    _store_option(login, default=argparse.SUPPRESS)
    login.add_argument("--forget", action="store_true", help="remove the saved password")
    login.set_defaults(handler=_run_store_login)

    import_wxr = subcommands.add_parser(
        "import-wxr",
        help="import a WordPress export (WXR): posts, pages, media references, comments",
    )
    _store_option(import_wxr, default=argparse.SUPPRESS)
    import_wxr.add_argument("file", metavar="FILE", help="the .xml file from Tools → Export")
    import_wxr.set_defaults(handler=_run_import_wxr)

    export_wxr = subcommands.add_parser(
        "export-wxr", help="write the store's articles and comments as a WordPress export"
    )
    _store_option(export_wxr, default=argparse.SUPPRESS)
    export_wxr.add_argument("file", metavar="FILE", help="the .xml file to write")
    export_wxr.add_argument(
        "--site-url", default=None, help="the site address written into the export"
    )
    export_wxr.set_defaults(handler=_run_export_wxr)

    comments = subcommands.add_parser("comments", help="import or purge comments")
    comment_commands = comments.add_subparsers(dest="comments_command", metavar="ACTION")
    comments.set_defaults(handler=lambda _args: _fail("say what to do: comments import|purge"))
    comments_import = comment_commands.add_parser(
        "import", help="receive comments from a CSV or JSON file through the intake rules"
    )
    _store_option(comments_import, default=argparse.SUPPRESS)
    comments_import.add_argument("file", metavar="FILE", help="a .csv, .json or .jsonl file")
    comments_import.set_defaults(handler=_run_comments_import)
    comments_purge = comment_commands.add_parser(
        "purge", help="delete spam and trash older than some days (asks for --yes)"
    )
    _store_option(comments_purge, default=argparse.SUPPRESS)
    comments_purge.add_argument(
        "--older-than",
        type=int,
        metavar="DAYS",
        default=None,
        help="age in days (default: the store's retention setting, 30 unless changed)",
    )
    comments_purge.add_argument("--yes", action="store_true", help="really delete them")
    comments_purge.set_defaults(handler=_run_comments_purge)

    spam_eval = subcommands.add_parser(
        "spam-eval",
        help="replay labelled messages through the learned spam filter and report how it did",
    )
    # Accepted like everywhere else; the evaluation starts cold and never opens a store.
    _store_option(spam_eval, default=argparse.SUPPRESS)
    spam_eval.add_argument("file", metavar="FILE", help="a CSV or TSV file with a header line")
    spam_eval.add_argument("--text-column", required=True, metavar="NAME")
    spam_eval.add_argument("--label-column", required=True, metavar="NAME")
    spam_eval.add_argument(
        "--spam-value", required=True, metavar="VALUE", help="the label that means spam"
    )
    spam_eval.add_argument("--json", action="store_true", help="print one JSON object")
    spam_eval.set_defaults(handler=_run_spam_eval)
    _add_publishing_commands(subcommands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    if handler is None:
        from editor.app import run_app

        return run_app(store_url=args.store, demo=args.demo)
    from editor.core.store import StoreError

    try:
        return handler(args)
    except StoreError as error:
        # Every command refuses an unusable store the same way: one line, exit code 2.
        return _fail(str(error))
    except KeyboardInterrupt:
        print("newsdesk: interrupted", file=sys.stderr)
        return EXIT_FAILED


def _fail(message: str, code: int = EXIT_REFUSED) -> int:
    print(f"newsdesk: {message}", file=sys.stderr)
    return code


def _open_for_command(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from editor.core.store import open_store, resolve_store_url

    if getattr(args, "demo", False):
        from editor.core.demo import open_demo_store

        return open_demo_store()
    return open_store(resolve_store_url(args.store))


def _run_info(args: argparse.Namespace) -> int:
    from editor.core.summary import summarize

    store = _open_for_command(args)
    try:
        summary = summarize(store)
    finally:
        store.close()
    if args.json:
        print(json.dumps(summary))
        return EXIT_OK
    print(f"Store:    {summary['store']}")
    print(f"Schema:   {summary['schema']}")
    print("Articles: " + ", ".join(f"{n} {status}" for status, n in summary["articles"].items()))
    print("Comments: " + ", ".join(f"{n} {status}" for status, n in summary["comments"].items()))
    print(f"Assets:   {summary['assets']}")
    return EXIT_OK


def _run_bench(args: argparse.Namespace) -> int:
    from editor.bench import UnknownGroup, run_benchmarks

    try:
        figures = run_benchmarks(args.groups, store_url=args.store)
    except UnknownGroup as error:
        return _fail(str(error))
    if args.json:
        print(json.dumps([figure.as_json() for figure in figures]))
        return EXIT_OK
    from editor.bench import format_table

    print(format_table(figures))
    return EXIT_OK


def _run_screenshot(args: argparse.Namespace) -> int:
    from pathlib import Path

    from editor.ui.screenshot import take_screenshots

    for path in take_screenshots(Path(args.folder)):
        print(path)
    if args.wxr:
        from editor.ui.screenshot import take_wordpress_screenshots

        for path in take_wordpress_screenshots(Path(args.folder), Path(args.wxr)):
            print(path)
    return EXIT_OK


def _run_store_login(args: argparse.Namespace) -> int:
    import getpass

    from sqlalchemy.engine import make_url

    from editor.core.credentials import forget_password, remember_password
    from editor.core.store import resolve_store_url

    url = make_url(resolve_store_url(args.store))
    if url.get_backend_name() != "postgresql" or not url.username:
        return _fail("store-login is for remote stores: --store postgresql+psycopg://user@host/db")
    if args.forget:
        forget_password(url)
        print(f"Forgot the password for {url.render_as_string(hide_password=True)}")
        return EXIT_OK
    if url.password:
        return _fail("leave the password out of the URL; you will be asked for it")
    password = getpass.getpass(f"Password for {url.username}@{url.host}: ")
    try:
        remember_password(url, password)
    except Exception as error:  # keyring backends raise their own types
        return _fail(f"could not save the password in the system keyring: {error}")
    print(f"Saved in the system keyring for {url.render_as_string(hide_password=True)}")
    return EXIT_OK


def _run_import_wxr(args: argparse.Namespace) -> int:
    from pathlib import Path

    from sqlalchemy.exc import SQLAlchemyError

    from editor.core.wxr import ImportProgress, WxrRefused, import_wxr

    shown: list[tuple[str, int]] = []

    def progress(update: ImportProgress) -> None:
        step = (update.phase.value, int(update.fraction * 20))
        if not shown or shown[-1] != step:
            shown.append(step)
            print(
                f"{update.phase.value}: {update.fraction:.0%} ({update.articles} articles, "
                f"{update.comments} comments)",
                file=sys.stderr,
            )

    store = _open_for_command(args)
    try:
        with store.session_factory.begin() as session:
            report = import_wxr(session, Path(args.file), progress=progress)
    except WxrRefused as error:
        return _fail(f"{args.file}: {error}; nothing was imported")
    except OSError as error:
        return _fail(f"cannot read {args.file}: {error.strerror or error}")
    except SQLAlchemyError as error:
        return _fail(f"the store refused the import, nothing was imported: {error}", EXIT_FAILED)
    finally:
        store.close()
    for line in report.summary_lines():
        print(line)
    return EXIT_OK


def _run_export_wxr(args: argparse.Namespace) -> int:
    from pathlib import Path

    from editor.core.wxr import export_wxr
    from editor.core.wxr.exporter import DEFAULT_SITE_URL

    target = Path(args.file)
    if not target.parent.is_dir():
        return _fail(f"cannot write {target}: folder {target.parent} is missing")
    store = _open_for_command(args)
    try:
        with store.session_factory.begin() as session:
            report = export_wxr(session, target, site_url=args.site_url or DEFAULT_SITE_URL)
    except OSError as error:
        return _fail(f"cannot write {target}: {error.strerror or error}", EXIT_FAILED)
    finally:
        store.close()
    for line in report.summary_lines():
        print(line)
    return EXIT_OK


def _run_comments_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from sqlalchemy.exc import SQLAlchemyError

    from editor.core.moderation.importing import ImportFileError, import_comments
    from editor.core.moderation.learning import SharedSpamFilter

    store = _open_for_command(args)
    try:
        with store.session_factory.begin() as session:
            report = import_comments(
                Path(args.file), session=session, spam_filter=SharedSpamFilter()
            )
    except ImportFileError as error:
        return _fail(f"{args.file}: {error}; nothing was imported")
    except SQLAlchemyError as error:
        return _fail(f"the store refused the import, nothing was imported: {error}", EXIT_FAILED)
    finally:
        store.close()
    for rejected in report.rejected:
        print(f"{args.file}:{rejected.line}: rejected: {rejected.reason}", file=sys.stderr)
    routed = ", ".join(f"{n} {status.value}" for status, n in report.by_status().items() if n)
    print(f"Imported {report.imported} comments" + (f" ({routed})" if routed else ""))
    if report.skipped:
        print(f"Skipped {report.skipped} already imported")
    if report.rejected:
        print(f"Rejected {len(report.rejected)} rows (listed above)")
        return EXIT_FAILED
    return EXIT_OK


def _run_comments_purge(args: argparse.Namespace) -> int:
    from editor.core.moderation.retention import count_purgeable, purge
    from editor.core.moderation.rules import load_retention_days

    if args.older_than is not None and args.older_than < 0:
        return _fail("--older-than must be 0 or more days")
    store = _open_for_command(args)
    try:
        with store.session_factory.begin() as session:
            days = args.older_than
            if days is None:
                days = load_retention_days(session=session)
            if not args.yes:
                counted = count_purgeable(session=session, older_than_days=days)
            else:
                counted = purge(session=session, older_than_days=days)
    finally:
        store.close()
    what = f"{counted.spam} spam and {counted.trash} trash comments older than {days} days"
    if not args.yes:
        if counted.total == 0:
            print(f"Nothing to delete: no spam or trash older than {days} days")
            return EXIT_OK
        print(f"Would delete {what}; run again with --yes to delete them")
        return EXIT_REFUSED
    print(f"Deleted {what}")
    return EXIT_OK


def _run_spam_eval(args: argparse.Namespace) -> int:
    from pathlib import Path

    from editor.core.moderation.evaluation import LabelledFileError, evaluate_file

    try:
        result = evaluate_file(
            Path(args.file),
            text_column=args.text_column,
            label_column=args.label_column,
            spam_value=args.spam_value,
        )
    except LabelledFileError as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(f"cannot read {args.file}: {error.strerror or error}")
    if args.json:
        print(json.dumps(result.as_json()))
        return EXIT_OK
    spam = result.spam_caught + result.spam_missed
    print(f"Messages:          {result.total} ({spam} spam, {result.total - spam} legitimate)")
    print(f"Accuracy:          {result.accuracy:.2%}")
    print(f"Spam recall:       {result.spam_recall:.2%}")
    print(f"Ham wrongly spam:  {result.ham_wrongly_spam_rate:.2%}")
    print(f"F1:                {result.f1:.3f}")
    return EXIT_OK


def _add_publishing_commands(subcommands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    targets = "this-store, folder:PATH (a static site) or store:URL (another store)"
    publish = subcommands.add_parser(
        "publish", help="publish (or update) an article: checks first, a line per step"
    )
    _store_option(publish, default=argparse.SUPPRESS)
    publish.add_argument("slug", metavar="SLUG", help="the article's slug")
    publish.add_argument("--to", required=True, metavar="TARGET", help=targets)
    publish.add_argument("--author", default=None, help="who publishes (default: your login)")
    publish.set_defaults(handler=_run_publish)

    unpublish = subcommands.add_parser("unpublish", help="take an article down at a target")
    _store_option(unpublish, default=argparse.SUPPRESS)
    unpublish.add_argument("slug", metavar="SLUG", help="the article's slug")
    unpublish.add_argument("--from", dest="target", required=True, metavar="TARGET", help=targets)
    unpublish.add_argument("--author", default=None, help="who unpublishes (default: your login)")
    unpublish.set_defaults(handler=_run_unpublish)

    export_site = subcommands.add_parser(
        "export-site",
        help="build the static site of all published articles into DIR (swapped in whole)",
    )
    _store_option(export_site, default=argparse.SUPPRESS)
    export_site.add_argument(
        "folder", metavar="DIR", help="the site folder (a link Newsdesk manages; new or empty)"
    )
    export_site.set_defaults(handler=_run_export_site)

    publish_due = subcommands.add_parser(
        "publish-due", help="publish every scheduled article whose time has come (for cron)"
    )
    _store_option(publish_due, default=argparse.SUPPRESS)
    publish_due.set_defaults(handler=_run_publish_due)


def _publishing_author(args: argparse.Namespace) -> str:
    if args.author:
        return str(args.author)
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "newsdesk"


def _step_printer() -> Callable[[str, int, int], None]:
    """One stderr line per step (and per image count when the step reports one)."""
    last: list[str] = []

    def progress(step: str, done: int, total: int) -> None:
        if step == "done":
            return  # the summary line on stdout says it
        if last and last[0] == step:
            if total > 1 and done == total:
                print(f"  {step}: {done}/{total}", file=sys.stderr)
            return
        last[:] = [step]
        counted = f" (0/{total})" if total > 1 else ""
        print(f"{step}…{counted}", file=sys.stderr)

    return progress


def _article_for_slug(store: object, slug: str) -> int | None:
    from editor.core.publishing.content import find_article_by_slug

    with store.session_factory() as session:  # type: ignore[attr-defined]
        return find_article_by_slug(session, slug)


def _run_publish(args: argparse.Namespace) -> int:
    return _publish_or_unpublish(args, target_name=args.to, publishing=True)


def _run_unpublish(args: argparse.Namespace) -> int:
    return _publish_or_unpublish(args, target_name=args.target, publishing=False)


def _publish_or_unpublish(args: argparse.Namespace, *, target_name: str, publishing: bool) -> int:
    from editor.core.publishing import (
        PreflightFailed,
        PublishError,
        UnknownTarget,
        publish_article,
        target_from_name,
        unpublish_article,
    )

    try:
        target = target_from_name(target_name)
    except UnknownTarget as error:
        return _fail(str(error))
    store = _open_for_command(args)
    try:
        article_id = _article_for_slug(store, args.slug)
        if article_id is None:
            return _fail(f"no article with the slug {args.slug!r} in {store.display_url}")
        try:
            if publishing:
                outcome = publish_article(
                    store,
                    article_id=article_id,
                    target=target,
                    author=_publishing_author(args),
                    progress=_step_printer(),
                )
            else:
                undone = unpublish_article(
                    store,
                    article_id=article_id,
                    target=target,
                    author=_publishing_author(args),
                    progress=_step_printer(),
                )
        except PreflightFailed as error:
            for issue in error.issues:
                print(f"{args.slug}: {issue.as_text()}", file=sys.stderr)
            return _fail(str(error), EXIT_FAILED)
        except PublishError as error:
            return _fail(str(error), EXIT_FAILED)
    finally:
        store.close()
    if publishing:
        for issue in outcome.warnings:
            print(f"{args.slug}: {issue.as_text()}", file=sys.stderr)
        print(outcome.summary)
    else:
        print(undone.summary)
    return EXIT_OK


def _run_export_site(args: argparse.Namespace) -> int:
    from pathlib import Path

    from editor.core.images import ImageCache
    from editor.core.publishing import PublishError, PublishRefused, export_site

    store = _open_for_command(args)
    try:
        outcome = export_site(
            store,
            folder=Path(args.folder),
            cache=ImageCache.default(),
            progress=_step_printer(),
        )
    except PublishRefused as error:
        return _fail(str(error))
    except PublishError as error:
        return _fail(str(error), EXIT_FAILED)
    finally:
        store.close()
    print(outcome.summary)
    return EXIT_OK


def _run_publish_due(args: argparse.Namespace) -> int:
    from editor.core.publishing import publish_due

    store = _open_for_command(args)
    try:
        results = publish_due(store, progress=_step_printer())
    finally:
        store.close()
    for result in results:
        title = result.title or "Untitled"
        if result.outcome is not None:
            print(f"{result.outcome.summary} ({title})")
        elif result.skipped:
            print(f"Skipped “{title}”: already published by another Newsdesk")
        else:
            print(f"newsdesk: “{title}” to {result.target}: {result.error}", file=sys.stderr)
    if not results:
        print("Nothing is due")
    return EXIT_OK if all(result.ok for result in results) else EXIT_FAILED
