"""Smoke test of the desktop build, as a machine without Python would run it.

    python packaging/smoke_test.py dist/heme-curator

Starts a private Xvfb display and runs the bundled executable with an empty
environment (``env -i HOME=... DISPLAY=...``: no PATH, no PYTHONPATH, no
virtualenv): ``import`` of the sample articles (the first, cold run),
``list --json``, every command's ``--help`` (each command's module is
imported by name when it runs: one the build left out shows here), then the
app on that database until its main window is
mapped. Prints the folder's size, the first run's time and the time from
launch to the window shown; exits 1 with
the reason when anything fails. Needs Xvfb and xwininfo (Debian: xvfb,
x11-utils). Run by ``make bundle-test``; not part of ``make test`` (the build
takes minutes).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WINDOW_TIMEOUT_S = 90


def fail(message: str) -> None:
    print(f"bundle-test: FAILED: {message}", file=sys.stderr)
    raise SystemExit(1)


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def free_display() -> int:
    for number in range(90, 140):
        if (
            not Path(f"/tmp/.X11-unix/X{number}").exists()
            and not Path(f"/tmp/.X{number}-lock").exists()
        ):
            return number
    fail("no free X display number between :90 and :139")
    return 0


def window_shown(display: str, title: str) -> bool:
    tree = subprocess.run(
        ["xwininfo", "-root", "-tree"],
        env={"DISPLAY": display, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    # xwininfo prints each window as: 0x200007 "Title": ("class" "class") WxH+X+Y ...
    # (in a UTF-8 locale: in "C" it cannot print the title's dash).
    return any(f'{title}": (' in line for line in tree.splitlines())


def run_bundle(exe: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(exe), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def import_and_list(exe: Path, env: dict[str, str], db: Path) -> tuple[float, list[object]]:
    """The sample articles imported and listed by the bundle: (first run's seconds, listing)."""
    began = time.monotonic()
    imported = run_bundle(exe, env, "--db", str(db), "import", "-q", str(REPO / "data"))
    first_run = time.monotonic() - began
    if imported.returncode != 0:
        fail(f"import exited {imported.returncode}: {imported.stderr}")
    listed = run_bundle(exe, env, "--db", str(db), "list", "--json")
    if listed.returncode != 0:
        fail(f"list --json exited {listed.returncode}: {listed.stderr}")
    documents = json.loads(listed.stdout)
    expected = len(list((REPO / "data").glob("*.txt")))
    if len(documents) != expected or not all(d["title"] for d in documents):
        fail(f"list --json shows {len(documents)} documents, expected {expected}")

    return first_run, documents


def every_command_help(exe: Path, env: dict[str, str]) -> int:
    """Each command's ``--help`` from the bundle: each imports its own module by name.

    The command line imports a command's module only when it runs
    (``curator/cli_on_demand.py``), so a module the build left out shows
    only here. Returns the number of commands checked.
    """
    from curator.cli import COMMAND_GROUPS

    names = [name for names, _where in COMMAND_GROUPS for name in names]
    for name in names:
        shown = run_bundle(exe, env, name, "--help")
        if shown.returncode != 0 or "usage:" not in shown.stdout:
            fail(f"{name} --help exited {shown.returncode}: {shown.stderr}")
    return len(names)


def main(argv: list[str]) -> int:
    bundle = Path(argv[0] if argv else REPO / "dist" / "heme-curator").resolve()
    exe = bundle / "heme-curator"
    for needed in (exe, bundle / "heme-curator.desktop", bundle / "heme-curator.svg"):
        if not needed.exists():
            fail(f"{needed} is missing; build with: make bundle")
    for tool in ("Xvfb", "xwininfo"):
        if shutil.which(tool) is None:
            fail(f"{tool} is not installed (Debian: apt-get install xvfb x11-utils)")
    size_mb = folder_size(bundle) / 1e6
    home = Path(tempfile.mkdtemp(prefix="curator-bundle-home-"))
    number = free_display()
    display = f":{number}"
    xvfb = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1280x900x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    app: subprocess.Popen[bytes] | None = None
    try:
        deadline = time.monotonic() + 20
        while not Path(f"/tmp/.X11-unix/X{number}").exists():
            if time.monotonic() > deadline or xvfb.poll() is not None:
                fail("Xvfb did not start")
            time.sleep(0.1)
        env = {"HOME": str(home), "DISPLAY": display}
        db = home / "curator.sqlite"
        first_run, documents = import_and_list(exe, env, db)
        commands = every_command_help(exe, env)

        # The window opens on a document: its title ends with " — Heme Curator".
        began = time.monotonic()
        app = subprocess.Popen(
            [str(exe), "--db", str(db)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        while not window_shown(display, " — Heme Curator"):
            if app.poll() is not None:
                out = app.stdout.read().decode(errors="replace") if app.stdout else ""
                fail(f"the app exited with {app.returncode} before showing a window:\n{out}")
            if time.monotonic() - began > WINDOW_TIMEOUT_S:
                fail(f"no Heme Curator window within {WINDOW_TIMEOUT_S} s")
            time.sleep(0.2)
        window_start = time.monotonic() - began
        app.terminate()
        app.wait(timeout=30)
        print(
            json.dumps(
                {
                    "bundle": str(bundle),
                    "size_mb": round(size_mb, 1),
                    "first_run_import_s": round(first_run, 2),
                    "window_shown_s": round(window_start, 2),
                    "documents_listed": len(documents),
                    "commands_with_help": commands,
                    "result": "pass",
                }
            )
        )
        return 0
    finally:
        if app is not None and app.poll() is None:
            app.kill()
        xvfb.terminate()
        xvfb.wait(timeout=10)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
