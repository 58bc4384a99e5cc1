"""What ``curator merge`` and Review > Merge take as sources: files, URLs, JSONL exports.

A JSONL export is first loaded into a temporary SQLite database, so every
source is merged by the same code as a curator's own file; the temporary
folder is removed once the merge is done, whether it succeeded or not.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from curator.core import migrate
from curator.core.db import Database, open_database
from curator.core.errors import CuratorError
from curator.core.interchange.jsonl_import import import_jsonl
from curator.core.merge import MergeReport, merge_databases


def _load_jsonl(path: Path) -> Database:
    folder = Path(tempfile.mkdtemp(prefix="curator-merge-"))
    db = open_database(f"sqlite:///{folder / (path.stem + '.sqlite')}")
    try:
        migrate.upgrade(db, backup=False)
        import_jsonl(db, path)
    except BaseException:
        db.dispose()
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return db


def open_source(spec: str | Path) -> tuple[Database, bool]:
    """(database, is temporary) for one source: a file, a URL or a JSONL export."""
    if isinstance(spec, str) and "://" in spec:
        return open_database(spec), False
    path = Path(spec).expanduser()
    if not path.is_file():
        raise CuratorError(f"{path}: no such file to merge from")
    if path.suffix.lower() == ".jsonl":
        return _load_jsonl(path), True
    return open_database(f"sqlite:///{path.resolve()}"), False


def merge_sources(target: Database, specs: Sequence[str | Path]) -> MergeReport:
    """Merge every source into *target* in one transaction (see :mod:`curator.core.merge`)."""
    opened: list[tuple[Database, bool]] = []
    try:
        for spec in specs:
            opened.append(open_source(spec))
        return merge_databases(target, [source for source, _ in opened])
    finally:
        for source, temporary in opened:
            source.dispose()
            if temporary and source.path is not None:
                shutil.rmtree(source.path.parent, ignore_errors=True)
