"""Concepts: the ids a span names, and the registry of people experts link to.

Revision ID: 0004_concepts
Revises: 0003
Create Date: 2026-11-24 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004_concepts'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('annotation') as batch:
        batch.add_column(sa.Column('concepts', sa.Text(), server_default='[]', nullable=False))
    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('variants', sa.Text(), server_default='[]', nullable=False),
    sa.Column('affiliation', sa.Text(), nullable=False),
    sa.Column('orcid', sa.String(length=19), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.CheckConstraint('length(name) > 0', name=op.f('ck_person_name_not_empty')),
    sa.CheckConstraint('revision >= 1', name=op.f('ck_person_revision_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
    sa.UniqueConstraint('uid', name=op.f('uq_person_uid'))
    )


def downgrade() -> None:
    op.drop_table('person')
    with op.batch_alter_table('annotation') as batch:
        batch.drop_column('concepts')
