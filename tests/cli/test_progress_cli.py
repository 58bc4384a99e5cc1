"""Progress bars: on a terminal's stderr for long commands, never in a pipe or with -q."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from curator import cli
from tests.cli.helpers import article_files, call, run
from tests.cli.terminal import TerminalStderr, on_terminal

# tqdm's bar: "importing:  50%|████   | 20/40 [00:01<00:01, 19.5 files/s]"
BAR = re.compile(r"(\d+)/(\d+) \[\d\d:\d\d<[\d:?]+")


def on_terminal_here(monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    """``curator ARGS`` in this process with stderr on a pseudo-terminal: (code, stderr)."""
    terminal = TerminalStderr()
    with monkeypatch.context() as patch:
        patch.setattr(sys, "stderr", terminal.stream)
        code = cli.main(list(args))
    return code, terminal.close()


def test_import_shows_counts_and_time_left_on_a_terminal_only(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "articles"
    article_files(folder, 40)
    # A real process, as at a shell: stderr a terminal, stdout a pipe.
    code, out, err = on_terminal("--db", str(tmp_path / "a.sqlite"), "import", str(folder))
    assert code == 0, err
    assert "importing:" in err
    assert BAR.findall(err) and set(BAR.findall(err)) <= {(str(n), "40") for n in range(41)}
    assert "40 documents added, 0 already present" in err
    assert "importing" not in out and "\r" not in out
    # The same import with stderr captured (not a terminal): the summary only.
    code, _out, err = call(capsys, "--db", str(tmp_path / "b.sqlite"), "import", str(folder))
    assert code == 0, err
    assert err == "40 documents added, 0 already present\n"


@pytest.mark.parametrize("where", ["before", "after"])
def test_quiet_before_or_after_the_command_draws_no_bar(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, where: str
) -> None:
    folder = tmp_path / "articles"
    article_files(folder, 12)
    db = ["--db", str(tmp_path / "q.sqlite")]
    args = ["-q", *db, "import", str(folder)]
    if where == "after":
        args = [*db, "import", "-q", str(folder)]
    code, err = on_terminal_here(monkeypatch, *args)
    assert code == 0, err
    assert "importing" not in err and not BAR.search(err)
    assert "12 documents added" in err


def test_every_long_command_draws_its_bar_on_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "many"
    article_files(folder, 40)
    db, other = tmp_path / "many.sqlite", tmp_path / "other.sqlite"
    for path in (db, other):
        assert call(capsys, "--db", str(path), "import", str(folder))[0] == 0
    assert call(capsys, "--db", str(other), "--curator", "bob", "suggest")[0] == 0
    commands = {
        "suggesting": ["suggest"],
        "exporting": ["export", "-o", str(tmp_path / "out.jsonl")],
        "merging": ["merge", str(other)],
        "comparing": ["agreement"],
        "copying": ["db", "backup", "--to", str(tmp_path / "copy.sqlite")],
    }
    for word, args in commands.items():
        capsys.readouterr()
        code, err = on_terminal_here(monkeypatch, "--db", str(db), *args)
        assert code == 0, (args, err)
        assert f"{word}:" in err, (args, err)
        assert word not in capsys.readouterr().out, args


def test_progress_lines_for_a_log_off_and_a_bad_value(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "articles"
    article_files(folder, 12)
    monkeypatch.setenv("CURATOR_PROGRESS", "lines")
    code, _out, err = call(capsys, "--db", str(tmp_path / "l.sqlite"), "import", str(folder))
    assert code == 0, err
    assert err.splitlines()[-2:] == [
        "importing 12/12 files",
        "12 documents added, 0 already present",
    ]
    code, _out, err = call(capsys, "-q", "--db", str(tmp_path / "q.sqlite"), "import", str(folder))
    assert code == 0 and "importing" not in err
    monkeypatch.setenv("CURATOR_PROGRESS", "off")
    code, err = on_terminal_here(
        monkeypatch, "--db", str(tmp_path / "o.sqlite"), "import", str(folder)
    )
    assert code == 0 and "importing" not in err and "12 documents added" in err
    # A bad value is refused before anything is done, in a real process too.
    bad = run(
        "--db", str(tmp_path / "b.sqlite"), "import", str(folder), env={"CURATOR_PROGRESS": "bars"}
    )
    assert bad.returncode == 1
    assert (
        bad.stderr
        == "error: CURATOR_PROGRESS='bars': use one of auto, lines, off (default: auto)\n"
    )
    assert not (tmp_path / "b.sqlite").exists()
