"""Run ``python -m curator ARGS`` in a child and report which SQLAlchemy modules it imported.

The quick paths (``list`` and the JSONL export of a local file) promise to
run on the standard library alone; the child prints the SQLAlchemy modules
it imported as the last line of its stderr.
"""

from __future__ import annotations

import subprocess
import sys

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
