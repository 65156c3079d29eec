"""index only the replies' parent ids

``ix_comment_parent_id`` held an entry for every comment, and most comments are
not replies: a million NULL keys. Each status change writes a new version of the
comment row, and each new version went into that run of NULLs, at a place set by
where the row landed in the table. Nothing looks up a NULL parent (threads and
``ON DELETE SET NULL`` look up one comment's replies), so the index now keeps
replies only, and a moderator's status change no longer writes to it.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_REPLIES_ONLY = sa.text("parent_id IS NOT NULL")


def upgrade() -> None:
    op.drop_index("ix_comment_parent_id", table_name="comment")
    op.create_index(
        "ix_comment_parent_id",
        "comment",
        ["parent_id"],
        postgresql_where=_REPLIES_ONLY,
        sqlite_where=_REPLIES_ONLY,
    )


def downgrade() -> None:
    op.drop_index("ix_comment_parent_id", table_name="comment")
    op.create_index("ix_comment_parent_id", "comment", ["parent_id"])
