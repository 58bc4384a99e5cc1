"""Running ``curator`` with its stderr on a pseudo-terminal, as a person at a shell sees it."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
import threading

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


class TerminalStderr:
    """This process's ``sys.stderr`` on a pseudo-terminal while in use; ``text`` once closed.

    For running ``cli.main`` in-process as on a terminal: a child process
    costs seconds of start-up, this costs nothing.
    """

    def __init__(self) -> None:
        self.leader, follower = pty.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
        self.stream = open(follower, "w", encoding="utf-8", buffering=1)  # noqa: SIM115
        self.chunks: list[bytes] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.text = ""

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.leader, 65536)
            except OSError:
                return
            if not data:
                return
            self.chunks.append(data)

    def close(self) -> str:
        self.stream.close()
        self.reader.join(timeout=10)
        os.close(self.leader)
        self.text = b"".join(self.chunks).decode("utf-8", errors="replace")
        return self.text
