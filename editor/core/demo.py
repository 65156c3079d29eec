"""Sample content for ``newsdesk --demo``: a newsroom's day, so every feature has something to show.

The lead article follows the shape of a real news page (headline, dek, byline,
view and comment counts, section headings, captioned figures, a quoted source,
a comment thread with a spam-filter notice). Images are drawn with Pillow at
run time; nothing is downloaded.
"""

from __future__ import annotations

import atexit
import hashlib
import io
import math
import random
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from editor.core.models import (
    Article,
    ArticleStatus,
    Asset,
    Comment,
    CommentStatus,
    ModerationEvent,
    Revision,
    RevisionReason,
    StoreSetting,
    Tag,
)
from editor.core.store import Store, open_store, sqlite_url

DEMO_NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


@dataclass(frozen=True)
class DemoFigure:
    filename: str
    alt_text: str
    caption: str
    credit: str
    palette: tuple[tuple[int, int, int], tuple[int, int, int], tuple[int, int, int]]
    seed: int


LEAD_FIGURES = (
    DemoFigure(
        filename="barrier-trial.jpg",
        alt_text="Engineers in orange jackets lower a grey steel flood gate across a river lock",
        caption="Engineers lower the trial gate across the Weir Street lock on Monday morning.",
        credit="Photo: Mara Quinn / Riverside Courier",
        palette=((124, 158, 196), (70, 92, 84), (231, 118, 44)),
        seed=7,
    ),
    DemoFigure(
        filename="high-water-mark.jpg",
        alt_text="A brick wall with painted lines marking the heights of past floods",
        caption="Painted marks on the old mill wall record every flood since 1947.",
        credit="Photo: Tomasz Wrona / Riverside Courier",
        palette=((196, 176, 150), (150, 66, 48), (240, 240, 232)),
        seed=11,
    ),
)


def draw_demo_image(figure: DemoFigure, size: tuple[int, int] = (1600, 900)) -> bytes:
    """A photograph-like JPEG (sky, land, subject) drawn deterministically from the figure's seed."""
    width, height = size
    sky, land, accent = figure.palette
    image = Image.new("RGB", size, sky)
    draw = ImageDraw.Draw(image)
    horizon = int(height * 0.58)
    for y in range(horizon):
        shade = y / horizon
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(c * (0.75 + 0.35 * shade)) for c in sky),
        )
    rng = random.Random(figure.seed)
    points = [(0, horizon)]
    for x in range(0, width + 80, 80):
        points.append((x, horizon - int(40 * math.sin(x / 170 + figure.seed) + rng.randint(0, 25))))
    points += [(width, height), (0, height)]
    draw.polygon(points, fill=land)
    for _ in range(14):
        x = rng.randint(0, width)
        y = rng.randint(horizon, height)
        w = rng.randint(60, 260)
        h = rng.randint(30, 140)
        tone = tuple(min(255, int(c * rng.uniform(0.6, 1.3))) for c in land)
        draw.rectangle([x, y - h, x + w, y], fill=tone)
    draw.rectangle(
        [int(width * 0.38), int(height * 0.35), int(width * 0.62), int(height * 0.72)],
        fill=accent,
        outline=(40, 40, 40),
        width=6,
    )
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    output = io.BytesIO()
    image.save(output, "JPEG", quality=85, optimize=True)
    return output.getvalue()


def _asset_for(session: Session, figure: DemoFigure) -> Asset:
    data = draw_demo_image(figure)
    digest = hashlib.sha256(data).hexdigest()
    existing = session.scalar(select(Asset).where(Asset.sha256 == digest))
    if existing is not None:
        return existing
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
    asset = Asset(
        sha256=digest,
        original=data,
        mime="image/jpeg",
        width=width,
        height=height,
        filename=figure.filename,
        alt_text=figure.alt_text,
        caption=figure.caption,
        credit=figure.credit,
        created_at=DEMO_NOW - timedelta(days=1),
    )
    session.add(asset)
    return asset


def figure_markdown(asset: Asset) -> str:
    """Our figure syntax: an image line (alt text, ``asset:`` reference, credit as title),
    then the caption on the next line of the same paragraph."""
    credit = asset.credit.replace('"', "'")
    return f'![{asset.alt_text}](asset:{asset.sha256[:12]} "{credit}")\n{asset.caption}'


def _lead_body(first: Asset, second: Asset) -> str:
    return f"""\
Riverside's new flood barrier was lowered across the Weir Street lock for the first time on Monday, \
a full-scale trial that council engineers say will decide whether the town is ready for this \
winter's storm season. The test, watched by more than two hundred residents from the footbridge, \
closed the lock for four hours while pumps drew the river down on the town side.

{figure_markdown(first)}

According to the council's flood team, the trial is the last step before the barrier is handed \
over. "If the seals hold at full head, we can close the river in under twenty minutes the next \
time the Met Office issues an amber warning," said chief engineer Priya Natarajan, adding that \
the old sandbag plan needed most of a day and three hundred volunteers.

## A Long Wait for the River Wall

The barrier has been on the council's books since the floods of 2019, when the river topped the \
Weir Street wall and flooded sixty homes. Funding stalled twice, and the contract was re-let \
after the first builder went into administration.

Residents of the lower town have waited five winters for it. "We still keep the sandbags in the \
hall," said Doreen Ashby, whose house on Mill Lane flooded twice in three years.

> "Every autumn we move the furniture upstairs and hope. This is the first year I think we might
> not have to."
> — Doreen Ashby, Mill Lane

## How the Barrier Works

The gate is a single steel leaf, forty metres long, that rests on the riverbed and is raised by \
two hydraulic rams in the lock towers. When it is closed, the river is held back on the upstream \
side while pumps move rainwater from the town's drains over the wall.

{figure_markdown(second)}

Engineers will now study the readings from ninety sensors fitted to the gate before it is \
signed off.

## What It Cost, and Who Paid

The scheme cost £18.4 million: £12 million from the national flood defence fund, £4.1 million \
from the council and the rest from a levy on riverside businesses. Councillors voted last \
spring to meet an overspend of £1.3 million from reserves.

## What Happens Next

If the sensor readings are clean, the barrier will be handed to the Environment Agency in \
December and closed for real whenever the river is forecast to pass 3.2 metres at the town \
gauge. A second trial, at night, is planned for early next month.

The council will hold a drop-in session at the library on Thursday for residents who want to \
know what the barrier means for their insurance.
"""


SHORT_ARTICLES = (
    {
        "title": "Library Extends Weekend Hours After Petition",
        "slug": "library-extends-weekend-hours",
        "dek": "The central library will open on Sundays from January.",
        "author": "Sam Okafor",
        "category": "Community",
        "tags": ["Library", "Council"],
        "status": ArticleStatus.PUBLISHED,
        "body": (
            "The central library will open from 10:00 to 16:00 on Sundays from January, "
            "after a petition signed by 2,400 residents.\n\n## Staffing\n\n"
            "The extra hours will be covered by two new part-time posts."
        ),
    },
    {
        "title": "Market Square Traders Brace for Roadworks",
        "slug": "market-square-roadworks",
        "dek": "Six weeks of resurfacing begin after the Christmas market.",
        "author": "Mara Quinn",
        "category": "Business",
        "tags": ["Business", "Transport"],
        "status": ArticleStatus.DRAFT,
        "body": (
            "Traders on Market Square say they are worried about six weeks of resurfacing "
            "planned for January.\n\n## What Traders Say\n\n"
            '"January is quiet anyway, but this will finish some of us," said one stallholder.'
        ),
    },
    {
        "title": "Youth Orchestra Wins Regional Final",
        "slug": "youth-orchestra-regional-final",
        "dek": "Forty young players will represent the county in the national round.",
        "author": "Tomasz Wrona",
        "category": "Culture",
        "tags": ["Music", "Schools"],
        "status": ArticleStatus.SCHEDULED,
        "body": (
            "The Riverside Youth Orchestra won the regional final on Saturday with a programme "
            "of Dvořák and a new piece by a local composer.\n\n## The National Round\n\n"
            "The national round is in March."
        ),
    },
)

FRIENDLY_COMMENTS = (
    (
        "Helen Marsh",
        "helen.marsh@example.org",
        "Watched it from the footbridge. Impressive bit of engineering, and the crew explained everything to the kids.",
    ),
    (
        "Raj Patel",
        "raj.p@example.net",
        "Good to finally see it working. Will the barrier affect the rowing club's access to the lock?",
    ),
    (
        "Doreen Ashby",
        "d.ashby@example.com",
        "Thank you for covering this properly. Mill Lane residents have waited a long time.",
    ),
    (
        "Kofi Mensah",
        "kofi@example.org",
        "Does anyone know whether the drop-in session on Thursday is in the afternoon or the evening?",
    ),
    (
        "Lucy Brennan",
        "lucy.brennan@example.co.uk",
        "The photo of the flood marks on the mill wall is haunting. 1968 was higher than I thought.",
    ),
    (
        "Martin Cole",
        "mcole@example.com",
        "£1.3m overspend from reserves seems a lot. What was cut to pay for it?",
    ),
    (
        "Ana Sousa",
        "ana.sousa@example.pt",
        "Great reporting, clear explanation of how the gate works.",
    ),
    (
        "Peter Lindqvist",
        "peter.l@example.se",
        "Twenty minutes to close is a huge improvement on a day of sandbagging.",
    ),
    (
        "Grace Adeyemi",
        "grace.a@example.org",
        "Will there be a siren or text alert when they close it?",
    ),
    (
        "Tom Hughes",
        "tom.hughes@example.com",
        "My insurer still lists us as high risk. Hoping this changes that.",
    ),
    (
        "Nadia Rahman",
        "nadia.r@example.net",
        "Brilliant to see the engineers answering questions from the crowd.",
    ),
    ("Owen Price", "owen.price@example.co.uk", "Please do a follow-up after the night trial."),
)

REPLIES = (
    (
        "Priya N.",
        "p.natarajan@example.gov",
        "The rowing club keeps access except when the gate is closed; we will publish closure times on the council site.",
    ),
    ("Helen Marsh", "helen.marsh@example.org", "Thanks, that's reassuring."),
    ("Sam Okafor", "sam.okafor@example.org", "The drop-in is 2pm to 7pm, so come whenever suits."),
    (
        "Lucy Brennan",
        "lucy.brennan@example.co.uk",
        "Agreed, we should keep the marks when the mill is converted.",
    ),
    ("Kofi Mensah", "kofi@example.org", "Thanks Sam!"),
    (
        "Martin Cole",
        "mcole@example.com",
        "Found it in the minutes: the resurfacing budget was deferred a year.",
    ),
)

SPAM_COMMENTS = (
    (
        "Cheap Meds Online",
        "sales@pharma-deals.example",
        "http://pharma-deals.example",
        "Best prices!!! http://pharma-deals.example/viagra http://pharma-deals.example/cialis http://pharma-deals.example/offer",
    ),
    (
        "crypto king",
        "win@crypto-fast.example",
        "http://crypto-fast.example",
        "Turn $100 into $10,000 in a week, guaranteed: http://crypto-fast.example/join and http://crypto-fast.example/bonus",
    ),
    (
        "SEO Expert",
        "rank@seo-boost.example",
        "http://seo-boost.example",
        "Your site could rank #1 on Google. Visit http://seo-boost.example and http://seo-boost.example/pricing today",
    ),
    (
        "Replica Watches",
        "watch@replica.example",
        "http://replica.example",
        "Luxury watches 90% off http://replica.example/rolex http://replica.example/omega http://replica.example/sale",
    ),
    (
        "Loan Approved",
        "loans@fastcash.example",
        "http://fastcash.example",
        "Instant loans, no credit check: http://fastcash.example/apply http://fastcash.example/now",
    ),
    (
        "casino bonus",
        "vip@casino-777.example",
        "http://casino-777.example",
        "Free spins!!! http://casino-777.example/spins http://casino-777.example/vip",
    ),
    (
        "Work From Home",
        "jobs@easy-income.example",
        "http://easy-income.example",
        "Earn $500 a day from home http://easy-income.example/start http://easy-income.example/proof",
    ),
    (
        "Cheap Meds Online",
        "sales@pharma-deals.example",
        "http://pharma-deals.example",
        "Best prices!!! http://pharma-deals.example/viagra http://pharma-deals.example/cialis http://pharma-deals.example/offer",
    ),
)

PENDING_COMMENTS = (
    (
        "Jordan Blake",
        "jordan.b@example.com",
        "",
        "First time commenting. How high does the river have to be before the gate closes?",
    ),
    (
        "Elif Yilmaz",
        "elif@example.org",
        "https://elif-photos.example",
        "I took some photos of the trial too: https://elif-photos.example/barrier and https://elif-photos.example/crowd",
    ),
    ("Anonymous", "", "", "Typical council, spend millions and still late."),
    (
        "Chris Dunn",
        "chris.dunn@example.net",
        "",
        "Is the footpath along the towpath staying open during the night trial?",
    ),
    ("Mei Chen", "mei.chen@example.org", "", "Would love a diagram of the rams and the gate leaf."),
    (
        "Bob Stevens",
        "bob@example.com",
        "",
        "The article says 3.2 metres; the council leaflet says 3.0. Which is right?",
    ),
)

FLOOD_AUTHOR = ("FloodWatcher99", "floodwatcher99@example.net", "203.0.113.99")
FLOOD_MESSAGES = (
    "This barrier will fail, mark my words.",
    "They tested it on a calm day, of course it worked.",
    "Wait until the real storm comes.",
    "Nobody asked the residents upstream.",
    "The pumps are too small, I've done the maths.",
    "Check the 2019 report, it's all in there.",
    "Why is nobody talking about the upstream villages?",
    "I'll keep posting until someone answers.",
)

TRASH_COMMENTS = (
    (
        "Angry Reader",
        "angry@example.com",
        "You people are idiots and so is everyone who reads this rag.",
    ),
    ("test", "test@test.example", "test"),
    ("Martin Cole", "mcole@example.com", "Sorry, double post, please delete."),
)


def _tags(session: Session, names: list[str]) -> list[Tag]:
    tags = []
    for name in names:
        slug = name.lower().replace(" ", "-")
        tag = session.scalar(select(Tag).where(Tag.slug == slug))
        if tag is None:
            tag = Tag(name=name, slug=slug)
            session.add(tag)
        tags.append(tag)
    return tags


def _revision(article: Article, reason: RevisionReason, at: datetime) -> Revision:
    return Revision(
        title=article.title,
        body=article.body,
        meta={
            "slug": article.slug,
            "dek": article.dek,
            "author": article.author,
            "category": article.category,
            "tags": [tag.name for tag in article.tags],
        },
        author=article.author,
        reason=reason,
        created_at=at,
    )


def fill_demo_store(session: Session) -> None:
    """Add the sample newsroom to an empty store. Adds only; the caller commits."""
    if session.scalar(select(Article.id).limit(1)) is not None:
        return
    first, second = (_asset_for(session, figure) for figure in LEAD_FIGURES)
    lead = Article(
        title="Flood Barrier Holds in First Full Test as Storm Season Nears: Lower Town Dares to Hope",
        slug="flood-barrier-first-full-test",
        dek=(
            "Council engineers closed the river for four hours on Monday. If the sensor "
            "readings are clean, the £18.4m gate is in service by December."
        ),
        body=_lead_body(first, second),
        status=ArticleStatus.PUBLISHED,
        author="Mara Quinn",
        category="Local News",
        featured_asset=first,
        created_at=DEMO_NOW - timedelta(days=1, hours=3),
        updated_at=DEMO_NOW - timedelta(hours=20),
        published_at=DEMO_NOW - timedelta(hours=20),
        view_count=1834,
    )
    lead.tags = _tags(session, ["Flooding", "Council", "Weir Street"])
    session.add(lead)
    lead.revisions.append(_revision(lead, RevisionReason.MANUAL, DEMO_NOW - timedelta(days=1)))
    lead.revisions.append(_revision(lead, RevisionReason.PUBLISH, DEMO_NOW - timedelta(hours=20)))

    articles = [lead]
    for offset, spec in enumerate(SHORT_ARTICLES, start=1):
        article = Article(
            title=spec["title"],
            slug=spec["slug"],
            dek=spec["dek"],
            body=spec["body"],
            status=spec["status"],
            author=spec["author"],
            category=spec["category"],
            created_at=DEMO_NOW - timedelta(days=offset + 1),
            updated_at=DEMO_NOW - timedelta(hours=offset * 5),
            published_at=(
                DEMO_NOW - timedelta(days=offset)
                if spec["status"] is ArticleStatus.PUBLISHED
                else None
            ),
            scheduled_at=(
                DEMO_NOW + timedelta(days=2) if spec["status"] is ArticleStatus.SCHEDULED else None
            ),
            view_count=120 * offset if spec["status"] is ArticleStatus.PUBLISHED else 0,
        )
        article.tags = _tags(session, list(spec["tags"]))
        article.revisions.append(
            _revision(article, RevisionReason.AUTOSAVE, DEMO_NOW - timedelta(hours=offset * 5))
        )
        session.add(article)
        articles.append(article)
    session.flush()
    _add_demo_comments(session, lead, articles[1])
    # The newsroom's own names, so the spelling checker knows them from the start.
    session.add(
        StoreSetting(
            key="Spelling/custom_words",
            value=["Ashby", "Natarajan", "Priya", "Okafor", "Wrona", "Dvořák", "stallholder"],
        )
    )


def _add_demo_comments(session: Session, lead: Article, other: Article) -> None:
    moment = DEMO_NOW - timedelta(hours=19)

    def add(**fields: object) -> Comment:
        nonlocal moment
        moment += timedelta(minutes=7)
        comment = Comment(created_at=moment, **fields)
        session.add(comment)
        return comment

    def moderated(comment: Comment, status: CommentStatus, actor: str = "Sam Okafor") -> None:
        comment.moderated_by = actor
        comment.moderated_at = comment.created_at + timedelta(minutes=30)
        session.flush()
        session.add(
            ModerationEvent(
                comment_id=comment.id,
                actor=actor,
                action=status.value,
                from_status=CommentStatus.PENDING,
                to_status=status,
                at=comment.moderated_at,
            )
        )

    approved: list[Comment] = []
    for index, (name, email, body) in enumerate(FRIENDLY_COMMENTS):
        comment = add(
            article_id=lead.id,
            author_name=name,
            author_email=email,
            author_ip=f"198.51.100.{10 + index}",
            body=body,
            status=CommentStatus.APPROVED,
            spam_score=0.02 + index * 0.005,
            reasons=["no rule fired", "filter: likely legitimate"],
        )
        moderated(comment, CommentStatus.APPROVED)
        approved.append(comment)
    parents = [approved[1], approved[1], approved[3], approved[4], None, approved[5]]
    reply_objects: list[Comment] = []
    for index, ((name, email, body), parent) in enumerate(zip(REPLIES, parents, strict=True)):
        parent_comment = parent if parent is not None else reply_objects[2]
        comment = add(
            article_id=lead.id,
            parent_id=parent_comment.id,
            author_name=name,
            author_email=email,
            author_ip=f"198.51.100.{60 + index}",
            body=body,
            status=CommentStatus.APPROVED,
            spam_score=0.03,
            reasons=["author has an approved comment"],
        )
        moderated(comment, CommentStatus.APPROVED)
        reply_objects.append(comment)

    for index, (name, email, url, body) in enumerate(SPAM_COMMENTS):
        links = body.count("http")
        reasons = [f"{links} links (hold at 2)", "filter: spam score high"]
        if index == 7:
            reasons.append("exact duplicate of a recent comment")
        comment = add(
            article_id=lead.id if index % 2 == 0 else other.id,
            author_name=name,
            author_email=email,
            author_url=url,
            author_ip=f"192.0.2.{100 + index}",
            user_agent="Mozilla/5.0 (compatible; bot)",
            body=body,
            status=CommentStatus.SPAM,
            spam_score=0.97 - index * 0.01,
            reasons=reasons,
        )
        if index % 3 == 0:
            moderated(comment, CommentStatus.SPAM, actor="Priya Natarajan")

    for index, (name, email, url, body) in enumerate(PENDING_COMMENTS):
        links = body.count("http")
        add(
            article_id=lead.id,
            author_name=name,
            author_email=email,
            author_url=url,
            author_ip=f"198.51.100.{120 + index}",
            body=body,
            status=CommentStatus.PENDING,
            spam_score=0.1 + 0.1 * index,
            reasons=[f"{links} links (hold at 2)"]
            if links >= 2
            else ["first comment from this author"],
        )

    name, email, ip = FLOOD_AUTHOR
    for index, body in enumerate(FLOOD_MESSAGES):
        comment = add(
            article_id=lead.id,
            author_name=name,
            author_email=email,
            author_ip=ip,
            body=body,
            status=CommentStatus.PENDING,
            spam_score=0.45,
            reasons=["flood: same author within 15 s"]
            if index
            else ["first comment from this author"],
        )
        comment.created_at = moment - timedelta(seconds=60) + timedelta(seconds=5 * index)

    for index, (name, email, body) in enumerate(TRASH_COMMENTS):
        comment = add(
            article_id=lead.id,
            author_name=name,
            author_email=email,
            author_ip=f"198.51.100.{200 + index}",
            body=body,
            status=CommentStatus.TRASH,
            spam_score=0.3,
            reasons=["first comment from this author"],
        )
        moderated(comment, CommentStatus.TRASH)

    # Comments on the other articles so the queue spans articles.
    for index in range(17):
        name, email, body = FRIENDLY_COMMENTS[index % len(FRIENDLY_COMMENTS)]
        status = CommentStatus.APPROVED if index % 4 else CommentStatus.PENDING
        add(
            article_id=other.id,
            author_name=name,
            author_email=email,
            author_ip=f"198.51.100.{150 + index}",
            body=f"On the library hours: {body.split('.')[0].lower()}.",
            status=status,
            spam_score=0.05,
            reasons=["author has an approved comment"],
        )
    session.flush()
    # A Core UPDATE with updated_at given keeps the articles' "updated" times as written.
    for article in (lead, other):
        approved_count = session.scalar(
            select(func.count())
            .select_from(Comment)
            .where(Comment.article_id == article.id, Comment.status == CommentStatus.APPROVED)
        )
        session.execute(
            update(Article)
            .where(Article.id == article.id)
            .values(comment_count=approved_count, updated_at=article.updated_at)
            .execution_options(synchronize_session="fetch")
        )


def open_demo_store() -> Store:
    """A throwaway SQLite store filled with the sample newsroom, removed when the process exits."""
    folder = Path(tempfile.mkdtemp(prefix="newsdesk-demo-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    store = open_store(sqlite_url(folder / "demo.sqlite3"))
    with store.session_factory.begin() as session:
        fill_demo_store(session)
    return store
