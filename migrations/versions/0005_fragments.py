"""Fragments: a mention in several pieces ("CD19- and CD22-directed") is one annotation.

``annotation.fragments`` holds the pieces as JSON ``[[start, end], ...]``,
ordered and apart, when there are two or more; NULL is one contiguous piece,
``[start, end]``, as every span before. ``start``/``end`` stay the overall
extent, and the quote of a span in pieces is their texts joined by a single
space, so the quote-length check applies only to contiguous spans.

SQLite cannot alter a CHECK constraint: batch mode copies the table (the app
backs the database up before any upgrade).

Revision ID: 0005_fragments
Revises: 0004_concepts
Create Date: 2026-12-01 17:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005_fragments'
down_revision: str | None = '0004_concepts'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONTIGUOUS = 'length(text) = "end" - start'
PIECES = f'fragments IS NOT NULL OR {CONTIGUOUS}'


def upgrade() -> None:
    with op.batch_alter_table('annotation') as batch_op:
        batch_op.add_column(sa.Column('fragments', sa.Text(), nullable=True))
        batch_op.drop_constraint(op.f('ck_annotation_quote_length'), type_='check')
        batch_op.create_check_constraint('quote_length', PIECES)


def downgrade() -> None:
    # A mention in pieces has no contiguous form that keeps its quote: refuse
    # rather than lose it.
    rows = op.get_bind().execute(sa.text('SELECT count(*) FROM annotation WHERE fragments IS NOT NULL'))
    if rows.scalar():
        raise RuntimeError('the database holds spans in several pieces; export them first')
    with op.batch_alter_table('annotation') as batch_op:
        batch_op.drop_constraint(op.f('ck_annotation_quote_length'), type_='check')
        batch_op.create_check_constraint('quote_length', CONTIGUOUS)
        batch_op.drop_column('fragments')
