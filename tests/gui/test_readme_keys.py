"""The README's key table names every key of the window: a new key cannot go undocumented.

A curator learns the app from that table (and F1). Each shortcut of the main
window's actions must appear in it, in bold, as the README spells keys
(arrows as ← →, Return as Enter); Quit is the one left to the menu.
"""

from __future__ import annotations

import re
from pathlib import Path

from curator.gui.main_window import MainWindow

README = Path(__file__).resolve().parents[2] / "README.md"
SPELLING = {"Left": "←", "Right": "→", "Return": "Enter", "Del": "Delete", "Backtab": "Shift+Tab"}
LEFT_TO_MENUS = {"Ctrl+Q"}


def readme_keys() -> set[str]:
    """Keys in bold in the table of *Working in the app*, alternatives spelled out."""
    section = README.read_text(encoding="utf-8").split("## Working in the app", 1)[1]
    lines = section.strip().splitlines()
    table = "\n".join(lines[: next(i for i, ln in enumerate(lines) if not ln.startswith("|"))])
    keys: set[str] = set()
    for bold in re.findall(r"\*\*([^*]+)\*\*", table):
        keys.add(bold)
        keys.update(bold.split())  # "1 2 3 4"
        if "–" in bold:  # "1–4"
            first, last = bold.split("–")
            if first.isdigit() and last.isdigit():
                keys.update(str(n) for n in range(int(first), int(last) + 1))
        if bold.endswith("←/→"):  # "Alt+←/→"
            keys.update({bold[:-3] + "←", bold[:-3] + "→"})
    return keys


def spelled(shortcut: str) -> str:
    parts = shortcut.split("+") if shortcut != "Ctrl++" else ["Ctrl", "+"]
    return "+".join(SPELLING.get(part, part) for part in parts)


def test_every_shortcut_of_the_window_is_in_the_readme(window: MainWindow) -> None:
    documented = readme_keys()
    missing = []
    for action in window.all_actions:
        shortcuts = [spelled(s.toString()) for s in action.shortcuts()]
        if not shortcuts or LEFT_TO_MENUS & set(shortcuts):
            continue
        if not documented & set(shortcuts):
            missing.append(f"{' / '.join(shortcuts)}: {action.text().replace('&', '')}")
    assert missing == [], "keys missing from the README's key table:\n" + "\n".join(missing)
