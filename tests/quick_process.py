"""Children that report what a fresh process imported, for the tests of start-up promises.

The quick paths (``list`` and the JSONL export of a local file) promise to
run on the standard library alone, and a command on the full command line
to import its own module and no other command's: only a fresh process can
show what was imported. Each child prints its report as the last line of
its stderr.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from tests.conftest import REPO


def run_counting_sqlalchemy(argv: list[str]) -> tuple[subprocess.CompletedProcess[str], str]:
    """The finished child (it exits 0 or fails its own assert) and its last stderr line."""
    code = (
        "import runpy, sys\n"
        f"sys.argv = {['curator', *argv]!r}\n"
        "try:\n"
        "    runpy.run_module('curator', run_name='__main__')\n"
        "except SystemExit as end:\n"
        "    assert end.code == 0, end.code\n"
        "print(sorted(m for m in sys.modules if m.startswith('sqlalchemy')), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done, done.stderr.splitlines()[-1]


def child_report(code: str) -> Any:
    """Run *code* in a fresh Python on this checkout; the JSON on its stderr's last line.

    The child must exit 0 (its stderr is shown otherwise).
    """
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stderr.strip().splitlines()[-1])
