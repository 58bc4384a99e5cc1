"""Reading a file the user gave us: a regular file only, and never more than a limit.

``curator import z.txt`` with ``z.txt`` a link to ``/dev/zero`` would read
forever, a named pipe would wait forever for a writer, and a JSONL file has
no natural size. So every importer reads through :func:`read_input`: the
path must be a regular file (checked with ``stat`` before it is opened, and
again on the open descriptor, which is opened non-blocking so that even a
pipe swapped in between cannot hang), it is read up to its limit and no
further, and its name must be text a database and an export can hold.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from curator.core.environment import MB, megabytes
from curator.core.errors import InputError
from curator.core.safe_text import text_problem

DEFAULT_SPAN_FILE_MB = 4096
"""JSONL and BioC XML files: ``CURATOR_MAX_SPAN_FILE_MB`` (a 1,000,000-span export is ~400 MB)."""
DEFAULT_LINE_MB = 256
"""One JSONL line, one document with its spans: ``CURATOR_MAX_LINE_MB``."""

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
)


def span_file_limit() -> int:
    return megabytes("CURATOR_MAX_SPAN_FILE_MB", DEFAULT_SPAN_FILE_MB * MB)


def line_limit() -> int:
    return megabytes("CURATOR_MAX_LINE_MB", DEFAULT_LINE_MB * MB)


def size_text(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def check_name(path: Path) -> None:
    """Refuse a file whose name is not UTF-8 text: it is stored with the document."""
    problem = text_problem(str(path))
    if problem:
        shown = os.fsencode(path).decode("utf-8", "backslashreplace")
        raise InputError(shown, "the file name is not valid UTF-8; rename the file")


def read_input(path: Path, limit: int, what: str, setting: str) -> bytes:
    """The bytes of *path*, a regular file of at most *limit* bytes.

    *what* names the kind of file in the message ("an article") and
    *setting* the variable that raises the limit.
    """
    check_name(path)
    try:
        before = os.stat(path)
        if not stat.S_ISREG(before.st_mode):
            raise InputError(path, f"is {_kind(before.st_mode)}, not a regular file; not read")
        _check_size(path, before.st_size, limit, what, setting)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as file:
            opened = os.fstat(file.fileno())
            if not stat.S_ISREG(opened.st_mode):
                raise InputError(path, f"is {_kind(opened.st_mode)}, not a regular file; not read")
            data = _read_to(file, min(opened.st_size, limit), limit)
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror or exc}") from None
    if len(data) > limit:  # it grew after the stat
        _check_size(path, None, limit, what, setting)
    return data


def _read_to(file: BinaryIO, size: int, limit: int) -> bytes:
    """The file's bytes, and one past *limit* if it has them.

    A read of n bytes reserves n bytes first, so the read asks for the size
    ``stat`` gave (plus one, to see growth), never for the limit itself; a
    file that grew since is read on in chunks, to one byte past the limit.
    """
    data = file.read(size + 1)
    if len(data) <= size:
        return data
    chunks = [data]
    total = len(data)
    while total <= limit:
        chunk = file.read(min(1 << 20, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _check_size(path: Path, size: int | None, limit: int, what: str, setting: str) -> None:
    if size is None or size > limit:
        found = "is" if size is None else f"is {size_text(size)},"
        raise InputError(
            path,
            f"{found} over the {size_text(limit)} limit for {what} "
            f"(set {setting} to raise it); nothing was imported",
        )
