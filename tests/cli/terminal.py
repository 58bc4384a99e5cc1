"""Running ``curator`` with its stderr on a pseudo-terminal, as a person at a shell sees it."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios

from tests.cli.helpers import REPO


def on_terminal(*args: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of the real CLI whose stderr is a terminal, stdout a pipe."""
    return on_terminal_env({}, *args)


def on_terminal_env(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    """:func:`on_terminal` with *env* added to the environment."""
    leader, follower = pty.openpty()
    # A new pseudo-terminal is 0 columns wide; give it a real terminal's size.
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-m", "curator", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=follower,
        cwd=REPO,
        env={**os.environ, **env},
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal's last end
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    assert proc.stdout is not None
    out = proc.stdout.read().decode("utf-8")
    code = proc.wait(timeout=120)
    return code, out, b"".join(chunks).decode("utf-8", errors="replace")
