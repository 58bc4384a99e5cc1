"""File > Export…: the dialog writes what the database holds, reports it, and cancels cleanly."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QProgressDialog

from curator.core.articles import corpus, documents
from curator.core.interchange.labels_file import read_label_file
from curator.core.labels.editing import recolour_label
from curator.core.spans import annotate
from curator.core.spans.annotate import NewSpan
from curator.gui.export_dialog import ExportDialog
from curator.gui.main_window import MainWindow


def _open_dialog(qtbot, window: MainWindow) -> ExportDialog:  # type: ignore[no-untyped-def]
    QTest.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(ExportDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def _click_export(dialog: ExportDialog) -> None:
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def _tag_every_document(window: MainWindow) -> None:
    db = window.ws.db
    for doc in documents.list_documents(db):
        annotate.add_span(db, doc.uid, "tester", NewSpan(0, 3, "therapy"))
        annotate.add_span(db, doc.uid, "other", NewSpan(0, 3, "target"))


def test_ctrl_e_exports_jsonl_of_the_checked_curators(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    _tag_every_document(window)
    recolour_label(window.ws.db, "target", "#123456")
    dialog = _open_dialog(qtbot, window)
    assert dialog.checked_curators() == ["other", "tester"]
    dialog.curator_list.item(0).setCheckState(Qt.CheckState.Unchecked)  # not "other"
    out = tmp_path / "mine.jsonl"
    dialog.path_edit.setText(str(out))

    _click_export(dialog)

    qtbot.waitUntil(lambda: not dialog.isVisible())
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 4
    spans = [s for line in lines for s in line["spans"]]
    assert [(s["curator"], s["label"]) for s in spans] == [("tester", "therapy")] * 4
    assert "exported 4 documents, 4 spans as jsonl" in window.statusBar().currentMessage()
    # The whole label set beside it, whatever the curators ticked.
    assert "the label set beside it in mine.labels.json" in window.statusBar().currentMessage()
    labels = {r.name: r.color for r in read_label_file(tmp_path / "mine.labels.json")}
    assert labels == {"therapy": "#0072B2", "target": "#123456", "outcome": "#009E73",
                      "expert": "#CC79A7"}  # fmt: skip


def test_format_choice_sets_the_suffix_and_deleted_spans_only_for_jsonl(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    _tag_every_document(window)
    dialog = _open_dialog(qtbot, window)
    dialog.path_edit.setText(str(tmp_path / "work.jsonl"))
    dialog.deleted_box.setChecked(True)
    dialog.set_format("bioc-xml")
    assert dialog.path_edit.text() == str(tmp_path / "work.xml")
    assert not dialog.deleted_box.isEnabled() and not dialog.deleted_box.isChecked()
    dialog.set_format("brat")
    assert dialog.path_edit.text() == str(tmp_path / "work")

    _click_export(dialog)

    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert sorted(p.name for p in (tmp_path / "work").iterdir()) == ["other", "tester"]
    ann = next((tmp_path / "work" / "tester").glob("*.ann")).read_text(encoding="utf-8")
    assert ann.startswith("T1\ttherapy 0 3\t")


def test_a_failed_export_says_why_and_stays_open(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = _open_dialog(qtbot, window)
    dialog.path_edit.setText(str(tmp_path / "no-such-folder" / "x.jsonl"))
    _click_export(dialog)
    box = dialog.findChild(QMessageBox, "exportMessage")
    assert box is not None
    assert "does not exist" in box.text()
    assert dialog.isVisible()
    box.close()


def test_cancel_in_the_progress_dialog_writes_nothing(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(25):
        (folder / f"a{i:02d}.txt").write_text(f"Article {i}\nAbout ruxolitinib.\n")
    corpus.import_articles(window.ws.db, [folder])
    annotate.add_span(
        window.ws.db,
        documents.list_documents(window.ws.db)[0].uid,
        "tester",
        NewSpan(0, 7, "expert"),
    )
    dialog = _open_dialog(qtbot, window)
    out = tmp_path / "cancelled.jsonl"
    dialog.path_edit.setText(str(out))
    seen: list[int] = []

    def cancel() -> None:
        progress = dialog.findChild(QProgressDialog)
        assert progress is not None and progress.isVisible()
        seen.append(progress.maximum())
        progress.cancel()

    QTimer.singleShot(0, cancel)
    _click_export(dialog)

    assert seen == [29]  # 25 + the 4 samples: the progress dialog counted documents
    assert not out.exists() and not (tmp_path / "cancelled.labels.json").exists()
    assert list(tmp_path.glob(".cancelled*")) == []
    assert dialog.isVisible()


def _markup_article_with_overlapping_spans(window: MainWindow, tmp_path: Path) -> str:
    """An article whose quotes look like markup, with two spans IOB cannot both hold."""
    article = tmp_path / "markup.txt"
    article.write_text("Markup\n<b>CD19</b> directed CAR-T\n", encoding="utf-8")
    (added,) = corpus.import_articles(window.ws.db, [article]).added
    annotate.add_span(window.ws.db, added.uid, "tester", NewSpan(7, 14, "target"))  # <b>CD19
    annotate.add_span(window.ws.db, added.uid, "tester", NewSpan(10, 18, "target"))  # CD19</b>
    return added.uid


def _stored_spans(window: MainWindow) -> int:
    return sum(
        len(annotate.spans_for(window.ws.db, d.uid)) for d in documents.list_documents(window.ws.db)
    )


def test_a_loss_is_named_and_counted_and_export_anyway_writes_the_rest(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    _tag_every_document(window)
    _markup_article_with_overlapping_spans(window, tmp_path)
    dialog = _open_dialog(qtbot, window)
    dialog.set_format("conll")
    out = tmp_path / "train.conll"
    dialog.path_edit.setText(str(out))

    _click_export(dialog)

    box = dialog.findChild(QMessageBox, "exportLoss")
    assert box is not None and box.isVisible()
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert "cannot hold 1 of 10 spans. Nothing was written." in box.text()
    assert "'CD19</b>' overlaps target span 7-14 '<b>CD19'" in box.informativeText()
    assert not out.exists() and dialog.isVisible()
    anyway = next(b for b in box.buttons() if b.text() == "Export &anyway")
    QTest.mouseClick(anyway, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: not dialog.isVisible())
    tags = [line.split("\t")[1:] for line in out.read_text(encoding="utf-8").splitlines()]
    assert sum(tag.startswith("B-") for row in tags for tag in row) == 9
    left = window.findChild(QMessageBox, "exportProblems")
    assert left is not None and left.windowTitle() == "1 span left out"
    assert left.textFormat() == Qt.TextFormat.PlainText and "CD19</b>" in left.text()
    assert _stored_spans(window) == 10  # the span left out of the file is still curated work
    left.close()


def test_cancel_on_a_loss_writes_nothing_and_keeps_the_dialog(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    _markup_article_with_overlapping_spans(window, tmp_path)
    dialog = _open_dialog(qtbot, window)
    dialog.set_format("conll")
    out = tmp_path / "train.conll"
    dialog.path_edit.setText(str(out))
    _click_export(dialog)
    box = dialog.findChild(QMessageBox, "exportLoss")
    assert box is not None
    QTest.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not box.isVisible())
    assert dialog.isVisible() and not out.exists()
    assert list(tmp_path.glob(".train*")) == []


def test_allow_loss_exports_at_once_and_lists_what_was_left_out(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    _markup_article_with_overlapping_spans(window, tmp_path)
    dialog = _open_dialog(qtbot, window)
    dialog.set_format("conll")
    out = tmp_path / "train.conll"
    dialog.path_edit.setText(str(out))
    QTest.mouseClick(dialog.loss_box, Qt.MouseButton.LeftButton)
    assert dialog.loss_box.isChecked()

    _click_export(dialog)

    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert dialog.findChild(QMessageBox, "exportLoss") is None
    assert "B-target" in out.read_text(encoding="utf-8")
    left = window.findChild(QMessageBox, "exportProblems")
    assert left is not None and "'CD19</b>' overlaps target span 7-14" in left.text()
    assert "1 span left out" in window.statusBar().currentMessage()
    left.close()


def test_the_file_is_named_after_the_ticked_curators(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    _tag_every_document(window)
    annotate.add_span(
        window.ws.db,
        documents.list_documents(window.ws.db)[0].uid,
        "third",
        NewSpan(0, 3, "outcome"),
    )
    dialog = _open_dialog(qtbot, window)
    assert Path(dialog.path_edit.text()).name == "all-curators-spans.jsonl"
    dialog.curator_list.item(0).setCheckState(Qt.CheckState.Unchecked)  # "other"
    assert Path(dialog.path_edit.text()).name == "tester+third-spans.jsonl"
    dialog.curator_list.item(1).setCheckState(Qt.CheckState.Unchecked)  # "tester"
    assert Path(dialog.path_edit.text()).name == "third-spans.jsonl"
    dialog.path_edit.setText("/somewhere/mine.jsonl")  # named by the curator: kept
    dialog.curator_list.item(0).setCheckState(Qt.CheckState.Checked)
    assert dialog.path_edit.text() == "/somewhere/mine.jsonl"
    dialog.reject()


def test_the_open_document_only_with_its_suggestions(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    _tag_every_document(window)
    doc = window.ws.document
    assert doc is not None and window.suggestions.pending  # the article has suggestions
    dialog = _open_dialog(qtbot, window)
    dialog.documents_combo.setCurrentIndex(dialog.documents_combo.findData(doc.uid))
    dialog.suggestions_box.setChecked(True)
    out = tmp_path / "one.jsonl"
    dialog.path_edit.setText(str(out))
    _click_export(dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    (line,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert line["title"] == doc.title
    assert len(line["suggestions"]) == len(window.suggestions.pending)
    other = ExportDialog(window.ws.db, "tester", window)
    other.suggestions_box.setChecked(True)
    other.set_format("bioc-xml")  # suggestions travel in JSONL only
    assert not other.suggestions_box.isEnabled() and not other.suggestions_box.isChecked()


def test_relations_a_format_cannot_hold_are_named_and_counted(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from curator.core.relations import add_relation, relations_for

    db = window.ws.db
    doc = documents.list_documents(db)[0].uid
    therapy = annotate.add_span(db, doc, "tester", NewSpan(0, 3, "therapy"))
    target = annotate.add_span(db, doc, "tester", NewSpan(4, 8, "target"))
    add_relation(db, doc, "tester", "acts_on", therapy.uid, target.uid)
    dialog = _open_dialog(qtbot, window)
    dialog.set_format("spacy")
    out = tmp_path / "train.spacy"
    dialog.path_edit.setText(str(out))

    _click_export(dialog)

    box = dialog.findChild(QMessageBox, "exportLoss")
    assert box is not None and box.isVisible()
    assert box.windowTitle() == "1 relation cannot be exported as spacy"
    assert "cannot hold 1 of 1 relation. Nothing was written." in box.text()
    assert "acts_on relation" in box.informativeText()
    assert "spacy holds no relations" in box.informativeText()
    assert not out.exists()
    anyway = next(b for b in box.buttons() if b.text() == "Export &anyway")
    QTest.mouseClick(anyway, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert out.exists()
    left = window.findChild(QMessageBox, "exportProblems")
    assert left is not None and left.windowTitle() == "1 relation left out"
    assert "could not hold these relations unchanged" in left.text()
    assert len(relations_for(db, doc)) == 1  # still curated work
    left.close()
