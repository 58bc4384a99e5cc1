"""Review decisions: the reviewer's log behind the curated (adjudicated) layer.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 12:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('review_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('source_uid', sa.String(length=36), nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=False),
    sa.Column('result_uid', sa.String(length=36), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("(decision = 'reject') = (result_uid IS NULL)", name=op.f('ck_review_decision_result_unless_rejected')),
    sa.CheckConstraint("decision IN ('accept', 'reject', 'edit')", name=op.f('ck_review_decision_decision_known')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_review_decision_document_id_document'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['curator.id'], name=op.f('fk_review_decision_reviewer_id_curator')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_decision')),
    sa.UniqueConstraint('uid', name=op.f('uq_review_decision_uid'))
    )
    with op.batch_alter_table('review_decision', schema=None) as batch_op:
        batch_op.create_index('ix_review_decision_document_reviewer', ['document_id', 'reviewer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_decision_result_uid'), ['result_uid'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_decision_source_uid'), ['source_uid'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('review_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_decision_source_uid'))
        batch_op.drop_index(batch_op.f('ix_review_decision_result_uid'))
        batch_op.drop_index('ix_review_decision_document_reviewer')

    op.drop_table('review_decision')
