"""Active time per curator and document, and full-text search of documents.

- ``document_status.active_seconds``: active annotation time, idle gaps left
  out; it only grows for one curator, so a merge keeps the larger value.
- On SQLite, ``document_search``: an FTS5 index over each document's title
  and text, kept current by triggers on ``document`` (an external-content
  table, so the text is not stored twice). It is derived data: ``rebuild``
  remakes it from ``document`` at any time. PostgreSQL has no FTS5; its
  search runs on the server's own text search and needs nothing here.

A later migration that copies ``document`` in batch mode drops these
triggers with the old table and must create them again.

Revision ID: 0007_activity_search
Revises: 0006_relations
Create Date: 2026-12-01 19:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007_activity_search'
down_revision: str | None = '0006_relations'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FTS = [
    "CREATE VIRTUAL TABLE document_search USING fts5("
    "title, text, content='document', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER document_search_insert AFTER INSERT ON document BEGIN "
    "INSERT INTO document_search(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER document_search_delete AFTER DELETE ON document BEGIN "
    "INSERT INTO document_search(document_search, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER document_search_update AFTER UPDATE OF title, text ON document BEGIN "
    "INSERT INTO document_search(document_search, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO document_search(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "INSERT INTO document_search(document_search) VALUES ('rebuild')",
]


def upgrade() -> None:
    with op.batch_alter_table('document_status') as batch:
        batch.add_column(sa.Column('active_seconds', sa.Integer(), server_default='0', nullable=False))
        batch.create_check_constraint('active_seconds_not_negative', 'active_seconds >= 0')
    if op.get_bind().dialect.name == 'sqlite':
        for statement in FTS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        for trigger in ('insert', 'delete', 'update'):
            op.execute(f'DROP TRIGGER IF EXISTS document_search_{trigger}')
        op.execute('DROP TABLE IF EXISTS document_search')
    with op.batch_alter_table('document_status') as batch:
        batch.drop_constraint(op.f('ck_document_status_active_seconds_not_negative'), type_='check')
        batch.drop_column('active_seconds')
