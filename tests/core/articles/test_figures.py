from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from editor.core.articles.figures import (
    assets_for_prefixes,
    figure_markdown,
    figures_missing_alt_text,
    find_figures,
)
from editor.core.demo import LEAD_FIGURES
from editor.core.models import Asset
from editor.core.store import Store

BODY = """Intro paragraph.

![Engineers lower a gate](asset:2c28ea6921bb "Photo: Mara Quinn")
Engineers lower the trial gate
across the lock.

Not a figure: ![inline](asset:aaaaaaaaaaaa) mid-sentence.

```
![in code](asset:bbbbbbbbbbbb)
```

![](https://example.org/remote.jpg)
"""


def test_figures_are_found_with_alt_credit_and_caption() -> None:
    figures = find_figures(BODY)
    assert [(f.line, f.end_line) for f in figures] == [(2, 4), (12, 12)]
    first, second = figures
    assert first.alt_text == "Engineers lower a gate"
    assert first.asset_prefix == "2c28ea6921bb"
    assert first.credit == "Photo: Mara Quinn"
    assert first.caption == "Engineers lower the trial gate across the lock."
    assert second.asset_prefix is None and second.target == "https://example.org/remote.jpg"
    assert figures_missing_alt_text(BODY) == [second]


@given(
    alt=st.text(
        alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=40
    ).filter(str.strip),
    credit=st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=30),
    caption=st.text(
        alphabet=st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="!`~"),
        max_size=60,
    ),
)
def test_figure_markdown_round_trips(alt: str, credit: str, caption: str) -> None:
    source = (
        "Before.\n\n"
        + figure_markdown(target="asset:0123456789ab", alt_text=alt, credit=credit, caption=caption)
        + "\n\nAfter."
    )
    (figure,) = find_figures(source)
    assert figure.alt_text == alt.strip()
    assert figure.credit == credit.strip()
    assert figure.caption == " ".join(caption.split())


def test_prefixes_resolve_to_stored_images(demo_store: Store) -> None:
    with demo_store.session_factory() as session:
        shas = [sha for (sha,) in session.query(Asset.sha256).all()]
        found = assets_for_prefixes(session, [shas[0][:12], "ffffffffffff"])
    assert list(found) == [shas[0][:12]]
    assert found[shas[0][:12]].sha256 == shas[0]
    assert {f.filename for f in LEAD_FIGURES} >= {found[shas[0][:12]].filename}
