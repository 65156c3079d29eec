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
from typing import IO, Any

ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
# Prefixes an export may use without declaring whose meaning is still unambiguous.
RECOVERABLE_PREFIXES = {"atom": ATOM_NAMESPACE}
_ATOM_TAG_PREFIX = "{" + ATOM_NAMESPACE + "}"

_WP_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/(\d+)\.(\d+)/$")
_EXCERPT_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/excerpt/$")
_CONTENT_NAMESPACE = re.compile(r"^https?://purl\.org/rss/1\.0/modules/content/$")
_DC_NAMESPACE = re.compile(r"^https?://purl\.org/dc/elements/1\.1/$")

# Bytes that are never allowed in an XML 1.0 document. In UTF-8 they only ever
# stand for themselves (never inside a multi-byte sequence), so removing them
# byte-wise is safe.
_FORBIDDEN_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_FORBIDDEN_CHARACTER_REFERENCE = re.compile(
    rb"&#(?:x0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F])|0*(?:[0-8]|1[1-2]|1[4-9]|2[0-9]|3[01]));"
)
_PARTIAL_REFERENCE_AT_END = re.compile(rb"&#?[xX]?[0-9a-fA-F]{0,8}$")
_READ_SIZE = 1 << 16
_HEAD_LIMIT = 1 << 20
_REPORTED_REMOVALS = 10
_UNFINISHED = re.compile(
    r"Premature end of data|not finished|EndTag: '</' not found|Couldn't find end of Start Tag"
    r"|expected '>'|Document is empty",
)


class WxrRefused(Exception):
    """The file cannot be imported as it is; nothing was written.

    ``line`` is the 1-based line in the file where the problem was found (None
    when it concerns the whole file); ``str(error)`` is one line for the user.
    """

    def __init__(self, reason: str, *, line: int | None = None) -> None:
        self.reason = reason
        self.line = line
        super().__init__(f"line {line}: {reason}" if line else reason)


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


class _RecoveringStream:
    """The file's bytes as lxml reads them, with the clear-meaning repairs applied."""

    def __init__(self, raw: IO[bytes], on_bytes: Callable[[int], None] | None) -> None:
        self._raw = raw
        self._on_bytes = on_bytes
        self.bytes_read = 0
        self.lines_given = 0
        self._held = b""
        self._head_checked = False
        self.at_end = False
        self.declared_prefixes: list[str] = []
        self.removed_count = 0
        self.removed_examples: list[str] = []

    def read(self, size: int = -1) -> bytes:
        while True:
            if not self._head_checked:
                chunk = self._read_head()
            else:
                chunk = self._raw.read(_READ_SIZE)
                self._count(chunk)
            if not chunk:
                self.at_end = True
                held, self._held = self._held, b""
                return self._clean(held) if held else b""
            data = self._held + chunk
            # A character reference cut at the chunk's end waits for the rest.
            partial = _PARTIAL_REFERENCE_AT_END.search(data[-12:])
            if partial is not None:
                cut = len(data) - (len(data[-12:]) - partial.start())
                data, self._held = data[:cut], data[cut:]
            else:
                self._held = b""
            cleaned = self._clean(data)
            if cleaned:
                return cleaned

    def _count(self, chunk: bytes) -> None:
        self.bytes_read += len(chunk)
        if self._on_bytes is not None and chunk:
            self._on_bytes(self.bytes_read)

    def _clean(self, data: bytes) -> bytes:
        first_line = self.lines_given + 1
        if _FORBIDDEN_BYTES.search(data) or b"&#" in data:
            data = self._remove_forbidden(data, first_line)
        self.lines_given += data.count(b"\n")
        return data

    def _remove_forbidden(self, data: bytes, first_line: int) -> bytes:
        def note(match: re.Match[bytes]) -> bytes:
            self.removed_count += 1
            if len(self.removed_examples) < _REPORTED_REMOVALS:
                line = first_line + data.count(b"\n", 0, match.start())
                shown = match.group().decode("ascii")
                if len(shown) == 1:
                    shown = f"U+{ord(shown):04X}"
                self.removed_examples.append(f"{shown} at line {line}")
            return b""

        data = _FORBIDDEN_BYTES.sub(note, data)
        if b"&#" in data:
            data = _FORBIDDEN_CHARACTER_REFERENCE.sub(note, data)
        return data

    def _read_head(self) -> bytes:
        """Read up to the root start tag, check it, and declare recoverable prefixes on it."""
        head = b""
        while True:
            chunk = self._raw.read(_READ_SIZE)
            self._count(chunk)
            head += chunk
            root = _find_root_start_tag(head)
            if root is not None or not chunk or len(head) > _HEAD_LIMIT:
                break
        self._head_checked = True
        if not head.strip():
            raise WxrRefused("the file is empty")
        if head.startswith((b"\xff\xfe", b"\xfe\xff")) or re.match(
            rb"<\?xml[^>]*encoding=[\"']utf-(16|32)", head, re.IGNORECASE
        ):
            raise WxrRefused("UTF-16/32 files are not WordPress exports (WordPress writes UTF-8)")
        if root is None:
            if b"<rss" in head:
                raise WxrRefused(
                    "the file ends inside the <rss> start tag (truncated?)",
                    line=head.count(b"\n") + 1,
                )
            raise WxrRefused("no XML root element found: this is not a WordPress export", line=1)
        start, end, name, line = root
        if name == b"!DOCTYPE":
            raise WxrRefused(
                "the file declares a DOCTYPE; WordPress exports never do, and entity "
                "declarations are not read",
                line=line,
            )
        if name != b"rss":
            raise WxrRefused(
                f"the root element is <{name.decode('utf-8', 'replace')}>, not <rss>: "
                "this is not a WordPress export",
                line=line,
            )
        start_tag = head[start:end]
        declared = set(re.findall(rb"xmlns:([A-Za-z_][\w.-]*)\s*=", start_tag))
        additions = b""
        for prefix, uri in RECOVERABLE_PREFIXES.items():
            if prefix.encode() not in declared:
                additions += f' xmlns:{prefix}="{uri}"'.encode()
                self.declared_prefixes.append(prefix)
        if additions:
            insert_at = end - 2 if start_tag.endswith(b"/>") else end - 1
            head = head[:insert_at] + additions + head[insert_at:]
        return head


def _find_root_start_tag(head: bytes) -> tuple[int, int, bytes, int] | None:
    """(start, end, name, line) of the first element's start tag, skipping the prolog."""
    position = 0
    if head.startswith(b"\xef\xbb\xbf"):
        position = 3
    length = len(head)
    while position < length:
        while position < length and head[position : position + 1].isspace():
            position += 1
        if position >= length:
            return None
        line = head.count(b"\n", 0, position) + 1
        if head.startswith(b"<?", position):
            close = head.find(b"?>", position)
            if close < 0:
                return None
            position = close + 2
        elif head.startswith(b"<!--", position):
            close = head.find(b"-->", position)
            if close < 0:
                return None
            position = close + 3
        elif head.startswith(b"<!DOCTYPE", position) or head.startswith(b"<!doctype", position):
            return position, position, b"!DOCTYPE", line
        elif head.startswith(b"<", position):
            match = re.match(rb"<([A-Za-z_][\w:.-]*)", head[position : position + 200])
            if match is None:
                return position, position, b"?", line
            end = _end_of_start_tag(head, position)
            if end is None:
                return None
            return position, end, match.group(1), line
        else:
            return position, position, b"(text)", line
    return None


def _end_of_start_tag(head: bytes, position: int) -> int | None:
    quote: int | None = None
    for index in range(position, len(head)):
        byte = head[index]
        if quote is not None:
            if byte == quote:
                quote = None
        elif byte in (0x22, 0x27):
            quote = byte
        elif byte == 0x3E:
            return index + 1
    return None


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
            stream = _RecoveringStream(raw, self._on_bytes)
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
                raise _refusal_from_syntax_error(error, stream) from None
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

    def _note_recoveries(self, stream: _RecoveringStream) -> None:
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


def _refusal_from_syntax_error(error: Any, stream: _RecoveringStream) -> WxrRefused:
    message = str(getattr(error, "msg", "") or error).strip().split("\n", 1)[0]
    message = re.sub(r",?\s*line \d+,\s*column \d+\s*(\(.*\))?$", "", message).strip()
    line = getattr(error, "lineno", None) or None
    if stream.at_end and _UNFINISHED.search(message):
        # libxml2 names the line where the unfinished element or CDATA began; the
        # useful line for a cut-off file is its last one.
        last_line = stream.lines_given + 1
        began = f", unfinished since line {line}" if line and line != last_line else ""
        return WxrRefused(
            f"the file ends in the middle of the export (truncated?){began}: {message}",
            line=last_line,
        )
    return WxrRefused(f"not well-formed XML: {message}", line=line)
