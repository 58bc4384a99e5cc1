"""Installing an optional library when a command needs it, with the user's consent.

Nothing is installed silently: on a terminal the user is asked, with the
exact command and roughly what it adds; piped, with ``-q``, or in the desktop
build, the command fails with the message that says how to install it.
"""

from __future__ import annotations

import importlib
import shlex
import subprocess
import sys

from curator.core.optional import MissingPackageError, install_command, installed


def _asked(question: str) -> bool:
    print(question, end="", file=sys.stderr, flush=True)
    try:
        answer = input()
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def offer(missing: MissingPackageError, *, quiet: bool) -> bool:
    """True once the package is installed at the user's request; False to fail as before."""
    interactive = sys.stdin.isatty() and sys.stderr.isatty() and not quiet
    if not interactive or getattr(sys, "frozen", False):
        return False
    package = missing.package
    command = install_command(package)
    print(str(missing).split(";")[0] + ".", file=sys.stderr)
    if not _asked(f"Install it now ({package.size}) with: {shlex.join(command)} ? [y/N] "):
        return False
    done = subprocess.run(command, check=False)  # pip's own progress on the terminal
    importlib.invalidate_caches()
    return done.returncode == 0 and installed(package)
