"""Libraries installed on first use: the exact command to install them, never a silent install."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

from curator.core import optional
from curator.core.interchange import spacy_docbin
from tests.cli.helpers import REPO, assert_user_error, call


def test_requirements_are_the_extras_of_pyproject() -> None:
    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    for package in (optional.SPACY, optional.DRUG_LIBRARY, optional.PDF, optional.WEB_PAGES):
        assert package.requirement in extras[package.extra]


def test_an_export_needing_a_missing_library_names_the_command_and_writes_nothing(
    capsys: pytest.CaptureFixture[str],
    populated: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The spaCy export as on a machine without spaCy: a module that does not exist.
    absent = optional.OptionalPackage("no_such_module_here", "spacy>=3.7,<4", "formats", "~")
    monkeypatch.setattr(spacy_docbin, "SPACY", absent)
    before = populated.read_bytes()
    out = tmp_path / "train.spacy"
    code, stdout, err = call(capsys, "--db", str(populated), "export", "-o", str(out))
    assert_user_error(
        code,
        err,
        "exporting for spaCy needs the no_such_module_here package, not installed here",
        f"install it with: {sys.executable} -m pip install 'spacy>=3.7,<4'",
    )
    assert stdout == "" and not out.exists()
    assert populated.read_bytes() == before
