"""Streaming WXR (WordPress eXtended RSS) reader: one ``<item>`` in memory at a time.

lxml's ``iterparse`` reads the file strictly. Two problems that real exports
have and whose meaning is clear are repaired on the bytes before lxml sees
them, and each repair is reported in ``recovered``:

- characters XML forbids (control characters such as U+000B, raw or as
  ``&#11;``) are removed: WordPress stores whatever was pasted into a post;
- the ``atom:`` prefix that WordPress.com used without declaring it is
  declared on the root element.

Anything else that is not well-formed, a file that is not a WordPress export,
or content whose meaning is unclear raises ``WxrRefused`` with the line.
Newlines are never added or removed, so lxml's line numbers are the file's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from editor.core.wxr.errors import WxrRefused
from editor.core.wxr.recovery import (
    ATOM_NAMESPACE,
    RecoveringStream,
    refusal_from_syntax_error,
)

_ATOM_TAG_PREFIX = "{" + ATOM_NAMESPACE + "}"

_WP_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/(\d+)\.(\d+)/$")
_EXCERPT_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/excerpt/$")
_CONTENT_NAMESPACE = re.compile(r"^https?://purl\.org/rss/1\.0/modules/content/$")
_DC_NAMESPACE = re.compile(r"^https?://purl\.org/dc/elements/1\.1/$")


@dataclass(slots=True)
class WxrAuthor:
    login: str
    display_name: str = ""
    email: str = ""


@dataclass(slots=True)
class WxrTerm:
    """A category, tag, post format or custom taxonomy term attached to an item."""

    domain: str
    nicename: str
    name: str


@dataclass(slots=True)
class WxrComment:
    line: int
    comment_id: str = ""
    author: str = ""
    author_email: str = ""
    author_url: str = ""
    author_ip: str = ""
    date: str = ""
    date_gmt: str = ""
    content: str = ""
    approved: str = "1"
    comment_type: str = ""
    parent: str = "0"


@dataclass(slots=True)
class WxrItem:
    line: int
    fields: dict[str, str] = field(default_factory=dict)
    terms: list[WxrTerm] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[WxrComment] = field(default_factory=list)

    def get(self, key: str, default: str = "") -> str:
        return self.fields.get(key, default)


@dataclass(slots=True)
class WxrChannel:
    title: str = ""
    link: str = ""
    description: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    wxr_version: str = ""
    # The version in the wp: namespace URI, which can differ from wxr_version.
    namespace_version: str = ""
    authors: dict[str, WxrAuthor] = field(default_factory=dict)

    @property
    def site_url(self) -> str:
        """The blog's own address; WordPress.com exports share one base_site_url for all blogs."""
        return (self.base_blog_url or self.link or self.base_site_url).rstrip("/")


_COMMENT_FIELDS = {
    "wp:comment_id": "comment_id",
    "wp:comment_author": "author",
    "wp:comment_author_email": "author_email",
    "wp:comment_author_url": "author_url",
    "wp:comment_author_IP": "author_ip",
    "wp:comment_date": "date",
    "wp:comment_date_gmt": "date_gmt",
    "wp:comment_content": "content",
    "wp:comment_approved": "approved",
    "wp:comment_type": "comment_type",
    "wp:comment_parent": "parent",
}


class WxrReader:
    """Reads one export: ``channel`` fills in as the file is read (authors come
    before the first item); ``items()`` yields each ``<item>`` once.

    ``on_bytes(bytes_read)`` is called as the file is consumed, for progress.
    """

    def __init__(self, path: Path, *, on_bytes: Callable[[int], None] | None = None) -> None:
        self.path = path
        self.channel = WxrChannel()
        self.recovered: list[str] = []
        self.atom_elements = 0
        self._on_bytes = on_bytes
        self._keys: dict[str, str | None] = {}

    def items(self) -> Iterator[WxrItem]:
        from lxml import etree

        with self.path.open("rb") as raw:
            stream = RecoveringStream(raw, self._on_bytes)
            context = etree.iterparse(
                stream,
                events=("end",),
                huge_tree=True,  # a single post body may exceed libxml2's 10 MB text limit
                resolve_entities=False,
                no_network=True,
                load_dtd=False,
                remove_comments=True,
                remove_pis=True,
            )
            saw_version = False
            try:
                for _event, element in context:
                    tag = element.tag
                    if not isinstance(tag, str):
                        continue
                    if tag == "item":
                        if not saw_version:
                            saw_version = self._check_version(element.sourceline)
                        yield self._item(element)
                        _release(element)
                        continue
                    if tag.startswith(_ATOM_TAG_PREFIX):
                        self.atom_elements += 1
                    parent = element.getparent()
                    if parent is not None and parent.tag == "channel":
                        self._channel_child(element)
                        _release(element)
            except etree.XMLSyntaxError as error:
                raise refusal_from_syntax_error(error, stream) from None
            if not saw_version:
                self._check_version(None)
            self._note_recoveries(stream)

    def _check_version(self, line: int | None) -> bool:
        version = self.channel.wxr_version
        if not version:
            raise WxrRefused(
                "no <wp:wxr_version> before the first item: this is an RSS feed, "
                "not a WordPress export (Tools → Export in WordPress makes one)",
                line=line,
            )
        major = version.split(".", 1)[0]
        if major != "1":
            raise WxrRefused(f"WXR version {version} is not one this importer knows (1.0–1.2)")
        return True

    def _note_recoveries(self, stream: RecoveringStream) -> None:
        if self.atom_elements and "atom" in stream.declared_prefixes:
            self.recovered.append(
                f"declared the atom: prefix the export uses without declaring it "
                f"({self.atom_elements} atom element{'s' if self.atom_elements != 1 else ''})"
            )
        if stream.removed_count:
            examples = ", ".join(stream.removed_examples)
            more = "" if stream.removed_count <= len(stream.removed_examples) else ", …"
            self.recovered.append(
                f"removed {stream.removed_count} character"
                f"{'s' if stream.removed_count != 1 else ''} XML does not allow "
                f"({examples}{more})"
            )

    def key(self, tag: str) -> str | None:
        """``"wp:post_id"``-style key for a namespaced tag, None for tags we do not read."""
        cached = self._keys.get(tag, "")
        if cached != "":
            return cached
        key: str | None
        if tag.startswith("{"):
            namespace, _, local = tag[1:].partition("}")
            wp = _WP_NAMESPACE.match(namespace)
            if wp is not None:
                key = f"wp:{local}"
                if not self.channel.namespace_version:
                    self.channel.namespace_version = f"{wp.group(1)}.{wp.group(2)}"
            elif _EXCERPT_NAMESPACE.match(namespace):
                key = f"excerpt:{local}"
            elif _CONTENT_NAMESPACE.match(namespace):
                key = f"content:{local}"
            elif _DC_NAMESPACE.match(namespace):
                key = f"dc:{local}"
            else:
                key = None
        else:
            key = tag
        self._keys[tag] = key
        return key

    def _channel_child(self, element: Any) -> None:
        key = self.key(element.tag)
        channel = self.channel
        if key == "wp:author":
            author = WxrAuthor(login="")
            for child in element:
                child_key = self.key(child.tag)
                text = _text(child).strip()
                if child_key == "wp:author_login":
                    author.login = text
                elif child_key == "wp:author_display_name":
                    author.display_name = text
                elif child_key == "wp:author_email":
                    author.email = text
            if author.login:
                channel.authors[author.login] = author
        elif key == "wp:wxr_version":
            channel.wxr_version = _text(element).strip()
        elif key == "wp:base_site_url":
            channel.base_site_url = _text(element).strip()
        elif key == "wp:base_blog_url":
            channel.base_blog_url = _text(element).strip()
        elif key == "title":
            channel.title = _text(element).strip()
        elif key == "link":
            channel.link = _text(element).strip()
        elif key == "description":
            channel.description = _text(element).strip()

    def _item(self, element: Any) -> WxrItem:
        item = WxrItem(line=element.sourceline or 0)
        fields = item.fields
        for child in element:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            key = self.key(tag)
            if key is None:
                continue
            if key == "category":
                item.terms.append(
                    WxrTerm(
                        domain=child.get("domain") or "category",
                        nicename=child.get("nicename") or "",
                        name=_text(child).strip(),
                    )
                )
            elif key == "wp:postmeta":
                meta_key = meta_value = ""
                for part in child:
                    part_key = self.key(part.tag) if isinstance(part.tag, str) else None
                    if part_key == "wp:meta_key":
                        meta_key = _text(part)
                    elif part_key == "wp:meta_value":
                        meta_value = _text(part)
                if meta_key:
                    item.meta[meta_key] = meta_value
            elif key == "wp:comment":
                item.comments.append(self._comment(child))
            elif key in ("content:encoded", "excerpt:encoded") and len(child):
                # Markup written as XML elements instead of inside CDATA: its meaning is
                # still clear, so it is read back as the HTML it was.
                fields[key] = _inner_markup(child)
            else:
                fields[key] = _text(child)
        return item

    def _comment(self, element: Any) -> WxrComment:
        comment = WxrComment(line=element.sourceline or 0)
        for child in element:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            attribute = _COMMENT_FIELDS.get(self.key(tag) or "")
            if attribute is not None:
                setattr(comment, attribute, _text(child))
        return comment


def _text(element: Any) -> str:
    text = element.text
    if len(element):
        return "".join(element.itertext())
    return text or ""


def _inner_markup(element: Any) -> str:
    from lxml import etree

    parts = [element.text or ""]
    for child in element:
        parts.append(etree.tostring(child, encoding="unicode", with_tail=True))
    # lxml writes the namespace declarations it needs; HTML does not want them.
    return re.sub(r'\s+xmlns(?::\w+)?="[^"]*"', "", "".join(parts))


def _release(element: Any) -> None:
    """Free an element already read, and the siblings read before it."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]
