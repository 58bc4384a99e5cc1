"""The shipped vocabularies' ranker indexes, cached on disk between runs.

Why: indexing the 200,000 gene and drug names takes seconds (every name is
folded and filed twice), which ``curator link`` and the first picker would
pay on every start. The built index is plain lists and dicts, written with
``marshal`` (fast, and it can hold only plain values, never code) to the
user's cache folder, under a name made of the vocabulary files' sizes and
times and the Python version; a stale, missing or unreadable cache is simply
rebuilt. The cache holds nothing a curator made.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path

import platformdirs

from curator.core.concepts.ranking import Ranker
from curator.core.concepts.vocabulary import files_for, names_for
from curator.core.storage.paths import APP_NAME

FORMAT = 2


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "vocabularies"


def _cache_path(label: str) -> Path:
    digest = hashlib.sha256(f"{FORMAT} {sys.version} {label}".encode())
    for path in files_for(label):
        stat = path.stat()
        digest.update(f"{path.name} {stat.st_size} {stat.st_mtime_ns}".encode())
    return cache_dir() / f"{label}-{digest.hexdigest()[:16]}.marshal"


@functools.cache
def shipped_ranker(label: str) -> Ranker:
    """The ranker of a shipped vocabulary: from the cache, else built (and cached)."""
    path = _cache_path(label)
    try:
        return Ranker.from_state(marshal.loads(path.read_bytes()))
    except (OSError, EOFError, ValueError, TypeError):
        pass
    ranker = Ranker(names_for(label), case_rule=label == "target")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as tmp:
            tmp.write(marshal.dumps(ranker.state()))  # type: ignore[arg-type]
        os.replace(tmp.name, path)
    except OSError:
        pass  # a read-only cache folder only costs the next start the build again
    return ranker
