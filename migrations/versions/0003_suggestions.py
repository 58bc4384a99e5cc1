"""Suggestions: proposed spans per curator, pending until accepted or rejected.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 12:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('suggestion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('curator_id', sa.Integer(), nullable=False),
    sa.Column('label_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=100), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('annotation_uid', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('length(text) = "end" - start', name=op.f('ck_suggestion_quote_length')),
    sa.CheckConstraint('start < "end"', name=op.f('ck_suggestion_start_before_end')),
    sa.CheckConstraint('start >= 0', name=op.f('ck_suggestion_start_not_negative')),
    sa.CheckConstraint("state IN ('pending', 'accepted', 'rejected')", name=op.f('ck_suggestion_state_known')),
    sa.ForeignKeyConstraint(['curator_id'], ['curator.id'], name=op.f('fk_suggestion_curator_id_curator')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_suggestion_document_id_document'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['label_id'], ['label.id'], name=op.f('fk_suggestion_label_id_label')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestion')),
    sa.UniqueConstraint('document_id', 'curator_id', 'start', 'end', 'label_id', name=op.f('uq_suggestion_document_id'))
    )


def downgrade() -> None:
    op.drop_table('suggestion')
