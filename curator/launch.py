"""The ``curator`` command's entry point: a plain ``curator gui`` paints before it imports.

``curator`` and ``curator gui`` (with at most ``--db``, ``--curator`` and
``-q``) on a local SQLite database already at the current schema show the
article first (:mod:`curator.gui.first_frame`), having imported only Qt and
``sqlite3``; the command line parser, SQLAlchemy and the rest follow once
it is on screen. Everything else, and every case the first frame cannot
take (a server URL, no database yet, a schema to upgrade, an unreadable
file, a bad curator name), goes to :func:`curator.cli.main`, unchanged:
the same messages, backups and exit codes as ever.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

_GLOBAL_VALUES = ("--db", "--curator")
_GLOBAL_FLAGS = ("-q", "--quiet")


def plain_gui(argv: Sequence[str]) -> tuple[str | None, str | None] | None:
    """``(--db, --curator)`` when *argv* asks for the app and nothing else, else None.

    Anything this does not recognise (help, version, another command, an
    abbreviated option) is None: the full parser handles it as always.
    """
    values: dict[str, str | None] = dict.fromkeys(_GLOBAL_VALUES)
    command = None
    args = iter(argv)
    for arg in args:
        name, equals, value = arg.partition("=")
        if arg in _GLOBAL_FLAGS:
            continue
        if name in _GLOBAL_VALUES:
            if not equals:
                value = next(args, "")
                if not value or value.startswith("-"):
                    return None
            if values[name] is not None:
                return None
            values[name] = value
        elif arg == "gui" and command is None:
            command = arg
        else:
            return None
    return values["--db"], values["--curator"]


def _first_frame(db: str | None, curator: str | None) -> int | None:
    """Run the app from its first frame; None when the usual start must do it."""
    from curator.core.errors import CuratorError
    from curator.core.storage.curator_names import resolve_name
    from curator.core.storage.first_article import read_first_article, sqlite_file
    from curator.core.storage.paths import database_url

    try:
        url = database_url(db)
        name = resolve_name(curator)
    except CuratorError:
        return None  # the usual start says what is wrong
    path = sqlite_file(url)
    article = read_first_article(path, name) if path is not None else None
    if article is None:
        return None
    from curator.gui import first_frame
    from curator.gui.app_setup import application

    app = application()
    named = bool(db or os.environ.get("CURATOR_DB"))  # else the per-user default
    window = first_frame.show(article, url, name, seed=not named)
    try:
        return app.exec()
    finally:
        window.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    gui = plain_gui(args)
    if gui is not None:
        code = _first_frame(*gui)
        if code is not None:
            return code
    from curator.cli_quick import run as quick_export

    code = quick_export(args)  # ``curator export`` to JSONL from SQLite, without SQLAlchemy
    if code is not None:
        return code
    from curator.core import collector

    with collector.kept_for_good():  # the start's objects live to the end: not walked
        from curator.cli import main as cli_main
    return cli_main(args)
