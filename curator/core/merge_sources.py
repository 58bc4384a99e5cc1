"""What ``curator merge`` and Review > Merge take as sources: files, URLs, JSONL exports.

A JSONL export is first loaded into a temporary SQLite database, so every
source is merged by the same code as a curator's own file; the temporary
folder is removed once the merge is done, whether it succeeded or not, and
those of a merge that was killed are removed by the next merge (see
:mod:`curator.core.leftovers`). Labels the export uses that the target lacks
are added, exactly as when the database it came from is merged.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from curator.core import leftovers, migrate
from curator.core.db import Database, open_database
from curator.core.errors import CuratorError
from curator.core.interchange.jsonl_import import import_jsonl
from curator.core.merge import MergeReport, merge_databases

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
        import_jsonl(db, path, add_labels=True)
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


def merge_sources(
    target: Database,
    specs: Sequence[str | Path],
    progress: Callable[[int, int], None] | None = None,
) -> MergeReport:
    """Merge every source into *target* in one transaction (see :mod:`curator.core.merge`).

    *progress* ``(done, total)`` counts the sources opened (loading a JSONL
    export is the slow part) out of one step more, the merge itself. It is
    called before the target is touched, so it may stop the merge by raising
    (:class:`~curator.core.errors.CancelledError`) and leave the target as it was.
    """
    opened: list[tuple[Database, bool]] = []
    steps = len(specs) + 1
    try:
        for i, spec in enumerate(specs, 1):
            opened.append(open_source(spec))
            if progress:
                progress(i, steps)
        return merge_databases(target, [source for source, _ in opened])
    finally:
        for source, temporary in opened:
            source.dispose()
            if temporary and source.path is not None:
                shutil.rmtree(source.path.parent, ignore_errors=True)
