"""A command the app runs as its child ends with the app.

The window starts ``curator suggest --model`` in the background and kills it
when it closes; a window killed outright (a crash, ``kill -9``) cannot, and
its child would go on training for minutes with nobody to read the result.
On Linux the kernel can deliver a signal when the parent dies
(``PR_SET_PDEATHSIG``); elsewhere the child runs to its end, which is
harmless, only wasted work.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PARENT_VARIABLE = "CURATOR_PARENT_PID"
_PR_SET_PDEATHSIG = 1


def end_with_parent() -> None:
    """Ask to be terminated with the process named by ``CURATOR_PARENT_PID``."""
    parent = os.environ.get(PARENT_VARIABLE, "")
    if not parent.isdigit() or not sys.platform.startswith("linux"):
        return
    with_errno = ctypes.CDLL(None, use_errno=True)
    with_errno.prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
    if os.getppid() != int(parent):  # it died before the request was made
        raise SystemExit(0)
