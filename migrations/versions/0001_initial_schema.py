"""Initial schema: documents, curators, labels (seeded), annotations, status.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 11:24:11.072019
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('curator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.CheckConstraint('length(name) > 0', name=op.f('ck_curator_name_not_empty')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_curator')),
    sa.UniqueConstraint('name', name=op.f('uq_curator_name'))
    )
    op.create_table('document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=64), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('meta', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('length(uid) = 64', name=op.f('ck_document_uid_sha256')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document')),
    sa.UniqueConstraint('uid', name=op.f('uq_document_uid'))
    )
    op.create_table('label',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('color', sa.String(length=7), nullable=False),
    sa.Column('shortcut', sa.String(length=20), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint('length(name) > 0', name=op.f('ck_label_name_not_empty')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_label')),
    sa.UniqueConstraint('name', name=op.f('uq_label_name')),
    sa.UniqueConstraint('shortcut', name=op.f('uq_label_shortcut'))
    )
    op.create_table('annotation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('curator_id', sa.Integer(), nullable=False),
    sa.Column('label_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('origin', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.CheckConstraint("origin IN ('manual', 'suggested', 'imported', 'adjudicated')", name=op.f('ck_annotation_origin_known')),
    sa.CheckConstraint('length(text) = "end" - start', name=op.f('ck_annotation_quote_length')),
    sa.CheckConstraint('revision >= 1', name=op.f('ck_annotation_revision_positive')),
    sa.CheckConstraint('start < "end"', name=op.f('ck_annotation_start_before_end')),
    sa.CheckConstraint('start >= 0', name=op.f('ck_annotation_start_not_negative')),
    sa.ForeignKeyConstraint(['curator_id'], ['curator.id'], name=op.f('fk_annotation_curator_id_curator')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_annotation_document_id_document'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['label_id'], ['label.id'], name=op.f('fk_annotation_label_id_label')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annotation')),
    sa.UniqueConstraint('uid', name=op.f('uq_annotation_uid'))
    )
    with op.batch_alter_table('annotation', schema=None) as batch_op:
        batch_op.create_index('ix_annotation_document_curator', ['document_id', 'curator_id'], unique=False)

    op.create_table('document_status',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('curator_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('new', 'in_progress', 'done')", name=op.f('ck_document_status_status_known')),
    sa.ForeignKeyConstraint(['curator_id'], ['curator.id'], name=op.f('fk_document_status_curator_id_curator')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_document_status_document_id_document'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id', 'curator_id', name=op.f('pk_document_status'))
    )

    label = sa.table(
        "label",
        sa.column("name", sa.String),
        sa.column("color", sa.String),
        sa.column("shortcut", sa.String),
        sa.column("description", sa.Text),
        sa.column("position", sa.Integer),
    )
    # Frozen copy of the default label set (Okabe-Ito colours, keys 1-4):
    # a migration must not change when the code's defaults change later.
    op.bulk_insert(
        label,
        [
            {"name": "therapy", "color": "#0072B2", "shortcut": "1", "position": 0,
             "description": "A named treatment or kind of treatment given or studied."},
            {"name": "target", "color": "#E69F00", "shortcut": "2", "position": 1,
             "description": "The molecule, antigen, gene or pathway a therapy acts through."},
            {"name": "outcome", "color": "#009E73", "shortcut": "3", "position": 2,
             "description": "A reported result of a treatment or study, with its measure."},
            {"name": "expert", "color": "#CC79A7", "shortcut": "4", "position": 3,
             "description": "A named person quoted, interviewed or credited."},
        ],
    )


def downgrade() -> None:
    op.drop_table('document_status')
    with op.batch_alter_table('annotation', schema=None) as batch_op:
        batch_op.drop_index('ix_annotation_document_curator')

    op.drop_table('annotation')
    op.drop_table('label')
    op.drop_table('document')
    op.drop_table('curator')
