"""``curator db check``: is the schema current and the file intact?"""

from __future__ import annotations

from sqlalchemy import text

from curator.core.errors import CuratorError
from curator.core.storage import migrate
from curator.core.storage.db import Database, translate_errors


def check_database(db: Database) -> list[str]:
    """Problems found, as messages; an empty list means healthy."""
    problems: list[str] = []
    try:
        state = migrate.schema_state(db)
    except CuratorError as exc:
        return [str(exc)]
    if not state.at_head:
        problems.append(
            f"{db.display_name}: schema is at {state.current or 'nothing (empty database)'}, "
            f"not {state.head}; run: {migrate.upgrade_command(db)}"
        )
    if db.is_sqlite:
        with translate_errors(db), db.engine.connect() as conn:
            rows = [r[0] for r in conn.execute(text("PRAGMA integrity_check"))]
            if rows != ["ok"]:
                problems.extend(f"{db.display_name}: integrity: {r}" for r in rows[:20])
            fk = conn.execute(text("PRAGMA foreign_key_check")).all()
            if fk:
                problems.append(f"{db.display_name}: {len(fk)} rows break foreign keys")
    return problems
