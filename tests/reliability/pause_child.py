"""``curator ARGS`` in a child process that stops at a named step until it is killed.

Usage: ``python -m tests.reliability.pause_child STEP exchange|fallback ARGS...``.
The step names are the ones the core passes to ``leftovers.checkpoint`` at the
moments a temporary exists or a replacement is half-way. Nothing of the storage
is replaced: the command writes real files through the real code, and only
waits there, so that the test can kill it with SIGKILL at exactly that moment.
``fallback`` turns off the one-step folder swap, to test the two-rename path
of systems without ``renameat2``.
"""

from __future__ import annotations

import sys
import time

from curator import cli
from curator.core.files import atomic as atomic_files
from curator.core.files import leftovers


def main() -> int:
    step, swap, *args = sys.argv[1:]
    atomic_files.use_exchange = swap == "exchange"

    def pause(at: str) -> None:
        if at == step:
            print(f"paused at {at}", flush=True)
            time.sleep(600)

    leftovers.checkpoint = pause
    return cli.main(args)


if __name__ == "__main__":
    sys.exit(main())
