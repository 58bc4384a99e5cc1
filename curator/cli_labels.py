"""``curator labels``: the label set from the command line, as Settings > Labels edits it.

``list`` shows every label (retired ones marked) with its key and live
spans; the other actions each save one change (see
:mod:`curator.core.labels.editing`) and print the label as it now is.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from curator.core.labels import editing
from curator.core.labels.editing import LabelEntry
from curator.core.storage.db import Database


def _entry_json(entry: LabelEntry) -> dict[str, object]:
    return {
        "uid": entry.uid,
        "name": entry.name,
        "color": entry.color,
        "key": entry.shortcut,
        "description": entry.description,
        "position": entry.position,
        "retired": entry.retired,
        "revision": entry.revision,
        "spans": entry.spans,
    }


def _show(entries: list[LabelEntry], as_json: bool) -> None:
    if as_json:
        print(json.dumps([_entry_json(e) for e in entries], ensure_ascii=False, indent=2))
        return
    print(f"{'key':3}  {'colour':7}  {'spans':>6}  {'state':7}  name")
    for e in entries:
        state = "retired" if e.retired else "in use"
        print(f"{e.shortcut or '-':3}  {e.color:7}  {e.spans:>6}  {state:7}  {e.name}")


def cmd_labels(args: argparse.Namespace, db: Database) -> int:
    action = args.labels_action
    if action == "list":
        _show(editing.label_set(db), args.json)
        return 0
    if action == "add":
        entry = editing.add_label(db, args.name, args.color, args.key, args.description)
    elif action == "rename":
        entry = editing.rename_label(db, args.name, args.new_name)
    elif action == "recolour":
        entry = editing.recolour_label(db, args.name, args.color)
    elif action == "key":
        entry = editing.set_label_key(db, args.name, args.key or None)
    elif action == "move":
        moved = editing.move_label(db, args.name, args.position - 1)
        entry = next(e for e in moved if e.name == args.name)
    elif action == "retire":
        entry = editing.retire_label(db, args.name)
    else:
        entry = editing.restore_label(db, args.name)
    _show([entry], args.json)
    return 0


def add_labels_parser(sub: Any) -> None:
    p = sub.add_parser("labels", help="list or edit the label set")
    actions = p.add_subparsers(dest="labels_action", metavar="ACTION", required=True)

    def action(name: str, help_: str) -> argparse.ArgumentParser:
        q: argparse.ArgumentParser = actions.add_parser(name, help=help_)
        q.add_argument("--json", action="store_true", help="print JSON")
        q.set_defaults(handler=cmd_labels, upgrade=True)
        return q

    def named(q: argparse.ArgumentParser) -> None:
        q.add_argument("name", help="the label's name")

    action("list", "every label, retired ones too, with key, colour and live spans")
    q = action("add", "add a label at the end")
    q.add_argument("name", help="one word: letters, digits, _ or -")
    q.add_argument("color", metavar="COLOUR", help="#rrggbb")
    q.add_argument("--key", help="a digit or letter that tags with it in the app")
    q.add_argument("--description", default="", help="what the label marks")
    q = action("rename", "rename a label; its spans follow")
    named(q)
    q.add_argument("new_name", metavar="NEW_NAME", help="one word: letters, digits, _ or -")
    q = action("recolour", "change a label's colour")
    named(q)
    q.add_argument("color", metavar="COLOUR", help="#rrggbb")
    q = action("key", "give a label a key, or none (empty)")
    named(q)
    q.add_argument("key", nargs="?", default="", help="a digit or letter; leave out for none")
    q = action("move", "move a label to a place in the order")
    named(q)
    q.add_argument("position", type=int, help="1 for first")
    q = action("retire", "retire a label: spans kept, no key, no new spans")
    named(q)
    q = action("restore", "bring a retired label back (without a key)")
    named(q)
