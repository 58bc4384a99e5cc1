"""The newest schema revision this code ships, read without importing Alembic.

Every start of the app and of each command asks whether the database is at
the current schema. Alembic (with Mako and Pygments) costs ~60 ms to import,
more than the rest of a ``curator list``; the answer is almost always yes.
So the head is read from the revision files themselves (their
``revision``/``down_revision`` lines), and the database's version with one
query; Alembic is imported only when an upgrade is due. Anything unusual (a
merge revision, a file this reader cannot parse, several heads) answers None,
and the caller then asks Alembic. A test checks that this agrees with
Alembic's own ``get_current_head``.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

_ASSIGNMENT = r"^{name}(?:\s*:\s*[^=\n]+)?\s*=\s*(?P<value>'[^'\n]*'|\"[^\"\n]*\"|None)\s*$"
_REVISION = re.compile(_ASSIGNMENT.format(name="revision"), re.MULTILINE)
_DOWN = re.compile(_ASSIGNMENT.format(name="down_revision"), re.MULTILINE)


def _value(pattern: re.Pattern[str], source: str) -> str | bool | None:
    """The quoted value, None for ``None``, False when absent or not a plain string."""
    found = pattern.findall(source)
    if len(found) != 1:
        return False
    value: str = found[0]
    return None if value == "None" else value[1:-1]


@functools.lru_cache(maxsize=8)
def _head_of(versions: Path, stamp: tuple[tuple[str, int], ...]) -> str | None:
    parents: dict[str, str | None] = {}
    for name, _mtime in stamp:
        source = (versions / name).read_text(encoding="utf-8")
        revision = _value(_REVISION, source)
        down = _value(_DOWN, source)
        if not isinstance(revision, str) or down is False or revision in parents:
            return None
        parents[revision] = down if isinstance(down, str) else None
    children = {down for down in parents.values() if down is not None}
    if not children <= parents.keys():
        return None
    heads = [rev for rev in parents if rev not in children]
    return heads[0] if len(heads) == 1 else None


def head_revision(migrations: Path) -> str | None:
    """The single head revision of the migrations in *migrations*, or None when unsure."""
    versions = migrations / "versions"
    try:
        stamp = tuple(
            sorted((p.name, p.stat().st_mtime_ns) for p in versions.glob("*.py") if p.is_file())
        )
        return _head_of(versions, stamp) if stamp else None
    except (OSError, UnicodeDecodeError):
        return None
