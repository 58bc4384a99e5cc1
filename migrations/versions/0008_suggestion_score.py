"""A suggestion's own confidence, when its source gives one (a trained model).

``suggestion.score`` in [0, 1], NULL for the rule and lexicon sources, whose
confidence is their source's documented prior
(``curator.core.suggest.confidence``). Stored so that "most uncertain first"
orders a model's suggestions by the model's own probability.

Revision ID: 0008_suggestion_score
Revises: 0007_activity_search
Create Date: 2026-12-01 21:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0008_suggestion_score'
down_revision: str | None = '0007_activity_search'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('suggestion') as batch:
        batch.add_column(sa.Column('score', sa.Float(), nullable=True))


def downgrade() -> None:
    # A score is derived from the model and can be computed again: nothing is lost.
    with op.batch_alter_table('suggestion') as batch:
        batch.drop_column('score')
