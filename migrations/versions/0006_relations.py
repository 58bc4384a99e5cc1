"""Relations between spans, relation types with endpoint rules, label identity.

- ``relation``: a typed link from a head span to a tail span of one
  curator's layer, a register by ``uid`` with tombstones, like an annotation.
  Its ends are annotation uids (global across databases).
- ``relation_type``: the kinds of link and which labels their ends may carry
  (label uids), seeded with ``acts_on``, ``has_outcome`` and ``reports``.
- ``label`` gains a ``uid`` (derived from the name, so the same default
  label is the same row in every database and merges by identity, renames
  included), and ``updated_at``/``deleted_at``/``revision`` so label edits
  travel with merges like any other data.

The uids are computed here with the same namespace as
``curator.core.storage.models`` (frozen: a migration must not change when
the code does).

Revision ID: 0006_relations
Revises: 0005_fragments
Create Date: 2026-12-01 19:50:00
"""

import datetime as dt
import json
import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006_relations'
down_revision: str | None = '0005_fragments'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEEDED_AT = dt.datetime(2026, 12, 1, 19, 50)

NAMESPACE = uuid.UUID('6f1c2a4e-3b7d-5e89-9a0b-4c2d8e7f1a35')

# name, head labels, tail labels, key, colour, description (frozen copy)
SEED_TYPES = (
    ('acts_on', ('therapy',), ('target',), 'a', '#0072B2',
     'The therapy acts on, binds or inhibits the target.'),
    ('has_outcome', ('therapy',), ('outcome',), 'o', '#009E73',
     'The therapy was followed by the outcome.'),
    ('reports', ('expert',), ('therapy', 'target', 'outcome'), 'r', '#CC79A7',
     'The expert reported or is credited with the finding.'),
)


def _uid(kind: str, name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f'{kind}:{name}'))


def upgrade() -> None:
    bind = op.get_bind()
    # One fixed time for every database, not the moment of upgrading: the
    # seeded types and the labels as they stood are the same register
    # versions everywhere, so merging two databases never sees an "edit"
    # that is only a different upgrade time. Any real edit comes later.
    now = SEEDED_AT
    if bind.dialect.name == 'sqlite':
        # Batch mode copies ``label``, which spans refer to; deferred, the
        # foreign keys are checked at commit, when the copy has its name back.
        op.execute('PRAGMA defer_foreign_keys = ON')
    with op.batch_alter_table('label') as batch:
        batch.add_column(sa.Column('uid', sa.String(length=36), nullable=True))
        batch.add_column(sa.Column('updated_at', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('deleted_at', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('revision', sa.Integer(), server_default='1', nullable=False))
    labels = bind.execute(sa.text('SELECT id, name FROM label')).all()
    for id_, name in labels:
        bind.execute(
            sa.text('UPDATE label SET uid = :uid, updated_at = :now WHERE id = :id'),
            {'uid': _uid('label', name), 'now': now, 'id': id_},
        )
    with op.batch_alter_table('label') as batch:
        batch.alter_column('uid', existing_type=sa.String(length=36), nullable=False)
        batch.alter_column('updated_at', existing_type=sa.DateTime(), nullable=False)
        batch.alter_column('revision', existing_type=sa.Integer(), server_default=None)
        batch.create_unique_constraint(op.f('uq_label_uid'), ['uid'])
        batch.create_check_constraint('revision_positive', 'revision >= 1')

    op.create_table('relation_type',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('head_labels', sa.Text(), server_default='[]', nullable=False),
    sa.Column('tail_labels', sa.Text(), server_default='[]', nullable=False),
    sa.Column('shortcut', sa.String(length=20), nullable=True),
    sa.Column('color', sa.String(length=7), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.CheckConstraint('length(name) > 0', name=op.f('ck_relation_type_name_not_empty')),
    sa.CheckConstraint('revision >= 1', name=op.f('ck_relation_type_revision_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_relation_type')),
    sa.UniqueConstraint('name', name=op.f('uq_relation_type_name')),
    sa.UniqueConstraint('uid', name=op.f('uq_relation_type_uid'))
    )
    relation_type = sa.table(
        'relation_type',
        sa.column('uid', sa.String), sa.column('name', sa.String),
        sa.column('head_labels', sa.Text), sa.column('tail_labels', sa.Text),
        sa.column('shortcut', sa.String), sa.column('color', sa.String),
        sa.column('description', sa.Text), sa.column('position', sa.Integer),
        sa.column('updated_at', sa.DateTime), sa.column('revision', sa.Integer),
    )
    op.bulk_insert(relation_type, [
        {
            'uid': _uid('relation_type', name),
            'name': name,
            'head_labels': json.dumps([_uid('label', label) for label in heads]),
            'tail_labels': json.dumps([_uid('label', label) for label in tails]),
            'shortcut': key, 'color': colour, 'description': description,
            'position': position, 'updated_at': now, 'revision': 1,
        }
        for position, (name, heads, tails, key, colour, description) in enumerate(SEED_TYPES)
    ])

    op.create_table('relation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('curator_id', sa.Integer(), nullable=False),
    sa.Column('type_id', sa.Integer(), nullable=False),
    sa.Column('head_uid', sa.String(length=36), nullable=False),
    sa.Column('tail_uid', sa.String(length=36), nullable=False),
    sa.Column('origin', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.CheckConstraint('head_uid <> tail_uid', name=op.f('ck_relation_ends_differ')),
    sa.CheckConstraint("origin IN ('manual', 'suggested', 'imported', 'adjudicated')", name=op.f('ck_relation_origin_known')),
    sa.CheckConstraint('revision >= 1', name=op.f('ck_relation_revision_positive')),
    sa.ForeignKeyConstraint(['curator_id'], ['curator.id'], name=op.f('fk_relation_curator_id_curator')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_relation_document_id_document'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['head_uid'], ['annotation.uid'], name=op.f('fk_relation_head_uid_annotation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tail_uid'], ['annotation.uid'], name=op.f('fk_relation_tail_uid_annotation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['type_id'], ['relation_type.id'], name=op.f('fk_relation_type_id_relation_type')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_relation')),
    sa.UniqueConstraint('uid', name=op.f('uq_relation_uid'))
    )
    with op.batch_alter_table('relation') as batch:
        batch.create_index('ix_relation_document_curator', ['document_id', 'curator_id'], unique=False)
        batch.create_index(batch.f('ix_relation_head_uid'), ['head_uid'], unique=False)
        batch.create_index(batch.f('ix_relation_tail_uid'), ['tail_uid'], unique=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('PRAGMA defer_foreign_keys = ON')
    # Relations have no place in the older schema: refuse rather than lose them.
    rows = op.get_bind().execute(sa.text('SELECT count(*) FROM relation'))
    if rows.scalar():
        raise RuntimeError('the database holds relations; export them first')
    op.drop_table('relation')
    op.drop_table('relation_type')
    with op.batch_alter_table('label') as batch:
        batch.drop_constraint(op.f('ck_label_revision_positive'), type_='check')
        batch.drop_constraint(op.f('uq_label_uid'), type_='unique')
        batch.drop_column('revision')
        batch.drop_column('deleted_at')
        batch.drop_column('updated_at')
        batch.drop_column('uid')
