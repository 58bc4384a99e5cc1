"""Import and export throughput against Label Studio, the same tasks through each, in one run.

On demand only (not in CI, not in the smoke test): it installs Label Studio
with pip into its own venv under a temporary folder (or uses ``--venv``),
starts it on 127.0.0.1 with a throw-away data folder, and creates a project
through its HTTP API with the labelling configuration our Label Studio export
writes. The tasks are ours: a synthetic corpus (1,000 documents x 200 spans
by default, see ``generate.py``) exported with ``curator export --format
labelstudio``, one annotation per task carrying its spans as ``labels``
regions.

Figures, each the median of ``--repeat`` runs:

- ``labelstudio_import``: ``POST /api/projects/ID/import`` of the tasks file
  (tasks with their annotations) into an empty project, until it answers.
- ``curator_import``: ``curator import`` of the same file into an empty
  database, as a subprocess (the whole command).
- ``labelstudio_export``: ``GET /api/projects/ID/export?exportType=JSON`` of
  that project, until the file is received.
- ``curator_export``: ``curator export --format labelstudio`` of the database
  the import made, as a subprocess.

Throughputs are spans per second; ``ratio`` is ours over Label Studio's, with
a target of at least 3x on both. Label Studio's server runs on the same
machine as everything else, so both sides share the cores.

    python -m benchmarks.vs_labelstudio [--docs N] [--spans N] [--repeat N] [--venv DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from benchmarks._common import emit, machine
from benchmarks.generate import make_corpus, write_database

REPO = Path(__file__).resolve().parent.parent
LS_PACKAGE = "label-studio"
START_TIMEOUT = 600.0
"""Seconds to wait for a first start (it migrates its own database first)."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LabelStudio:
    """A Label Studio server of our own on loopback, talked to with its legacy token."""

    def __init__(self, venv: Path, data: Path) -> None:
        self.venv, self.data = venv, data
        self.port = _free_port()
        self.token = secrets.token_hex(20)
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.log = data / "server.log"

    def start(self) -> None:
        env = dict(
            os.environ,
            LABEL_STUDIO_BASE_DATA_DIR=str(self.data),
            DATA_UPLOAD_MAX_MEMORY_SIZE=str(2**31 - 1),
            DATA_UPLOAD_MAX_NUMBER_FILES="1000000",
            LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK="true",
        )
        env.pop("PYTHONPATH", None)
        command = [
            str(self.venv / "bin" / "label-studio"), "start", "--no-browser",
            "--data-dir", str(self.data), "--internal-host", "127.0.0.1",
            "--port", str(self.port), "--host", self.base,
            "--username", "bench@example.org", "--password", secrets.token_hex(8),
            "--user-token", self.token, "--enable-legacy-api-token",
        ]  # fmt: skip
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"Label Studio exited at start; see {self.log}")
            try:
                self.request("GET", "/api/projects")
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(2)
        raise SystemExit(
            f"Label Studio did not answer within {START_TIMEOUT:.0f} s; see {self.log}"
        )

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def request(self, method: str, path: str, body: bytes | None = None) -> bytes:
        request = urllib.request.Request(
            self.base + path,
            data=body,
            method=method,
            headers={"Authorization": f"Token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=3600) as answer:
            data: bytes = answer.read()
            return data

    def project(self, config: str) -> int:
        body = json.dumps({"title": f"bench {secrets.token_hex(3)}", "label_config": config})
        made = json.loads(self.request("POST", "/api/projects", body.encode()))
        return int(made["id"])


def install(folder: Path) -> Path:
    """A venv with Label Studio in *folder* (pip from the package index)."""
    venv = folder / "ls-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, LS_PACKAGE], check=True)
    return venv


def curator(db: Path, *args: str) -> float:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    command = [sys.executable, "-m", "curator", "--db", str(db), "--curator", "alice", "-q"]
    began = time.perf_counter()
    subprocess.run([*command, *args], cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - began


def _tasks_spans(tasks: list[dict[str, Any]]) -> int:
    return sum(
        1
        for t in tasks
        for a in t.get("annotations", [])
        for r in a.get("result", [])
        if r.get("type") == "labels"
    )


def figure(name: str, spans: int, times: list[float], **extra: Any) -> float:
    seconds = statistics.median(times)
    rate = spans / seconds
    emit({"figure": name, "value": round(rate, 1), "unit": "spans/s", "spans": spans,
          "seconds": round(seconds, 3), "runs": len(times), **extra})  # fmt: skip
    return rate


def compare(name: str, ours: float, theirs: float) -> None:
    ratio = ours / theirs if theirs else float("inf")
    emit({"figure": name, "value": round(ratio, 2), "unit": "x", "target": ">= 3.0x",
          "pass": ratio >= 3.0})  # fmt: skip


def _runs(
    server: LabelStudio, folder: Path, tasks_file: Path, spans: int, repeat: int
) -> dict[str, list[float]]:
    """Seconds of each side's import and export, *repeat* times, alternating."""
    config = tasks_file.with_name("tasks.config.xml").read_text("utf-8")
    body = tasks_file.read_bytes()
    times: dict[str, list[float]] = {"ls_in": [], "ls_out": [], "ours_in": [], "ours_out": []}
    for run in range(repeat):
        project = server.project(config)
        began = time.perf_counter()
        answer = json.loads(server.request("POST", f"/api/projects/{project}/import", body))
        times["ls_in"].append(time.perf_counter() - began)
        began = time.perf_counter()
        exported = server.request("GET", f"/api/projects/{project}/export?exportType=JSON")
        times["ls_out"].append(time.perf_counter() - began)
        db = folder / f"curator-{run}.sqlite"
        times["ours_in"].append(curator(db, "import", str(tasks_file)))
        out = folder / f"curator-{run}.json"
        times["ours_out"].append(curator(db, "export", "--format", "labelstudio", "-o", str(out)))
        if run == 0:  # both sides hold every span, or the figures mean nothing
            counts = {k: answer.get(k) for k in ("task_count", "annotation_count")}
            emit({"figure": "labelstudio_import_answer", **counts})
            for who, data in (("Label Studio", exported), ("curator", out.read_bytes())):
                got = _tasks_spans(json.loads(data))
                if got != spans:
                    raise SystemExit(f"{who} exported {got} of {spans} spans")
    return times


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--docs", type=int, default=1_000)
    p.add_argument("--spans", type=int, default=200_000, help="spans in all documents")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--venv", type=Path, help="a venv that has Label Studio (else one is made)")
    args = p.parse_args(argv)
    emit(machine())
    with tempfile.TemporaryDirectory(prefix="curator-vs-ls-") as tmp:
        folder = Path(tmp)
        venv = args.venv or install(folder)
        version = subprocess.run(
            [str(venv / "bin" / "python"), "-c",
             "import importlib.metadata as m; print(m.version('label-studio'))"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        source = folder / "source.sqlite"
        write_database(source, make_corpus(31, args.docs, args.spans), "alice")
        tasks_file = folder / "tasks.json"
        curator(source, "export", "--format", "labelstudio", "-o", str(tasks_file))
        spans = _tasks_spans(json.loads(tasks_file.read_text("utf-8")))
        server = LabelStudio(venv, folder / "ls-data")
        server.data.mkdir()
        began = time.perf_counter()
        server.start()
        started = round(time.perf_counter() - began, 1)
        emit({"figure": "labelstudio_started", "version": version, "seconds": started})
        try:
            times = _runs(server, folder, tasks_file, spans, max(args.repeat, 1))
        finally:
            server.stop()
        theirs = figure("labelstudio_import", spans, times["ls_in"], version=version)
        compare("import_ratio", figure("curator_import", spans, times["ours_in"]), theirs)
        theirs = figure("labelstudio_export", spans, times["ls_out"], version=version)
        compare("export_ratio", figure("curator_export", spans, times["ours_out"]), theirs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
