"""The background training a window starts dies with the window's process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from tests.conftest import REPO

# A stand-in for the window: starts a child the way the app does, prints its pid, waits.
PARENT = """
import os, subprocess, sys, time
env = dict(os.environ, CURATOR_PARENT_PID=str(os.getpid()))
code = "from curator.cli_child import end_with_parent; end_with_parent(); "
child = subprocess.Popen([sys.executable, "-c", code + "import time; time.sleep(60)"], env=env)
print(child.pid, flush=True)
time.sleep(60)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        return stat.read().split()[2] != "Z"


def test_the_child_is_terminated_when_the_app_is_killed() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True, cwd=REPO
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    time.sleep(1.0)  # the child has made its request
    assert _alive(child)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child), "the background child outlived the app"
