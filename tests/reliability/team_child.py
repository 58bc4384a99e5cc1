"""Several ``curator`` commands released at the same instant, each in its own process.

``python -m tests.reliability.team_child FOLDER COMMANDS_JSON`` loads the
program once, then forks one process per command (a list of argument
lists). Each waits at a barrier until all are ready, runs ``curator ARGS``
in-process with its output going to ``FOLDER/N.out`` and ``FOLDER/N.err``,
and exits with the command's status. The statuses are printed as one JSON
list. Loading the program in every child would take longer than the
commands themselves and spread their starts over seconds; forking after
the import is what makes them really run at once.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
import traceback
from pathlib import Path

from curator.cli import main

TIMEOUT_S = 100  # for all of them together; the test's own limit is above it


def _one(folder: Path, index: int, args: list[str], start: object) -> None:
    for fd, name in ((1, f"{index}.out"), (2, f"{index}.err")):
        out = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(out, fd)
        os.close(out)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    code = 1
    try:
        start.wait(timeout=TIMEOUT_S)  # type: ignore[attr-defined]
        code = main(args)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def run(folder: Path, commands: list[list[str]]) -> list[int | None]:
    fork = multiprocessing.get_context("fork")
    start = fork.Barrier(len(commands))
    children = [
        fork.Process(target=_one, args=(folder, i, cmd, start)) for i, cmd in enumerate(commands)
    ]
    for child in children:
        child.start()
    deadline = time.monotonic() + TIMEOUT_S
    codes = []
    for child in children:
        child.join(timeout=max(0.0, deadline - time.monotonic()))
        if child.exitcode is None:
            child.kill()
            child.join()
        codes.append(child.exitcode)
    return codes


if __name__ == "__main__":
    print(json.dumps(run(Path(sys.argv[1]), json.loads(sys.argv[2]))), flush=True)
