"""Where a database's recognizer lives, what it records, and when it may be used.

A SQLite file's models sit beside it in ``<file>.models/`` (copied, moved
and backed up with it by hand, deleted without harm: the next training
makes a new one). A server database's live in the per-user data folder,
under a name derived from its URL without the password.

Each model is one folder ``model-v<N>/`` holding ``manifest.json`` and the
spaCy pipeline, written to a temporary folder and renamed into place, so a
reader sees a complete model or none. The manifest records which database
(the documents trained on), which schema revision, which spaCy, and which
decisions (their count, fingerprint and the time of the latest) made it.

A model is used only when all of these still hold: same manifest format,
same schema revision, same spaCy minor version, and at least half of its
documents (of the first 500) are in the database (else it was made for
another database, for example a models folder copied beside a different
file). Anything else,
an unreadable manifest included, makes it *unusable*, with a reason: it is
ignored, and the next training replaces it. Nothing here raises on a bad
folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import func, make_url, select, text

from curator.core.files.atomic import atomic_directory
from curator.core.storage.db import Database
from curator.core.storage.models import Document
from curator.core.storage.paths import APP_NAME

FORMAT = 1
MANIFEST = "manifest.json"
PIPELINE = "pipeline"
_FOLDER = re.compile(r"model-v(\d+)")
FOREIGN_SAMPLE = 500
"""Documents of the manifest looked up to tell this database from another (one query)."""


@dataclass(frozen=True)
class Manifest:
    format: int
    version: int
    kind: str
    spacy: str
    schema: str | None
    database: str
    documents: list[str]
    labels: list[str]
    positives: int
    negatives: int
    fingerprint: str
    decisions_until: str | None
    trained_at: str
    epochs: int
    cpu_seconds: float

    @property
    def source(self) -> str:
        """What ``suggestion.source`` says of this model's proposals."""
        return f"model:v{self.version}"

    @property
    def until(self) -> dt.datetime | None:
        return dt.datetime.fromisoformat(self.decisions_until) if self.decisions_until else None


@dataclass(frozen=True)
class Found:
    """The newest model folder of a database, usable or with the reason it is not."""

    folder: Path
    manifest: Manifest | None
    problem: str | None

    @property
    def usable(self) -> bool:
        return self.problem is None


def models_folder(db: Database) -> Path | None:
    """Where *db*'s models live; None for an in-memory database."""
    if db.path is not None:
        return db.path.with_name(db.path.name + ".models")
    if db.is_sqlite:
        return None
    url = make_url(db.url).render_as_string(hide_password=True)  # any password: "***"
    key = hashlib.sha256(url.encode()).hexdigest()[:16]
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "models" / key


def _versions(folder: Path) -> list[tuple[int, Path]]:
    found = []
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            m = _FOLDER.fullmatch(entry.name)
            if m and entry.is_dir():
                found.append((int(m.group(1)), entry))
    return sorted(found)


def next_version(db: Database) -> int:
    folder = models_folder(db)
    versions = _versions(folder) if folder else []
    return versions[-1][0] + 1 if versions else 1


def read_manifest(folder: Path) -> Manifest:
    """The manifest in *folder*; ValueError or OSError when it is missing or malformed."""
    raw = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise ValueError("written by another version of Heme Curator")
    try:
        return Manifest(**raw)
    except TypeError as exc:
        raise ValueError(f"malformed manifest ({exc})") from None


def spacy_version() -> str | None:
    """The installed spaCy's version, without importing it (None: not installed)."""
    from importlib import metadata

    try:
        return metadata.version("spacy")
    except metadata.PackageNotFoundError:
        return None


def _minor(version: str | None) -> str:
    return ".".join((version or "").split(".")[:2])


def schema_revision(db: Database) -> str | None:
    """The database's schema revision, read from its table (the app checks it on opening)."""
    with db.read() as session:
        value = session.scalar(text("SELECT version_num FROM alembic_version"))
    return None if value is None else str(value)


def current_model(db: Database) -> Found | None:
    """The newest model folder of *db*, checked; None when there is none at all."""
    folder = models_folder(db)
    versions = _versions(folder) if folder else []
    if not versions:
        return None
    path = versions[-1][1]
    try:
        manifest = read_manifest(path)
    except (OSError, ValueError) as exc:
        return Found(path, None, f"{path}: unreadable model ({exc}); it will be replaced")
    return Found(path, manifest, _problem(db, manifest))


def _problem(db: Database, manifest: Manifest) -> str | None:
    try:
        schema = schema_revision(db)
    except Exception as exc:
        return f"the database's schema could not be read ({exc})"
    if manifest.schema != schema:
        return (
            f"model v{manifest.version} was trained on schema {manifest.schema}, "
            f"the database is at {schema}; it will be retrained"
        )
    if _minor(manifest.spacy) != _minor(spacy_version()):
        return (
            f"model v{manifest.version} was made with spaCy {manifest.spacy}, "
            f"this is {spacy_version() or 'no spaCy'}; it will be retrained"
        )
    sample = manifest.documents[:FOREIGN_SAMPLE]
    with db.read() as session:
        present = session.scalar(select(func.count()).where(Document.uid.in_(sample)))
    if not sample or (present or 0) * 2 < len(sample):
        return f"model v{manifest.version} was trained on another database; it is ignored"
    return None


@contextlib.contextmanager
def new_model_folder(db: Database, version: int) -> Iterator[Path]:
    """A folder to write model *version* into; it appears complete, or not at all."""
    folder = models_folder(db)
    if folder is None:
        from curator.core.errors import CuratorError

        raise CuratorError("an in-memory database keeps no suggestion model")
    folder.mkdir(parents=True, exist_ok=True)
    with atomic_directory(folder / f"model-v{version}") as tmp:
        yield tmp


def write_manifest(folder: Path, manifest: Manifest) -> None:
    (folder / MANIFEST).write_text(
        json.dumps(asdict(manifest), indent=1, ensure_ascii=False), encoding="utf-8"
    )


def remove_older(db: Database, keep: int) -> None:
    """Delete the model folders older than version *keep* (best effort)."""
    folder = models_folder(db)
    for version, path in _versions(folder) if folder else []:
        if version < keep:
            shutil.rmtree(path, ignore_errors=True)


def describe(manifest: Manifest) -> dict[str, Any]:
    """What ``curator train --json`` prints of a model."""
    return {
        "source": manifest.source,
        "documents": len(manifest.documents),
        "positives": manifest.positives,
        "negatives": manifest.negatives,
        "labels": manifest.labels,
        "trained_at": manifest.trained_at,
        "cpu_seconds": manifest.cpu_seconds,
    }
