"""``curator export`` to JSONL or Label Studio from a SQLite file, before the full command line.

Importing :mod:`curator.cli` imports SQLAlchemy, the models and every
command's module: about 0.4 s of CPU before any work. For the most common
export, our JSONL out of a SQLite file, SQLite builds every line itself
(:mod:`curator.core.interchange.jsonl_sql`) and the standard library's
``sqlite3`` is all that is needed; at 200,000 spans that start-up was as long
as the export. The same holds for Label Studio tasks
(:mod:`curator.core.interchange.labelstudio_sql`) when the selection holds no
span in pieces and no relation (what that format may lose, and the full
command names). So the entry point (:mod:`curator.launch`) asks this module
first, and it runs that export here when it is one it takes in full:

- the arguments are the global ``--db``, ``--curator``, ``-q`` and
  ``export`` with ``-o``, ``--format jsonl`` or ``--format labelstudio``,
  ``--curator NAME...``, ``--with-deleted`` (JSONL) and ``--allow-loss``,
  spelled out (no abbreviations, no ``--document``, no ``--with-suggestions``);
- the database is an existing SQLite file, in WAL mode, at the schema this
  code ships, and this process can write it (the same probe as every command's
  start: the app refuses a database it cannot save to);
- no ``CURATOR_*`` tuning variable is set that the full start would check.

Anything else, and any doubt (a locked or unreadable database, a value the
full command would refuse), goes to :func:`curator.cli.main`, which gives the
same answer it always gave: this path never reports a usage or start-up error
of its own. What it writes is what the full command writes, byte for byte,
stdout and stderr included (the tests run both and compare).

Where there is a second core, a second process
(:mod:`curator.core.interchange.lines_process`) builds the later half of the
lines in the same snapshot; it is started first, so that it starts while this
one checks the database.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from curator.core.cores import core_to_spare
from curator.core.errors import CuratorError

if TYPE_CHECKING:
    from curator.core.interchange.lines_process import LinesProcess

# Variables this path reads or that do not concern an export; any other CURATOR_*
# variable set (a limit, a timeout...) is checked by the full start, so it runs instead.
_HARMLESS = {"CURATOR_DB", "CURATOR_NAME", "CURATOR_PROGRESS", "CURATOR_PARENT_PID"}
_HARMLESS |= {"CURATOR_REPORT_PAINTED"}
BUSY_TIMEOUT_S = 15.0
"""As ``curator.core.storage.db.BUSY_TIMEOUT_MS`` (``CURATOR_BUSY_TIMEOUT_MS`` unset)."""
HELPED_FROM_BYTES = 16 << 20
"""A database file this large gets a second process building half the lines: below,
its start (some 40 ms of CPU) weighs more than the half it would build."""


PROBE_WAIT_MS = 250
"""How long the write probe waits for another program's write lock before handing over."""


class DeclinedError(Exception):
    """This path does not take the command: the full command line runs it."""


class _Export:
    """The export the arguments ask for (a plain class: ``dataclasses`` costs 15 ms to import)."""

    def __init__(self) -> None:
        self.database: str | None = None
        self.curator: str | None = None
        self.quiet = False
        self.output: str | None = None
        self.format: str | None = None
        self.curators: list[str] | None = None
        self.with_deleted = False
        self.seen: set[str] = set()


def _value(argv: list[str], at: int) -> str:
    if at >= len(argv) or argv[at].startswith("-") or not argv[at]:
        raise DeclinedError
    return argv[at]


def _once(command: _Export, option: str) -> None:
    if option in command.seen:
        raise DeclinedError  # argparse keeps the last; not worth copying
    command.seen.add(option)


def parse_globals(args: list[str], command: _Export) -> int:
    """Read the global options before the command into *command*; the command's index."""
    at = 0
    while at < len(args) and args[at].startswith("-"):
        arg = args[at]
        if arg in ("-q", "--quiet"):
            command.quiet = True
        elif arg in ("--db", "--curator"):
            _once(command, arg)
            setattr(command, arg[2:].replace("db", "database"), _value(args, at + 1))
            at += 1
        else:
            raise DeclinedError
        at += 1
    return at


def parse(argv: Sequence[str]) -> _Export:
    """The export these arguments ask for, or :class:`DeclinedError`."""
    args = list(argv)
    command = _Export()
    at = parse_globals(args, command)
    if at >= len(args) or args[at] != "export":
        raise DeclinedError
    at += 1
    while at < len(args):
        arg = args[at]
        if arg in ("-o", "--output", "--format"):
            _once(command, arg.replace("-o", "--output") if arg == "-o" else arg)
            setattr(command, "output" if arg != "--format" else "format", _value(args, at + 1))
            at += 1
        elif arg == "--curator":
            command.curators = command.curators or []
            names = 0
            while at + 1 < len(args) and not args[at + 1].startswith("-") and args[at + 1]:
                command.curators.append(args[at + 1])
                at += 1
                names += 1
            if not names:
                raise DeclinedError
        elif arg == "--with-deleted":
            command.with_deleted = True
        elif arg != "--allow-loss":  # JSONL holds everything: nothing to allow
            raise DeclinedError
        at += 1
    if command.output is None or command.format not in (None, "jsonl", "labelstudio"):
        raise DeclinedError
    if command.format == "labelstudio" and command.with_deleted:
        raise DeclinedError  # the full command's usage error
    if command.format is None and Path(command.output).suffix.lower() in (
        ".json",
        ".spacy",
        ".xml",
    ):
        raise DeclinedError
    return command


def check_environment(command: _Export) -> None:
    from curator.cli_progress import mode
    from curator.core.safe_text import MAX_CURATOR, name_problem

    for name, value in os.environ.items():
        if not name.startswith("CURATOR_") or name in _HARMLESS or not value.strip():
            continue
        if name != "CURATOR_MODEL_SUGGESTIONS" or value.strip().lower() not in ("on", "off"):
            raise DeclinedError
    mode()  # CURATOR_PROGRESS: a bad value is the full start's error to give
    given = command.curator
    if given is None and os.environ.get("CURATOR_NAME", "").strip():
        given = os.environ["CURATOR_NAME"]
    if given is not None and name_problem(given, "curator name", MAX_CURATOR):
        raise DeclinedError


def database_file(command: _Export) -> Path:
    from curator.core.storage.paths import database_url

    url = database_url(command.database)
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        raise DeclinedError
    path = Path(url[len(prefix) :])
    if not path.is_file() or path.stat().st_size == 0:
        raise DeclinedError  # a new database is created and migrated by the full start
    return path


def _open(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
    )


@contextlib.contextmanager
def snapshot(path: Path, helper: LinesProcess | None = None) -> Iterator[list[sqlite3.Connection]]:
    """A connection to *path* reading one snapshot, once the full start's checks pass.

    The probe of :meth:`Database.ensure_writable` (the write lock, a table
    created and rolled back: the app refuses a database it cannot save to) is
    also what pins the snapshot: while it holds the write lock nobody can
    commit, so every read transaction begun then sees the same state, and
    keeps seeing it after the lock is released a moment later. *helper*, a
    second process building lines (:mod:`curator.core.interchange.lines_process`),
    begins its own read transaction then too, or is not used.
    """
    from curator.core.storage.paths import migrations_dir
    from curator.core.storage.schema_head import head_revision

    cons = [_open(path)]
    try:
        probe = cons[0]
        head = head_revision(migrations_dir())
        versions = [v for (v,) in probe.execute("SELECT version_num FROM alembic_version")]
        (journal,) = probe.execute("PRAGMA journal_mode").fetchone()
        if head is None or versions != [head] or str(journal).lower() != "wal":
            raise DeclinedError
        # Briefly: a database another program is writing goes to the full start, which
        # waits the busy timeout once and names the holder, rather than wait twice.
        probe.execute(f"PRAGMA busy_timeout = {PROBE_WAIT_MS}")
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("CREATE TABLE curator_write_probe (x INTEGER)")
        con = _open(path)
        cons.append(con)
        con.execute("BEGIN")
        con.execute("SELECT count(*) FROM alembic_version").fetchone()  # the snapshot begins
        if helper is not None:
            helper.pin()
        probe.execute("ROLLBACK")
        yield cons[1:]
        for con in cons[1:]:
            con.execute("COMMIT")
    except sqlite3.Error as exc:
        raise DeclinedError from exc
    finally:
        for con in cons:
            con.close()


def export(command: _Export) -> int:
    """Run the export; errors of the export itself are the command's, as in the full path."""
    from curator.core.interchange.lines_process import LinesProcess

    check_environment(command)
    path = database_file(command)
    assert command.output is not None
    output = Path(command.output)
    with contextlib.ExitStack() as stack:
        # First: it starts while this process checks the database and reads the order.
        helper = None
        if path.stat().st_size >= HELPED_FROM_BYTES and core_to_spare():
            helper = LinesProcess.start(path, output.parent)
        if helper is not None:
            stack.callback(helper.close)
        if command.format == "labelstudio":
            return export_labelstudio(command, path, output, helper)
        return export_jsonl(command, path, output, helper)


def export_jsonl(command: _Export, path: Path, output: Path, helper: LinesProcess | None) -> int:
    """The JSONL export and its label file, from one snapshot."""
    from curator.cli_progress import mode, progress_bar, wanted
    from curator.core.files.atomic import atomic_writer
    from curator.core.interchange import labels_text
    from curator.core.interchange.jsonl_sql import write_jsonl
    from curator.core.labels.rows import read_sqlite
    from curator.core.wording import counted

    if labels_text.is_label_file(output):  # its label file would overwrite it
        raise CuratorError(
            f"{output}: name the JSONL file something other than *{labels_text.SUFFIX}"
        )
    drawn = wanted(command.quiet) or (not command.quiet and mode() == "lines")
    with contextlib.ExitStack() as stack:
        cons = stack.enter_context(snapshot(path, helper))
        progress = None
        if drawn:  # else no bar, and no tqdm to import
            progress = stack.enter_context(progress_bar("exporting", "documents", quiet=False))
        written = write_jsonl(
            cons[0],
            output,
            curators=command.curators,
            with_deleted=command.with_deleted,
            progress=progress,
            helper=helper,
        )
        # The label set of the same snapshot, beside the lines (as interchange.jsonl does).
        labels_path = labels_text.label_file(output)
        with atomic_writer(labels_path) as out:
            out.write(labels_text.label_file_text(read_sqlite(cons[0])).encode("utf-8"))
    summary = f"exported {counted(written.documents, 'document')}, "
    summary += f"{counted(written.spans, 'span')} "
    if written.relations:
        summary += f"and {counted(written.relations, 'relation')} "
    try:
        print(output)
        print(labels_path)
        sys.stdout.flush()  # here, so that a closed pipe is seen here and not at exit
    except BrokenPipeError:
        from curator.cli import _reader_went_away

        return _reader_went_away()  # the export is complete: as the full command
    summary += f"as jsonl to {output}, the label set beside it in {labels_path.name}"
    print(summary, file=sys.stderr)
    return 0


def export_labelstudio(
    command: _Export, path: Path, output: Path, helper: LinesProcess | None
) -> int:
    """Label Studio tasks built by SQLite, when it writes them exactly; else the full command.

    A selection holding spans in pieces or relations (what the format may lose,
    and the full command names) or times another tool spelled goes to the full
    command line, before anything is written.
    """
    from curator.cli_progress import mode, progress_bar, wanted
    from curator.core.files.atomic import atomic_writer
    from curator.core.interchange.labelstudio_config import config_path, config_sqlite
    from curator.core.interchange.labelstudio_sql import portable_only, write_tasks
    from curator.core.wording import counted

    drawn = wanted(command.quiet) or (not command.quiet and mode() == "lines")
    with snapshot(path, helper) as cons, contextlib.ExitStack() as stack:
        if portable_only(cons[0], None, command.curators):
            raise DeclinedError
        progress = None
        if drawn:
            progress = stack.enter_context(progress_bar("exporting", "documents", quiet=False))
        written = write_tasks(
            cons[0],
            output,
            curators=command.curators,
            progress=progress,
            checked=True,
            helper=helper,
        )
        assert written is not None
        config = config_path(output)
        with atomic_writer(config) as out:
            out.write(config_sqlite(cons[0]).encode("utf-8"))
    try:
        print(output)
        print(config)
        sys.stdout.flush()
    except BrokenPipeError:
        from curator.cli import _reader_went_away

        return _reader_went_away()
    summary = f"exported {counted(written.documents, 'document')}, "
    summary += f"{counted(written.spans, 'span')} as labelstudio to {output}"
    print(summary, file=sys.stderr)
    return 0


def run(argv: Sequence[str]) -> int | None:
    """The command's exit status, or None when the full command line must run it."""
    try:
        args = list(argv)
        at = parse_globals(args, _Export())
        if args[at : at + 1] == ["list"]:
            from curator.cli_quick_list import run_list

            return run_list(args)
        command = parse(argv)
        return export(command)
    except DeclinedError:
        return None
    except CuratorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted; nothing was written by the unfinished command", file=sys.stderr)
        return 130
