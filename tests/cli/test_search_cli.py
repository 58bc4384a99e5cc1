"""``curator search``: the same search as the app's panel, text or spans, with --json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import assert_user_error, call


def test_text_and_span_search_print_hits_and_json(
    populated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = call(capsys, "--db", str(populated), "search", "bone", "marrow")
    assert code == 0, err
    assert out.rstrip().endswith("2 documents") and "bone marrow" in out
    code, out, err = call(capsys, "--db", str(populated), "search", "myeloma", "--json")
    assert code == 0, err
    found = json.loads(out)
    assert found["kind"] == "text" and found["total"] == len(found["hits"]) >= 1
    code, out, _ = call(capsys, "--db", str(populated), "search", "label:therapy", "--json")
    assert code == 0 and json.loads(out) == {"kind": "spans", "total": 0, "hits": []}


@pytest.mark.parametrize(
    ("args", "needle"), [(("label:",), "needs a value"), (("x", "--limit", "0"), "--limit")]
)
def test_bad_searches_are_one_clear_error(
    populated: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], needle: str
) -> None:
    code, _, err = call(capsys, "--db", str(populated), "search", *args)
    assert_user_error(code, err, needle)
