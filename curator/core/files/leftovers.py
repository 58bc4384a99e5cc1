"""Temporary files and folders the app makes, named so that they can be cleaned up later.

Exports, backups and merges work in temporary files beside (or, for
merges, below the system's temporary folder of) their result, and rename
them into place at the end. A process killed with SIGKILL, or a power cut,
runs no cleanup, so those temporaries stay behind. Each one carries an owner
tag, ``PID@HOST``, in its name; the next run of the same operation removes
those that are provably stale:

* the name has the exact shape the operation gives its temporaries, and
* the owner is a process on this machine that no longer exists, or nothing
  has written to the entry for :data:`STALE_AFTER` seconds (an owner on
  another machine sharing the folder, whose pid cannot be checked from here).

Anything else, including a temporary whose owner is alive, is left alone.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import time
from collections.abc import Callable
from pathlib import Path


def _no_checkpoint(step: str) -> None:
    return None


checkpoint: Callable[[str], None] = _no_checkpoint
"""Called (by name) at the moments a temporary exists, or a replacement is half-way; the
crash tests replace it in a child process to kill it exactly there."""

STALE_AFTER = 24 * 3600
"""Seconds without a write after which a temporary of another machine is abandoned."""

_TAG = re.compile(r"(?P<pid>\d+)@(?P<host>[A-Za-z0-9-]+)")


def _host() -> str:
    host = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname().split(".")[0])
    return host[:32] or "host"


def owner_tag() -> str:
    """``PID@HOST`` of this process, the part of a temporary's name that says whose it is."""
    return f"{os.getpid()}@{_host()}"


TAG_PATTERN = _TAG.pattern
"""A regular expression for :func:`owner_tag`, to build the name patterns of temporaries."""


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, owned by another user
        return True
    return True


def _newest_write(path: Path) -> float:
    """The latest modification time of *path* and, for a folder, of everything inside."""
    newest = path.lstat().st_mtime
    if path.is_dir() and not path.is_symlink():
        for folder, dirs, files in os.walk(path):
            for name in dirs + files:
                with contextlib.suppress(OSError):
                    newest = max(newest, os.lstat(os.path.join(folder, name)).st_mtime)
    return newest


def is_stale(path: Path, tag: str) -> bool:
    """Whether the temporary *path*, owned by *tag* (``PID@HOST``), is abandoned."""
    match = _TAG.fullmatch(tag)
    if match is None:
        return False
    if match["host"] == _host() and not _pid_alive(int(match["pid"])):
        return True
    return untouched_for_a_day(path)


def untouched_for_a_day(path: Path) -> bool:
    """Whether nothing has written to *path* (or inside it) for :data:`STALE_AFTER` seconds."""
    try:
        return time.time() - _newest_write(path) > STALE_AFTER
    except OSError:
        return False


def remove(path: Path) -> None:
    """Delete a file, a symlink or a whole folder; quietly, since it may be gone already."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def stale_entries(folder: Path, pattern: re.Pattern[str]) -> list[Path]:
    """Entries of *folder* whose whole name matches *pattern* (with a group ``owner``)
    and whose owner is gone, sorted by name."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    found = []
    for name in sorted(names):
        match = pattern.fullmatch(name)
        if match is not None and is_stale(folder / name, match["owner"]):
            found.append(folder / name)
    return found


def remove_stale(folder: Path, pattern: re.Pattern[str]) -> list[Path]:
    """Delete the stale entries of *folder* matching *pattern*; return what was removed."""
    removed = stale_entries(folder, pattern)
    for path in removed:
        remove(path)
    return removed


_TEMPORARY = re.compile(r"\..+\.(tmp|old)")


def is_temporary_name(name: str) -> bool:
    """Whether *name* is a hidden ``.tmp`` or ``.old`` entry: an export not yet (or no
    longer) in place, never an article or a span file of the user's."""
    return _TEMPORARY.fullmatch(name) is not None


def bounded_name(name: str, max_bytes: int) -> str:
    """*name* cut to at most *max_bytes* of UTF-8, on a character boundary.

    File systems limit one name to 255 bytes, not characters: 100 characters
    outside the Basic Multilingual Plane are already 400 bytes.
    """
    data = name.encode("utf-8", "surrogatepass")
    if len(data) <= max_bytes:
        return name
    return data[:max_bytes].decode("utf-8", "ignore")
