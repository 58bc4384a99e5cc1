"""Files and folders that appear complete or not at all, with the permissions the user set.

An export is written into a temporary file (or folder) beside its
destination, synced, and renamed into place only when complete, so the
destination holds either the previous export or the complete new one: a
crash, a kill or a full disk never leaves a half-written export where the
user expects a finished one. Temporaries carry their owner in their name
(see :mod:`curator.core.files.leftovers`), and those of a process that died are
removed by the next export to the same place.

Replacing a folder (brat) cannot be one ``rename``: POSIX renames a folder
only onto a missing or empty one. On Linux both trees are swapped with one
``renameat2(RENAME_EXCHANGE)`` call, which is atomic. Elsewhere (or on a file
system without it) the old tree is first moved aside, then the new one is
moved in; if the process dies between the two, the next export to the same
place, before doing anything else, moves the old tree back.

``mkstemp`` and ``mkdtemp`` create private (0600, 0700) entries; exports are
meant to be shared, so the result gets the modes the user's umask gives a
new file (``0666 & ~umask``) or folder (``0777 & ~umask``).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from curator.core.errors import CuratorError
from curator.core.files import leftovers

use_exchange = sys.platform == "linux"
"""Whether to try ``renameat2(RENAME_EXCHANGE)``; the crash tests turn it off for the fallback."""

_SHORT = 120
"""Bytes of the destination's name kept in a temporary's name (255 bytes at most in all)."""


def current_umask() -> int:
    """The process umask, read without changing it where the system allows."""
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status") as status:
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)  # no /proc: the only portable way is to set it and set it back
    os.umask(mask)
    return mask


def _temp_prefix(path: Path) -> str:
    return f".{leftovers.bounded_name(path.name, _SHORT)}."


def _temp_pattern(path: Path, suffix: str) -> re.Pattern[str]:
    owner = rf"(?P<owner>{leftovers.TAG_PATTERN})"
    return re.compile(re.escape(_temp_prefix(path)) + owner + r"\.[A-Za-z0-9_]+" + suffix)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _check_parent(path: Path) -> None:
    if not path.parent.is_dir():
        raise CuratorError(f"{path}: the folder {path.parent} does not exist")


def _failed(path: Path, exc: OSError, old: str) -> CuratorError:
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        reason += " (free some space, or export somewhere else)"
    return CuratorError(f"{path}: cannot write the export: {reason}; {old}")


def _state(path: Path) -> str:
    if path.exists():
        return "the previous export there was left as it was"
    return "nothing was written"


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """A binary file that becomes *path* only if the block succeeds.

    For exports too large to build in memory first: they stream into a
    temporary file in the same folder, which is synced and renamed into place
    at the end, so *path* is either the old file or the complete new one.
    """
    _check_parent(path)
    if path.is_dir():
        raise CuratorError(f"{path}: is a folder; give a file name")
    leftovers.remove_stale(path.parent, _temp_pattern(path, r"\.tmp"))
    old = _state(path)
    try:
        fd, name = tempfile.mkstemp(
            prefix=_temp_prefix(path) + leftovers.owner_tag() + ".",
            suffix=".tmp",
            dir=path.parent,
        )
    except OSError as exc:
        raise _failed(path, exc, old) from exc
    tmp = Path(name)
    with _removed_on_failure(tmp, path, old):
        with os.fdopen(fd, "wb", buffering=1 << 20) as out:
            os.fchmod(out.fileno(), 0o666 & ~current_umask())
            yield out
            out.flush()
            os.fsync(out.fileno())
        leftovers.checkpoint("file-written")
        os.replace(tmp, path)
    _fsync_dir(path.parent)


@contextlib.contextmanager
def _removed_on_failure(tmp: Path, path: Path, old: str) -> Iterator[None]:
    """Remove *tmp* if the block fails; an OS error becomes one naming *path*."""
    try:
        yield
    except OSError as exc:
        leftovers.remove(tmp)
        raise _failed(path, exc, old) from exc
    except BaseException:
        leftovers.remove(tmp)
        raise


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write *data* to *path* through a synced temporary file in the same folder."""
    with atomic_writer(path) as out:
        out.write(data)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2``); False where that is not available."""
    if not use_exchange:
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):  # a C library older than glibc 2.28
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _recover(path: Path) -> None:
    """Undo a folder replacement that died half-way, then remove what the dead left behind.

    The fallback moves the old export to ``.NAME.OWNER.XXXX.old/previous``
    before moving the new one in; if *path* is missing and such a tree of a
    dead process exists, it is the user's last complete export: it goes back.
    """
    aside = leftovers.stale_entries(path.parent, _temp_pattern(path, r"\.old"))
    if not path.exists():
        for old in aside:
            if (old / "previous").is_dir():
                os.rename(old / "previous", path)
                break
    for old in aside:
        leftovers.remove(old)
    leftovers.remove_stale(path.parent, _temp_pattern(path, r"\.tmp"))


def _sync_tree(root: Path) -> None:
    for folder, _dirs, files in os.walk(root):
        for name in files:
            with open(os.path.join(folder, name), "rb") as f:
                os.fsync(f.fileno())


def _swap_in(tmp: Path, path: Path) -> None:
    """Put the complete tree *tmp* at *path*; afterwards *tmp* holds the old tree, if any."""
    if not path.exists():
        leftovers.checkpoint("before-rename")
        os.rename(tmp, path)
        return
    leftovers.checkpoint("before-exchange")
    if _exchange(tmp, path):
        leftovers.checkpoint("after-exchange")
        return
    aside = _make_temp_dir(path, ".old")
    os.rename(path, aside / "previous")
    leftovers.checkpoint("between-renames")
    try:
        os.rename(tmp, path)
    except OSError:
        os.rename(aside / "previous", path)
        aside.rmdir()
        raise
    os.rename(aside / "previous", tmp)
    aside.rmdir()


def _make_temp_dir(path: Path, suffix: str) -> Path:
    prefix = _temp_prefix(path) + leftovers.owner_tag() + "."
    return Path(tempfile.mkdtemp(prefix=prefix, suffix=suffix, dir=path.parent))


@contextlib.contextmanager
def atomic_directory(path: Path) -> Iterator[Path]:
    """Yield a temporary folder beside *path*; it becomes *path* only if the block succeeds.

    At every moment *path* holds one complete export: the previous one until
    the new one is complete and synced, then the new one.
    """
    _check_parent(path)
    if path.exists() and not path.is_dir():
        raise CuratorError(f"{path}: is a file; this export writes a folder there")
    try:
        _recover(path)
        tmp = _make_temp_dir(path, ".tmp")
    except OSError as exc:
        raise _failed(path, exc, _state(path)) from exc
    old = _state(path)
    with _removed_on_failure(tmp, path, old):
        os.chmod(tmp, 0o777 & ~current_umask())
        yield tmp
        _sync_tree(tmp)
        _swap_in(tmp, path)
        _fsync_dir(path.parent)
    leftovers.remove(tmp)  # the previous export, swapped out
