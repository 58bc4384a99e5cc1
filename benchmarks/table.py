"""Turn the scripts' JSON lines (stdin) into the Markdown table of benchmarks/README.md.

python -m benchmarks.bench_view | python -m benchmarks.table
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def _cell(record: dict[str, Any]) -> list[str]:
    name = record["figure"]
    if "status" in record:
        return [name, "—", "—", "—", "—", record["status"]]
    value = f"{_number(record['value'])} {record['unit']}"
    if record.get("kind") == "floor":
        return [name, value, "floor", "", "", ""]
    floor = f"{_number(record['floor'])} {record['unit']}" if "floor" in record else ""
    ratio = f"{record['ratio']}x" if "ratio" in record else ""
    verdict = {True: "pass", False: "**fail**", None: "reported"}[record["pass"]]
    return [name, value, floor, ratio, record["target"] or "—", verdict]


def table(lines: Iterable[str]) -> str:
    rows = [
        "| figure | value | floor | ratio | target | result |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for line in lines:
        if not line.strip():
            continue
        record = json.loads(line)
        if record["figure"] != "machine":
            rows.append("| " + " | ".join(_cell(record)) + " |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(table(sys.stdin))
