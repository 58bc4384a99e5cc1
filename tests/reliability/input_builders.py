"""Building span files (our JSONL, span JSONL, doccano, BioC XML) for the bad-input tests.

Every builder writes two good lines (or documents) before the one under
test, so an import that kept anything before failing would show in the
database's bytes; the line under test is always the last.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from curator import cli
from tests.reliability.span_files import good_line

TEXT = "Ruxolitinib targets JAK/STAT.\nOverall response rate reached 81.8%.\n"
SPAN_UID = "0e0e0e0e-0000-4000-8000-000000000001"
TIME = "2024-03-01T10:00:00.000000Z"


def own_span(**changes: Any) -> dict[str, Any]:
    span: dict[str, Any] = {
        "id": SPAN_UID,
        "start": 0,
        "end": 11,
        "label": "therapy",
        "text": "Ruxolitinib",
        "curator": "ana",
        "origin": "manual",
        "note": "",
        "created_at": TIME,
        "updated_at": TIME,
        "revision": 1,
    }
    span.update(changes)
    return span


def own_line(
    text: str = TEXT, span: dict[str, Any] | None = None, **changes: Any
) -> dict[str, Any]:
    """A line of our own schema, as ``curator export`` writes it."""
    uid = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()  # text may be bad
    line: dict[str, Any] = {
        "schema": {"name": "heme-curator", "version": 1},
        "id": uid,
        "title": "Ruxolitinib targets JAK/STAT.",
        "text": text,
        "text_sha256": uid,
        "meta": {},
        "status": {"ana": "in_progress"},
        "spans": [own_span() if span is None else span],
    }
    line.update(changes)
    return line


def write_jsonl(path: Path, last: dict[str, Any] | str, good: int = 2) -> tuple[Path, int]:
    """*good* good lines, then *last* (an object, or a line as it must appear)."""
    lines = [json.dumps(good_line(i)) for i in range(good)]
    # ASCII: a lone surrogate or a NUL travels as a \u escape, as in any JSON file
    lines.append(last if isinstance(last, str) else json.dumps(last))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, len(lines)


BIOC_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def bioc_document(text: str = "CD19 CAR-T works.", offset: str = "0", infons: str = "") -> str:
    return (
        f"<document><id>9</id>{infons}<passage><offset>{offset}</offset><text>{text}</text>\n"
        '<annotation id="1"><infon key="type">target</infon>'
        '<location offset="0" length="4"/><text>CD19</text></annotation>'
        "</passage></document>\n"
    )


def write_bioc(path: Path, document: str, own: bool = False) -> tuple[Path, int]:
    """A collection with one good document and *document*; returns the line it starts on."""
    source, key = ("Heme Curator", "heme-curator.key") if own else ("tool", "k")
    head = f"{BIOC_HEAD}<collection><source>{source}</source><date>2025</date><key>{key}</key>\n"
    if own:
        good = own_bioc_document(text="Ruxolitinib is good.", uid=SPAN_UID[:-1] + "2")
    else:
        good = bioc_document("Good CD19 text.")
    path.write_text(head + good + document + "</collection>\n", encoding="utf-8")
    return path, 5


def own_bioc_document(
    meta: str = "{}", text: str = "Ruxolitinib works.", uid: str = SPAN_UID, **infons: str
) -> str:
    """A document of our own BioC export, with a *meta* infon (raw JSON text)."""
    doc_uid = hashlib.sha256(text.encode()).hexdigest()
    extra = "".join(f'<infon key="{k}">{v}</infon>' for k, v in infons.items())
    return (
        f'<document><id>{doc_uid}</id><infon key="title">t</infon><infon key="meta">{meta}</infon>'
        f"<passage><offset>0</offset><text>{text}</text>\n"
        f'<annotation id="{uid}"><infon key="type">therapy</infon>'
        '<infon key="curator">ana</infon><infon key="origin">manual</infon>'
        f'<infon key="created_at">{TIME}</infon><infon key="updated_at">{TIME}</infon>{extra}'
        '<location offset="0" length="11"/><text>Ruxolitinib</text></annotation>'
        "</passage></document>\n"
    )


# --- running the command in this process ------------------------------------------------


@contextlib.contextmanager
def environment(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> Iterator[None]:
    with monkeypatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        yield


def run_main(*argv: str) -> tuple[int, str, str]:
    """``curator ARGV`` in this process; an exception escaping ``main`` is a test failure.

    Output is captured by swapping sys.stdout and sys.stderr (not capsys), so
    one test can run the command many times without the fixture's bookkeeping.
    """
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(list(argv))
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
        except BaseException as exc:
            sys.__stderr__.write(err.getvalue())  # type: ignore[union-attr]
            raise AssertionError(f"curator {argv[2:]} raised {exc!r}: a traceback") from exc
    return code, out.getvalue(), err.getvalue()
