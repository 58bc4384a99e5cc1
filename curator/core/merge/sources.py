"""What ``curator merge`` and Review > Merge take as sources: files, URLs, JSONL exports.

A JSONL export is first loaded into a temporary SQLite database, so every
source is merged by the same code as a curator's own file; the temporary
folder is removed once the merge is done, whether it succeeded or not, and
those of a merge that was killed are removed by the next merge (see
:mod:`curator.core.files.leftovers`). Labels the export uses that the target lacks
are added, exactly as when the database it came from is merged. The
report names the user's file, never the temporary one.

A JSONL export holds each document's statuses without their times; they are
taken as of the file's last modification (when the export was written), so
a status changed in the target since then is kept, and merging the same
file again finds nothing newer and changes nothing.

A source that is the target itself (the same file, by device and inode,
whatever the path or symlink that names it) is refused before any source is
opened: a database cannot be merged into itself, and opening the live file
outside SQLite would cost the target its locks.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import update

from curator.core.errors import CuratorError
from curator.core.files import leftovers
from curator.core.interchange.jsonl_import import import_jsonl
from curator.core.merge.engine import merge_databases, merging_into_itself
from curator.core.merge.report import MergeReport
from curator.core.storage import migrate
from curator.core.storage.db import Database, open_database
from curator.core.storage.models import DocumentStatus

_TEMPORARY = re.compile(rf"curator-merge-(?P<owner>{leftovers.TAG_PATTERN})-[A-Za-z0-9_]+")
_UNOWNED = re.compile(r"curator-merge-[a-z0-9_]{8}")
"""The folders of older versions, whose names say no owner: removed after a day untouched."""


def _remove_leftovers(scratch: Path) -> None:
    leftovers.remove_stale(scratch, _TEMPORARY)
    for folder in scratch.glob("curator-merge-*"):
        if _UNOWNED.fullmatch(folder.name) and leftovers.untouched_for_a_day(folder):
            leftovers.remove(folder)


def _load_jsonl(path: Path) -> Database:
    scratch = Path(tempfile.gettempdir())
    _remove_leftovers(scratch)
    folder = Path(tempfile.mkdtemp(prefix=f"curator-merge-{leftovers.owner_tag()}-", dir=scratch))
    db = open_database(f"sqlite:///{folder / (path.stem + '.sqlite')}")
    try:
        migrate.upgrade(db, backup=False)
        written = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
        import_jsonl(db, path, add_labels=True)
        with db.write() as session:
            session.execute(update(DocumentStatus).values(updated_at=written))
        leftovers.checkpoint("merge-source-loaded")
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


def refuse_the_target(target: Database, spec: str | Path) -> None:
    """Raise if *spec* names the file *target* is (stat only: the file is never opened)."""
    if target.path is None or (isinstance(spec, str) and "://" in spec):
        return
    path = Path(spec).expanduser()
    try:
        same = os.path.samefile(path, target.path)
    except OSError:  # missing or unreadable: open_source says so
        return
    if same:
        raise merging_into_itself(str(path), target)


def merge_sources(
    target: Database,
    specs: Sequence[str | Path],
    progress: Callable[[int, int], None] | None = None,
) -> MergeReport:
    """Merge every source into *target* in one transaction (see :mod:`curator.core.merge.engine`).

    *progress* ``(done, total)`` counts the sources opened (loading a JSONL
    export is the slow part) out of one step more, the merge itself. It is
    called before the target is touched, so it may stop the merge by raising
    (:class:`~curator.core.errors.CancelledError`) and leave the target as it was.
    """
    for spec in specs:
        refuse_the_target(target, spec)
    opened: list[tuple[Database, bool]] = []
    shown: dict[str, str] = {}  # a temporary database's name -> the user's file
    steps = len(specs) + 1
    try:
        for i, spec in enumerate(specs, 1):
            source, temporary = open_source(spec)
            opened.append((source, temporary))
            if temporary:
                shown[source.display_name] = str(Path(spec).expanduser())
            if progress:
                progress(i, steps)
        report = merge_databases(target, [source for source, _ in opened])
        report.sources = [shown.get(name, name) for name in report.sources]
        return report
    finally:
        for source, temporary in opened:
            source.dispose()
            if temporary and source.path is not None:
                shutil.rmtree(source.path.parent, ignore_errors=True)
