"""No executable vector survives rendering: real XSS payloads, raw and inside Markdown."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from editor.core.rendering.body import render_body
from editor.core.rendering.media import media_folder_url
from editor.core.rendering.sanitize import ALLOWED_TAGS, sanitize_html

MEDIA = media_folder_url("/media/")

# After the OWASP XSS Filter Evasion Cheat Sheet, PortSwigger's XSS cheat sheet and
# published mutation-XSS (mXSS) payloads against DOMPurify/bleach.
RAW_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://xss.rocks/xss.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=javascript:alert(&quot;XSS&quot;)>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    '<a onmouseover="alert(document.cookie)">xxs link</a>',
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>',
    "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>",
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    "<IMG SRC= onmouseover=\"alert('xxs')\">",
    '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>',
    '<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105'
    "&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039"
    '&#0000088&#0000083&#0000083&#0000039&#0000041">',
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;"
    "&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74"
    "&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    '<SCRIPT/XSS SRC="http://xss.rocks/xss.js"></SCRIPT>',
    '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>',
    '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
    "<SCRIPT SRC=http://xss.rocks/xss.js?< B >",
    "<iframe src=http://xss.rocks/scriptlet.html <",
    "<svg/onload=alert('XSS')>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x=20 y=20>XSS</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;img src=1 onerror=alert(1)&gt;">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '<video><source onerror="alert(1)"></video>',
    "<audio src=x onerror=alert(1)>",
    '<body background="javascript:alert(1)">',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '<div style="background-image: url(javascript:alert(1))">x</div>',
    '<div style="width: expression(alert(1))">x</div>',
    '<td style="text-align:left;background:url(https://tracker.example/p.png)">x</td>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href="java&#0000115;cript:alert(1)">x</a>',
    '<a href=" &#x20;javascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="#" onclick="alert(1)">x</a>',
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(\'XSS\');">',
    "<BASE HREF=\"javascript:alert('XSS');//\">",
    '<LINK REL="stylesheet" HREF="javascript:alert(\'XSS\');">',
    "<STYLE>@import'http://xss.rocks/xss.css';</STYLE>",
    '<img srcset="javascript:alert(1) 1x">',
    '<img src="x" srcset="data:image/svg+xml,<svg onload=alert(1)> 2x">',
    '<picture><source srcset="javascript:alert(1) 1x"><img src="asset:0123456789ab"></picture>',
    '<picture><source srcset="data:image/svg+xml,<svg onload=alert(1)>"><img src=x></picture>',
    '<picture><source srcset="&#x6A;avascript:alert(1)" onerror="alert(1)"><img></picture>',
    '<picture><source src="javascript:alert(1)" type="text/html"><img src=x></picture>',
    '<picture onclick="alert(1)"><source srcset="jav&#x09;ascript:alert(1)"></picture>',
    '<xss style="behavior: url(xss.htc);">',
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<a href="https://ok.example" data-block="fake" target="_blank">spoofed block</a>',
    '<p id="article-body">clobbers the preview container</p>',
    "<template><img src=x onerror=alert(1)></template>",
    "<select><template><style><img src=x onerror=alert(1)></style></template></select>",
    "<textarea><img src=x onerror=alert(1)></textarea>",
    "<title><img src=x onerror=alert(1)></title>",
]

MARKDOWN_PAYLOADS = [
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click][evil]\n\n[evil]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+ "credit")\ncaption',
    '![x" onerror="alert(1)](asset:0123456789ab "credit\\" onload=\\"alert(1)")',
    '[x](https://ok.example" onclick="alert(1))',
    "**<img src=x onerror=alert(1)>**",
    "> [!pull] <script>alert(1)</script>\n> — <img src=x onerror=alert(1)>",
    "| a |\n|---|\n| <svg onload=alert(1)> |",
    "Footnote[^x]\n\n[^x]: <iframe src=javascript:alert(1)>",
    "```\n</code></pre><script>alert(1)</script>\n```",
    "`<script>alert(1)</script>`",
    "## Heading <img src=x onerror=alert(1)> {#x onclick=alert(1)}",
    'Paragraph {: onclick="alert(1)" style="background:url(javascript:alert(1))"}',
    "<div markdown=1>[x](javascript:alert(1))</div>",
]

_URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "background",
    "cite",
    "poster",
    "data",
    "xlink:href",
}
_SAFE_SCHEMES = {"http", "https", "mailto", "tel", "asset"}
_BODY_TAGS = ALLOWED_TAGS | {"template"}


class _Vectors(HTMLParser):
    """Collects every way the output could still run script or reach out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _BODY_TAGS:
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"handler {name} on <{tag}>")
            if name == "style" and (
                tag not in {"td", "th"} or not re.fullmatch(r"text-align:\s*\w+;?", value)
            ):
                self.problems.append(f"style {value!r} on <{tag}>")
            if name in {
                "srcdoc",
                "formaction",
                "action",
                "background",
                "xlink:href",
                "target",
                "data",
            }:
                self.problems.append(f"attribute {name} on <{tag}>")
            if (
                name == "data-block"
                and tag != "template"
                and not re.fullmatch(r"b[0-9a-f]{10}(-\d+)?|footnotes", value)
            ):
                self.problems.append(f"spoofed data-block {value!r}")
            if name == "id" and value == "article-body":
                self.problems.append("clobbered #article-body")
            candidates = [value] if name in _URL_ATTRIBUTES else []
            if name == "srcset":
                candidates = [part.split()[0] for part in value.split(",") if part.split()]
            for url in candidates:
                # What a browser's URL parser does: trim C0 controls and spaces, drop tabs
                # and newlines anywhere ("jav\tascript:" runs; "java script:" does not).
                compact = re.sub(
                    r"[\t\n\r]",
                    "",
                    html.unescape(url).strip("\x00\x20" + "".join(map(chr, range(1, 32)))),
                ).lower()
                scheme = re.match(r"([a-z][a-z0-9+.-]*):", compact)
                if scheme and scheme.group(1) not in _SAFE_SCHEMES:
                    self.problems.append(f"{name}={url!r} on <{tag}>")


def executable_vectors(fragment: str) -> list[str]:
    parser = _Vectors()
    parser.feed(fragment)
    parser.close()
    for marker in (
        "<script",
        "<iframe",
        "<svg",
        "<math",
        "<object",
        "<embed",
        "<style",
        "<base",
        "<meta",
        "<link",
        "<form",
    ):
        # Escaped text ("&lt;script") is harmless; a live tag would have been parsed above.
        if marker in fragment.lower():
            parser.problems.append(f"raw {marker}")
    return parser.problems


def test_the_payload_list_is_long_enough_to_mean_something() -> None:
    assert len(RAW_PAYLOADS) + len(MARKDOWN_PAYLOADS) >= 80


def test_the_checker_catches_live_vectors() -> None:
    assert executable_vectors("<img src=x onerror=alert(1)>")
    assert executable_vectors('<a href="jav&#x09;ascript:alert(1)">x</a>')
    assert executable_vectors('<img srcset="javascript:alert(1) 1x">')
    assert not executable_vectors('<p>safe <a href="https://example.org">link</a></p>')


@pytest.mark.parametrize("payload", RAW_PAYLOADS)
def test_sanitising_leaves_no_executable_vector(payload: str) -> None:
    assert executable_vectors(sanitize_html(payload)) == []


@pytest.mark.parametrize("payload", RAW_PAYLOADS + MARKDOWN_PAYLOADS)
def test_rendering_leaves_no_executable_vector(payload: str) -> None:
    for source in (
        payload,
        f"Text before.\n\n{payload}\n\nText after.",
        f"- item\n\n    {payload}",
    ):
        assert executable_vectors(render_body(source, media_url=MEDIA).html) == []


def test_safe_markup_survives() -> None:
    source = (
        '<div class="box"><b>bold</b> <a href="https://example.org/x?a=1&b=2" title="t">link</a>'
        '<img src="asset:0123456789ab" alt="a"></div>'
    )
    rendered = render_body(source, media_url=MEDIA).html
    assert '<a href="https://example.org/x?a=1&amp;b=2" title="t">link</a>' in rendered
    assert '<img src="/media/0123456789ab-800.jpg" alt="a">' in rendered
    assert "<b>bold</b>" in rendered
