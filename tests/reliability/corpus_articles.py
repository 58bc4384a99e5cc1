"""Bad-input samples of article files: bytes no article holds, and files that are not regular."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from tests.reliability.corpus_sample import Prepared, Sample

ARTICLE_BYTES: dict[str, tuple[bytes, int | None]] = {
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00", None),
    "latin1-line-3": ("Title\nline two\ncafé\n".encode("latin-1"), 3),
    "empty": (b"", None),
    "blank": (b" \n\t\n  \r\n", None),
    "bom-only": (b"\xef\xbb\xbf", None),
    "nul-in-middle": (b"Title\nab\x00cd\n", None),
    "utf16": ("Title\nbody\n".encode("utf-16"), None),
    "overlong-utf8": (b"Title\n\xc0\x80\n", 2),
    "encoded-surrogate": (b"Title\n\n\xed\xa0\x80\n", 3),
    "truncated-utf8": (b"Title\n\xe2\x82", 2),
    "cr-only": (b"Title\rbody\rmore\r", None),
    "control-chars": (b"Title\x07\nbody\x1b[31m red\n", None),
    "astral-and-nfd": ("\U0001d518 Title\nCafe\u0301\n".encode(), None),
    "long-line": (b"Ruxolitinib " * 5000, None),
    "markup-title": (b"<font color=red size=6>RETRACTED</font>\nbody\n", None),
}


def _article(name: str, data: bytes, line: int | None) -> Sample:
    def build(folder: Path) -> Prepared:
        file = folder / "in.txt"
        file.write_bytes(data)
        return Prepared(["import", str(file)], file, line)

    return Sample(f"txt-{name}", build)


def _special(name: str, make: Callable[[Path], Path]) -> Sample:
    return Sample(f"txt-{name}", lambda folder: Prepared(["import", str(p := make(folder))], p))


def _fifo(folder: Path) -> Path:
    os.mkfifo(folder / "pipe.txt")
    return folder / "pipe.txt"


def _link(target: str, name: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        (folder / name).symlink_to(target)
        return folder / name

    return make


def _folder_named_txt(folder: Path) -> Path:
    (folder / "dir.txt" / "inner").mkdir(parents=True)
    (folder / "dir.txt" / "inner" / "x.txt").symlink_to("/dev/null")
    return folder / "dir.txt"


def _bad_name(folder: Path) -> Path:
    path = folder / "na\udcefme.txt"
    path.write_text("Title\nbody\n", encoding="utf-8")
    return path


def _oversized(folder: Path) -> Prepared:
    file = folder / "big.txt"
    file.write_text("Big\n" + "ruxolitinib " * 200, encoding="utf-8")
    return Prepared(["import", str(file)], file, env={"CURATOR_MAX_FILE_MB": "0.001"})


def article_samples() -> list[Sample]:
    samples = [_article(k, data, line) for k, (data, line) in ARTICLE_BYTES.items()]
    samples += [
        _special("fifo", _fifo),
        _special("link-dev-zero", _link("/dev/zero", "zero.txt")),
        _special("link-dev-null", _link("/dev/null", "null.txt")),
        _special("link-dangling", _link("/nonexistent/x.txt", "gone.txt")),
        _special("link-loop", _link("loop.txt", "loop.txt")),
        _special("folder-with-dev-null", _folder_named_txt),
        _special("name-not-utf8", _bad_name),
        Sample("txt-oversized", _oversized),
        _special("jsonl-fifo", lambda f: (os.mkfifo(f / "p.jsonl"), f / "p.jsonl")[1]),
        _special("xml-dev-zero", _link("/dev/zero", "zero.xml")),
        _article("pubtator-nul", b"12345|t|Ruxolitinib\x00 trial\n12345|a|In MF.\n\n", 1),
    ]
    return samples
