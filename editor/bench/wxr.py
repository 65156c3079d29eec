"""WordPress import at scale: a generated 10,000-post, 100,000-comment export.

The export is written as a stream into a temp folder and imported into a fresh
SQLite store in a child process, which reports the wall time of the import
(one transaction, as ``newsdesk import-wxr`` runs it) and its peak resident
memory (``ru_maxrss``, interpreter included).
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

from editor.bench import BenchContext, Figure

POSTS = 10_000
COMMENTS_PER_POST = 10
_WORDS = [
    *("council", "river", "barrier", "flood", "town", "residents", "engineers", "winter"),
    *("storm", "season", "lock", "weir", "bridge", "pumps", "trial", "budget", "school"),
    *("market", "harbour", "station", "ferry", "library", "museum", "election", "mayor"),
    *("hospital", "road", "rail", "housing", "plan", "report", "survey", "village"),
    *("the", "a", "of", "and", "to", "in", "on", "for", "with", "at", "by", "from"),
    *("after", "before", "while", "during"),
]
_HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" \
xmlns:content="http://purl.org/rss/1.0/modules/content/" \
xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" \
xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Riverside Gazette</title>
<link>https://gazette.example.org</link>
<description>Generated for the Newsdesk import benchmark</description>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://gazette.example.org</wp:base_site_url>
<wp:base_blog_url>https://gazette.example.org</wp:base_blog_url>
<wp:author><wp:author_login><![CDATA[editor]]></wp:author_login>\
<wp:author_email><![CDATA[editor@example.org]]></wp:author_email>\
<wp:author_display_name><![CDATA[Priya Natarajan]]></wp:author_display_name></wp:author>
"""


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(_WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _paragraphs(rng: random.Random, count: int) -> Iterator[str]:
    for _ in range(count):
        yield " ".join(_sentence(rng, rng.randint(8, 20)) for _ in range(rng.randint(2, 5)))


def _body(rng: random.Random, number: int) -> str:
    parts = list(_paragraphs(rng, 6))
    parts.insert(2, f"<h2>{_sentence(rng, 4)[:-1]}</h2>")
    parts[1] += f' Read <a href="https://gazette.example.org/{number - 1}/">the earlier report</a>.'
    if number % 3 == 0:
        parts.insert(
            1,
            f'[caption id="attachment_{number}" align="alignnone" width="800"]'
            f'<img src="https://gazette.example.org/files/{number}.jpg" alt="{_sentence(rng, 5)}" '
            f'width="800" height="533" /> {_sentence(rng, 8)}[/caption]',
        )
    if number % 5 == 0:
        parts.append(
            "<ul>\n<li>" + "</li>\n<li>".join(_sentence(rng, 6) for _ in range(4)) + "</li>\n</ul>"
        )
    return "\n\n".join(parts)


def write_sample_export(
    path: Path, *, posts: int = POSTS, comments_per_post: int = COMMENTS_PER_POST
) -> None:
    """A WordPress-shaped export, written item by item so it never sits in memory."""
    rng = random.Random(7)
    start = datetime(2015, 1, 1, tzinfo=UTC)
    comment_id = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(_HEADER)
        for number in range(1, posts + 1):
            comment_id = _write_item(out, rng, number, start, comment_id, comments_per_post)
        out.write("</channel>\n</rss>\n")


def _write_item(
    out: TextIO, rng: random.Random, number: int, start: datetime, comment_id: int, comments: int
) -> int:
    posted = start + timedelta(hours=number * 3)
    stamp = posted.strftime("%Y-%m-%d %H:%M:%S")
    status = "publish" if number % 20 else "draft"
    out.write(
        f"<item>\n<title><![CDATA[{_sentence(rng, 7)[:-1]}]]></title>\n"
        f"<link>https://gazette.example.org/?p={number}</link>\n"
        f"<dc:creator><![CDATA[editor]]></dc:creator>\n"
        f'<guid isPermaLink="false">https://gazette.example.org/?p={number}</guid>\n'
        f"<content:encoded><![CDATA[{_body(rng, number)}]]></content:encoded>\n"
        f"<excerpt:encoded><![CDATA[{_sentence(rng, 14)}]]></excerpt:encoded>\n"
        f"<wp:post_id>{number}</wp:post_id>\n<wp:post_date>{stamp}</wp:post_date>\n"
        f"<wp:post_date_gmt>{stamp}</wp:post_date_gmt>\n"
        f"<wp:comment_status>open</wp:comment_status>\n"
        f"<wp:post_name>story-{number}</wp:post_name>\n<wp:status>{status}</wp:status>\n"
        f"<wp:post_parent>0</wp:post_parent>\n<wp:menu_order>0</wp:menu_order>\n"
        f"<wp:post_type>post</wp:post_type>\n<wp:post_password></wp:post_password>\n"
        f"<wp:is_sticky>0</wp:is_sticky>\n"
        f'<category domain="category" nicename="news-{number % 12}"><![CDATA[News {number % 12}]]></category>\n'
        f'<category domain="post_tag" nicename="topic-{number % 97}"><![CDATA[topic {number % 97}]]></category>\n'
    )
    first_id = comment_id + 1
    for index in range(comments):
        comment_id += 1
        parent = first_id + rng.randrange(index) if index and rng.random() < 0.3 else 0
        approved = rng.choices(["1", "0", "spam", "trash"], weights=[80, 8, 10, 2])[0]
        content = " ".join(_paragraphs(rng, 1))
        if rng.random() < 0.15:
            content += ' See <a href="https://example.net/offer">this offer</a>.'
        moment = (posted + timedelta(minutes=5 * (index + 1))).strftime("%Y-%m-%d %H:%M:%S")
        out.write(
            f"<wp:comment>\n<wp:comment_id>{comment_id}</wp:comment_id>\n"
            f"<wp:comment_author><![CDATA[Reader {comment_id % 5000}]]></wp:comment_author>\n"
            f"<wp:comment_author_email><![CDATA[reader{comment_id % 5000}@example.net]]></wp:comment_author_email>\n"
            f"<wp:comment_author_url>https://example.net/{comment_id % 50}</wp:comment_author_url>\n"
            f"<wp:comment_author_IP><![CDATA[198.51.100.{comment_id % 250}]]></wp:comment_author_IP>\n"
            f"<wp:comment_date>{moment}</wp:comment_date>\n<wp:comment_date_gmt>{moment}</wp:comment_date_gmt>\n"
            f"<wp:comment_content><![CDATA[{content}]]></wp:comment_content>\n"
            f"<wp:comment_approved>{approved}</wp:comment_approved>\n<wp:comment_type></wp:comment_type>\n"
            f"<wp:comment_parent>{parent}</wp:comment_parent>\n<wp:comment_user_id>0</wp:comment_user_id>\n"
            "</wp:comment>\n"
        )
    out.write("</item>\n")
    return comment_id


def _child(export: Path, store_path: Path) -> None:
    """Run in a fresh interpreter: import once, print the time and the peak memory."""
    import resource
    import time

    from editor.core.store import open_store, sqlite_url
    from editor.core.wxr import import_wxr

    store = open_store(sqlite_url(store_path))
    started = time.perf_counter()
    with store.session_factory.begin() as session:
        report = import_wxr(session, export)
    elapsed = time.perf_counter() - started
    store.close()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "peak_mb": peak_kb / 1024,
                "articles": report.articles_created,
                "comments": report.comments_created,
            }
        )
    )


def measure(context: BenchContext) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-wxr-") as scratch:
        folder = Path(scratch)
        export = folder / "export.xml"
        write_sample_export(export)
        completed = subprocess.run(
            [sys.executable, "-m", "editor.bench.wxr", str(export), str(folder / "store.sqlite3")],
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
    if completed.returncode != 0:
        raise RuntimeError(f"the import benchmark failed: {completed.stderr.strip()[-800:]}")
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    if result["articles"] != POSTS or result["comments"] != POSTS * COMMENTS_PER_POST:
        raise RuntimeError(f"the import benchmark imported the wrong counts: {result}")
    return [
        Figure("wxr.import_10k_posts_100k_comments", result["seconds"], "s", 60),
        Figure("wxr.import_peak_memory", result["peak_mb"], "MB", 300),
    ]


if __name__ == "__main__":
    _child(Path(sys.argv[1]), Path(sys.argv[2]))
