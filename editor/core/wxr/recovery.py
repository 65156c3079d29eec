"""Repairs made on an export's bytes before the XML parser reads them, and what a
parser error means for the user.

Two problems real exports have, whose meaning is clear, are repaired and
reported:

- characters XML forbids (control characters such as U+000B, raw or as
  ``&#11;``) are removed: WordPress stores whatever was pasted into a post;
- the ``atom:`` prefix that WordPress.com used without declaring it is
  declared on the root element.

Newlines are never added or removed, so the parser's line numbers are the file's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import IO, Any

from editor.core.wxr.errors import WxrRefused

ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
# Prefixes an export may use without declaring whose meaning is still unambiguous.
RECOVERABLE_PREFIXES = {"atom": ATOM_NAMESPACE}
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


class RecoveringStream:
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


def refusal_from_syntax_error(error: Any, stream: RecoveringStream) -> WxrRefused:
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
