"""Text from data is shown as the characters it holds: never as markup, anywhere in the GUI.

Qt renders a string as HTML whenever it looks like HTML, so each case feeds
markup through a path that shows data (a document title in the list's
tooltip, a label named in the import-error dialog, a curator name, a note,
the database's file name) and asserts that what Qt would draw is the markup
itself, character for character. A static guard keeps every message box,
every label built from a variable and every tooltip set from a variable
going through ``curator.gui.plain_text``.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtGui import QTextDocument
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from curator.core.articles import corpus, documents
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.core.storage import migrate
from curator.core.storage.db import Database, open_database
from curator.gui import plain_text
from curator.gui.import_files import FAILED_TITLE
from curator.gui.main_window import MainWindow
from curator.gui.review import ReviewWindow

GUI = Path(__file__).resolve().parents[2] / "curator" / "gui"
TITLE = '<font color=red size=6>RETRACTED</font> <img src="/etc/hosts">'
LABEL = "<font size=7 color=red>Import OK - all spans saved</font>"
CURATOR = "<b>eve-curator</b>"
NOTE = "<i>see</i> <a href='x'>link</a>"


def drawn(text: str, fmt: Qt.TextFormat = Qt.TextFormat.AutoText) -> str:
    """What Qt draws for *text*: itself, or the text of the HTML it is taken for."""
    if fmt == Qt.TextFormat.PlainText:
        return text
    if fmt == Qt.TextFormat.AutoText and not GuiQt.mightBeRichText(text):
        return text
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText().replace("\u2029", "\n").replace("\u2028", "\n")


def label_drawn(label: QLabel) -> str:
    return drawn(label.text(), label.textFormat())


# -- the static guard -----------------------------------------------------------------------


def _violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func, where = node.func, f"{path.relative_to(GUI)}:{node.lineno}"
        name = func.id if isinstance(func, ast.Name) else None
        owner = (
            func.value.id
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
            else None
        )
        attr = func.attr if isinstance(func, ast.Attribute) else None
        literal = (
            len(node.args) == 1 and isinstance(node.args[0], ast.Constant) and not node.keywords
        )
        if name == "QMessageBox" or owner == "QMessageBox":
            found.append(f"{where}: a message box not made by plain_text")
        elif name == "QLabel" and not literal:
            found.append(f"{where}: QLabel from a variable (or empty): use plain_text.label")
        elif attr in ("setToolTip", "setInformativeText", "setDetailedText") and not literal:
            # the text is the last argument (an item view's item takes the column first)
            arg = node.args[-1] if node.args else None
            if isinstance(arg, ast.Constant) and not node.keywords:
                continue
            wrapped = (
                isinstance(arg, ast.Call)
                and isinstance(arg.func, ast.Attribute)
                and arg.func.attr == "tooltip"
            )
            if not wrapped:
                found.append(f"{where}: {attr} from a variable: use plain_text.tooltip")
        elif owner == "QToolTip" and attr == "showText" and path.name != "span_pointing.py":
            # the article view's hover: its tooltips are built escaped (Workspace.span_style)
            found.append(f"{where}: QToolTip.showText outside the article view")
    return found


def test_no_message_box_label_or_tooltip_bypasses_plain_text() -> None:
    sources = [p for p in GUI.rglob("*.py") if p.name != "plain_text.py"]
    assert len(sources) > 20
    violations = [v for path in sources for v in _violations(path)]
    assert violations == []


def test_the_guard_sees_each_kind_of_bypass(tmp_path: Path) -> None:
    """The guard itself can fail: each bypass it forbids, written out, is reported."""
    sample = GUI / "_guard_sample.py"
    sample.write_text(
        "QMessageBox.warning(None, 't', text)\n"
        "box = QMessageBox()\n"
        "QLabel(title)\n"
        "QLabel()\n"
        "item.setToolTip(title)\n"
        "item.setToolTip(plain_text.tooltip(title))\n"
        "QLabel('Find:')\n",
        encoding="utf-8",
    )
    try:
        assert len(_violations(sample)) == 5
    finally:
        sample.unlink()


# -- each path that shows data ------------------------------------------------------------


def _article(folder: Path, first_line: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "retracted.txt"
    path.write_text(f"{first_line}\n\nRuxolitinib reduced spleen volume.\n", encoding="utf-8")
    return path


def test_a_title_with_markup_shows_literally_in_the_document_list_tooltip(
    qtbot,  # type: ignore[no-untyped-def]
    samples_db: Database,
    tmp_path: Path,
) -> None:
    corpus.import_articles(samples_db, [_article(tmp_path / "in", TITLE)])
    window = MainWindow(samples_db, "tester")
    qtbot.addWidget(window)
    model = window.doc_model
    rows = [model.index(r, 0) for r in range(model.rowCount(QModelIndex()))]
    tips = [str(model.data(i, Qt.ItemDataRole.ToolTipRole)) for i in rows]
    (tip,) = [t for t in tips if "RETRACTED" in t]
    assert drawn(tip).startswith(TITLE + "\n")


def test_a_label_with_markup_in_the_import_error_dialog_is_shown_literally(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    tmp_path: Path,
) -> None:
    spans = tmp_path / "spans.jsonl"
    line = {"text": "Ruxolitinib study.\n", "spans": [{"start": 0, "end": 11, "label": LABEL}]}
    spans.write_text(json.dumps(line) + "\n", encoding="utf-8")
    shown: list[tuple[str, str]] = []

    def answer() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            return
        if isinstance(modal, QMessageBox):
            text = modal.findChild(QLabel, "qt_msgbox_label")
            assert text is not None
            shown.append((modal.windowTitle(), label_drawn(text)))
            modal.done(0)
        else:  # the file dialog: type the name, press Return
            from PySide6.QtWidgets import QLineEdit

            edit = modal.findChild(QLineEdit, "fileNameEdit")
            assert edit is not None
            edit.setText(str(spans))
            QTest.keyClick(edit, Qt.Key.Key_Return)

    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.timeout.connect(answer)
    timer.start(20)
    QTest.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    timer.stop()
    ((title, text),) = shown
    assert title == FAILED_TITLE
    assert LABEL in text


def test_every_label_and_tooltip_of_the_windows_shows_data_literally(
    qtbot,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    """Title, curator, note and file name with markup: every widget that shows them, literally."""
    folder = tmp_path / "<u>zlabfolder"
    folder.mkdir()
    db = open_database(f"sqlite:///{folder / '<b>zteamfile.sqlite'}")
    migrate.upgrade(db)
    corpus.import_articles(db, [_article(tmp_path / "in", TITLE)])
    doc = documents.list_documents(db)[0].uid
    for name in (CURATOR, "ann"):
        annotate.add_span(db, doc, name, NewSpan(0, 5, "therapy", note=NOTE))
    window = MainWindow(db, CURATOR)
    qtbot.addWidget(window)
    window.show()
    review = ReviewWindow(db, CURATOR, window)
    qtbot.addWidget(review)
    review.show()
    QApplication.processEvents()

    seen: list[str] = []
    for top in (window, review):
        for widget in [top, *top.findChildren(QWidget)]:
            texts = [drawn(widget.toolTip())]
            if isinstance(widget, QLabel):
                texts.append(label_drawn(widget))
            for text in texts:
                for raw in (TITLE, CURATOR, NOTE, "<b>zteamfile", "<u>zlabfolder"):
                    bare = drawn(raw)  # what a rendering of the markup would leave
                    if bare and bare in text and raw not in text:
                        raise AssertionError(f"{widget!r} draws {raw!r} as markup: {text!r}")
                seen.append(text)
    span_model = window.span_table.model()
    tip = drawn(str(span_model.data(span_model.index(0, 0), Qt.ItemDataRole.ToolTipRole)))
    assert NOTE in tip
    shown = "\n".join(seen)
    assert f"Curator: {CURATOR}" in shown  # the status bar, the name literal and bold
    assert "<u>zlabfolder/<b>zteamfile.sqlite" in shown
    db.dispose()


def test_plain_text_tooltip_leaves_plain_strings_alone() -> None:
    assert plain_text.tooltip("Ruxolitinib: 3 spans") == "Ruxolitinib: 3 spans"
    assert drawn(plain_text.tooltip(TITLE + "\nsecond line")) == TITLE + "\nsecond line"
    assert drawn(plain_text.tooltip("&lt;T cells")) == "&lt;T cells"
