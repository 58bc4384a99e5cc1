"""The review window, driven with real clicks and keys; decisions checked in the database."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from curator.core.articles import documents
from curator.core.review.adjudication import provenance
from curator.core.spans.annotate import NewSpan, add_spans, spans_for
from curator.core.storage.db import Database
from curator.gui.elided_button import ElidedButton
from curator.gui.main_window import MainWindow
from curator.gui.review import ReviewWindow
from curator.gui.review.chart import AgreementChart, LabelBars
from curator.gui.review.lanes import CURATED, LANE_CHARS


def prepare(db: Database) -> tuple[str, str]:
    """Two curators on the CD7 article: one agreement, a label and a boundary difference."""
    doc = next(d for d in documents.list_documents(db) if "CD7" in d.title)
    text = documents.get_document(db, doc.uid).text
    cd7 = text.index("CD7")
    second = text.index("CD7", cd7 + 1)
    car = text.index("CAR-T cell therapy")
    add_spans(db, doc.uid, "alice", [NewSpan(cd7, cd7 + 3, "target"),
                                      NewSpan(second, second + 3, "target"),
                                      NewSpan(car, car + 18, "therapy")])  # fmt: skip
    add_spans(db, doc.uid, "bob", [NewSpan(cd7, cd7 + 3, "target"),
                                    NewSpan(second, second + 3, "therapy"),
                                    NewSpan(car, car + 5, "therapy")])  # fmt: skip
    return doc.uid, text


def curated(db: Database, uid: str) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.label) for s in spans_for(db, uid, "rita")]


def click_row(window: ReviewWindow, kind: str) -> int:
    table = window.table
    row = next(i for i, item in enumerate(window.model.items) if item.difference.kind == kind)
    rect = table.visualRect(window.model.index(row, 1))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert table.currentIndex().row() == row
    return row


def test_menu_opens_the_review_window(window: MainWindow, samples_db: Database, qtbot) -> None:  # type: ignore[no-untyped-def]
    prepare(samples_db)
    QTest.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    review = window.review_window
    qtbot.addWidget(review)
    assert review.isVisible()
    assert review.reviewer == "tester"
    assert review.curators() == ["alice", "bob"]
    assert set(review.lanes.lanes) == {"alice", "bob", CURATED}


def make_review(qtbot, db: Database) -> ReviewWindow:  # type: ignore[no-untyped-def]
    review = ReviewWindow(db, "rita")
    qtbot.addWidget(review)
    with qtbot.waitExposed(review):
        review.show()
    return review


def test_accept_reject_edit_build_the_curated_layer(qtbot, samples_db: Database) -> None:  # type: ignore[no-untyped-def]
    uid, text = prepare(samples_db)
    review = make_review(qtbot, samples_db)
    assert review.document == uid
    assert [i.difference.kind for i in review.model.items] == ["agreement", "boundary", "label"]
    assert review.progress.text() == "<b>0 of 3</b> differences decided"
    cd7, second = text.index("CD7"), text.index("CD7", text.index("CD7") + 1)
    car = text.index("CAR-T cell therapy")

    QTest.mouseClick(review.all_button, Qt.MouseButton.LeftButton)
    assert curated(samples_db, uid) == [(cd7, cd7 + 3, "target")]

    click_row(review, "label")
    QTest.keyClicks(review.reason, "CD7 is the antigen here")
    bob = next(b for b in review.accept_buttons if "bob" in b.text())
    QTest.mouseClick(bob, Qt.MouseButton.LeftButton)
    assert (second, second + 3, "therapy") in curated(samples_db, uid)
    made = next(s for s in spans_for(samples_db, uid, "rita") if s.start == second)
    reasons = {(p.decision, p.reason) for p in provenance(samples_db, made.uid)}
    assert reasons == {("accept", "CD7 is the antigen here")}
    assert review.reason.text() == ""  # a reason belongs to one decision

    # Changed my mind: reject both readings with a reason.
    click_row(review, "label")
    QTest.keyClicks(review.reason, "a marker, not the point")
    QTest.mouseClick(review.reject_button, Qt.MouseButton.LeftButton)
    assert (second, second + 3, "therapy") not in curated(samples_db, uid)

    # Edit: select "CAR-T cell" in alice's lane with the keyboard, keep it as therapy.
    click_row(review, "boundary")
    view = review.lanes.lanes["alice"].view
    view.setFocus()
    view.select_range(car, car)
    for _ in range(len("CAR-T cell")):
        QTest.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    review.label_combo.setFocus()
    QTest.keyClick(review.label_combo, Qt.Key.Key_Home)  # therapy, the first label
    QTest.mouseClick(review.edit_button, Qt.MouseButton.LeftButton)
    assert (car, car + 10, "therapy") in curated(samples_db, uid)
    assert [i.status for i in review.model.items] == ["accepted", "edited", "rejected"]
    assert review.progress.text() == "<b>3 of 3</b> differences decided"
    assert review.doc_list.currentItem().text().startswith("✓")
    assert all(s.origin == "adjudicated" for s in spans_for(samples_db, uid, "rita"))
    curated_lane = review.lanes.lanes[CURATED].view
    assert len(curated_lane.spans_at(car)) == 1


def test_edit_without_a_selection_only_explains(qtbot, samples_db: Database) -> None:  # type: ignore[no-untyped-def]
    uid, _ = prepare(samples_db)
    review = make_review(qtbot, samples_db)
    click_row(review, "boundary")
    QTest.mouseClick(review.edit_button, Qt.MouseButton.LeftButton)
    assert curated(samples_db, uid) == []
    assert "Select the text" in review.statusBar().currentMessage()


def test_unchecking_a_curator_changes_lanes_and_differences(qtbot, samples_db: Database) -> None:  # type: ignore[no-untyped-def]
    prepare(samples_db)
    review = make_review(qtbot, samples_db)
    bob = review.curator_list.item(1)
    rect = review.curator_list.visualItemRect(bob)
    # The check box sits at the left of the row.
    QTest.mouseClick(review.curator_list.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(rect.left() + 10, rect.center().y()))  # fmt: skip
    QApplication.processEvents()
    assert review.curators() == ["alice"]
    assert set(review.lanes.lanes) == {"alice", CURATED}
    assert {i.difference.kind for i in review.model.items} == {"missing"}
    assert review.chart.bars == []


def test_chart_and_model(qtbot, qtmodeltester, samples_db: Database) -> None:  # type: ignore[no-untyped-def]
    prepare(samples_db)
    review = make_review(qtbot, samples_db)
    bars = {b.label: b for b in review.chart.bars}
    assert (bars["target"].f1_exact, bars["target"].n_a, bars["target"].n_b) == (0.6667, 2, 1)
    assert bars["expert"].f1_exact is None
    assert "target: F1 exact 0.67" in review.chart.toolTip()
    qtmodeltester.check(review.model)
    image = review.chart.grab().toImage()
    target_color = review.labels["target"].color.lower()
    colors = {image.pixelColor(x, y).name() for x in range(image.width())
              for y in range(0, image.height(), 3)}  # fmt: skip
    assert target_color in colors  # a bar was painted in the label's colour


def press(window: ReviewWindow, key: Qt.Key, mods: Qt.KeyboardModifier) -> None:
    QTest.keyClick(window.table, key, mods)
    QApplication.processEvents()


ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def active_review(qtbot, db: Database, reviewer: str = "rita") -> ReviewWindow:  # type: ignore[no-untyped-def]
    review = ReviewWindow(db, reviewer)
    qtbot.addWidget(review)
    with qtbot.waitActive(review):
        review.show()
        review.activateWindow()
    review.table.setFocus()
    return review


def test_a_reviewer_who_annotated_is_compared_into_a_layer_of_its_own(
    qtbot, samples_db: Database
) -> None:  # type: ignore[no-untyped-def]
    uid, text = prepare(samples_db)
    car = text.index("CAR-T cell therapy")
    add_spans(samples_db, uid, "rita", [NewSpan(car, car + 18, "therapy")])
    review = active_review(qtbot, samples_db)
    assert review.curators() == ["alice", "bob", "rita"]
    assert review.reviewer == "rita-curated"
    assert review.layer_combo.currentText() == "rita-curated"
    assert "new curator" in review.layer_note.text()
    assert review.lanes.lanes["rita"].title.text() == "Alt+3  rita"
    assert review.chart.bars  # two curators or more: the chart is drawn
    row = click_row(review, "boundary")
    button = next(b for b in review.accept_buttons if "alice + rita" in b.text())
    assert button.text().startswith("Alt+1/Alt+3  Accept alice + rita")
    press(review, Qt.Key.Key_3, ALT)
    assert [(s.start, s.end, s.label) for s in spans_for(samples_db, uid, "rita-curated")] == [
        (car, car + 18, "therapy")
    ]
    assert [(s.start, s.origin) for s in spans_for(samples_db, uid, "rita")] == [(car, "manual")]
    assert review.model.items[row].status == "accepted"
    curated_lane = review.lanes.lanes[CURATED].view
    assert len(curated_lane.spans_at(car)) == 1


def test_alt_n_follows_the_curator_not_the_button(qtbot, samples_db: Database) -> None:  # type: ignore[no-untyped-def]
    uid, text = prepare(samples_db)
    second = text.index("CD7", text.index("CD7") + 1)
    review = active_review(qtbot, samples_db)
    click_row(review, "label")
    order = [b.text().split()[0] for b in review.accept_buttons]
    assert sorted(order) == ["Alt+1", "Alt+2"]  # each button names its own key
    press(review, Qt.Key.Key_2, ALT)  # bob
    assert curated(samples_db, uid) == [(second, second + 3, "therapy")]


def test_undo_redo_and_escape_in_the_review_window(qtbot, samples_db: Database) -> None:  # type: ignore[no-untyped-def]
    uid, text = prepare(samples_db)
    second = text.index("CD7", text.index("CD7") + 1)
    review = active_review(qtbot, samples_db)
    row = click_row(review, "label")
    press(review, Qt.Key.Key_1, ALT)  # alice: target
    assert curated(samples_db, uid) == [(second, second + 3, "target")]
    press(review, Qt.Key.Key_Z, CTRL)
    assert curated(samples_db, uid) == []
    assert review.model.items[row].status == "pending"
    assert review.statusBar().currentMessage().startswith("Undone: accept alice")
    press(review, Qt.Key.Key_Z, CTRL | SHIFT)
    assert curated(samples_db, uid) == [(second, second + 3, "target")]
    assert review.model.items[row].status == "accepted"
    # Accept all agreements is one step, and says how many it took.
    QTest.mouseClick(review.all_button, Qt.MouseButton.LeftButton)
    assert review.statusBar().currentMessage() == "✓ Accepted all agreements: 1 saved"
    assert len(curated(samples_db, uid)) == 2
    QTest.mouseClick(review.all_button, Qt.MouseButton.LeftButton)
    assert review.statusBar().currentMessage() == "No pending agreement in this document"
    review.table.setFocus()
    press(review, Qt.Key.Key_Z, CTRL)
    press(review, Qt.Key.Key_Z, CTRL)
    assert curated(samples_db, uid) == []
    press(review, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)
    assert not review.isVisible()


def test_a_new_layer_name_needs_a_confirmation(qtbot, samples_db: Database) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer

    from curator.core.storage.curators import curator_names

    uid, _ = prepare(samples_db)
    review = active_review(qtbot, samples_db)
    combo = review.layer_combo
    line = combo.lineEdit()
    assert [combo.itemText(i) for i in range(combo.count())] == ["alice", "bob"]
    line.selectAll()
    QTest.keyClicks(line, "Bo")
    assert combo.completer().currentCompletion() == "bob"  # completes, any case

    def answer(yes: bool) -> None:
        def click() -> None:
            box = QApplication.activeModalWidget()
            if not isinstance(box, QMessageBox):  # not shown yet
                QTimer.singleShot(10, click)
                return
            seen.append(box.text())
            if yes:  # Space on the Yes button
                QTest.keyClick(box.button(QMessageBox.StandardButton.Yes), Qt.Key.Key_Space)
            else:
                QTest.keyClick(box, Qt.Key.Key_Escape)

        QTimer.singleShot(0, click)

    seen: list[str] = []
    line.selectAll()
    QTest.keyClicks(line, "ritta")
    answer(yes=False)  # a typo: cancelled
    QTest.keyClick(line, Qt.Key.Key_Return)
    assert review.reviewer == "rita" and combo.currentText() == "rita"
    assert "No curator is called “ritta” yet" in seen[0]
    line.selectAll()
    QTest.keyClicks(line, "ritta")
    answer(yes=True)  # on purpose
    QTest.keyClick(line, Qt.Key.Key_Return)
    assert review.reviewer == "ritta"
    assert review.windowTitle().startswith("Review into ritta")
    review.table.setFocus()
    QTest.mouseClick(review.all_button, Qt.MouseButton.LeftButton)
    assert "ritta" in curator_names(samples_db)
    assert len(spans_for(samples_db, uid, "ritta")) == 1
    assert spans_for(samples_db, uid, "rita") == []


def test_the_window_fits_the_screen_and_keeps_its_geometry(qtbot, samples_db: Database) -> None:  # type: ignore[no-untyped-def]
    prepare(samples_db)
    review = active_review(qtbot, samples_db)
    area = review.screen().availableGeometry()
    assert area.contains(review.geometry())
    wanted = max(int(area.width() * 0.9), review.minimumSizeHint().width())
    assert review.width() == wanted
    review.resize(780, 560)
    review.move(area.left() + 10, area.top() + 20)
    QTest.keyClick(review.table, Qt.Key.Key_Escape)
    again = active_review(qtbot, samples_db)
    assert (again.width(), again.height()) == (780, 560)
    assert area.contains(again.geometry())


def test_the_main_window_counts_follow_a_review(
    window: MainWindow, samples_db: Database, qtbot
) -> None:  # type: ignore[no-untyped-def]
    uid, _ = prepare(samples_db)
    model = window.doc_model
    assert model.count_of(uid) == 0
    QTest.keyClick(window, Qt.Key.Key_R, CTRL | SHIFT)
    review = window.review_window
    qtbot.addWidget(review)
    assert review.reviewer == "tester"  # no spans of their own: the layer is theirs
    QTest.mouseClick(review.all_button, Qt.MouseButton.LeftButton)
    assert model.count_of(uid) == 1  # the list shows the curated span
    window.ws.open_document(uid)
    assert len(window.ws.spans) == 1


def on_screen(widget: QWidget) -> QRect:
    """*widget*'s rectangle in screen coordinates."""
    return QRect(widget.mapToGlobal(widget.rect().topLeft()), widget.size())


def test_the_window_stays_on_a_small_screen_once_shown(qtbot, samples_db: Database) -> None:  # type: ignore[no-untyped-def]
    """The test screen (800 wide) is narrower than a 1024x700 laptop's: the edge stays on it."""
    uid, text = prepare(samples_db)
    car = text.index("CAR-T cell therapy")
    add_spans(samples_db, uid, "a curator with a rather long name",
              [NewSpan(car, car + 10, "therapy")])  # fmt: skip
    review = ReviewWindow(samples_db, "rita")
    qtbot.addWidget(review)
    area = review.screen().availableGeometry()
    assert area.width() <= 1024
    first = review.size()
    with qtbot.waitExposed(review):
        review.show()
    click_row(review, "boundary")  # three accept buttons quoting the spans
    assert len(review.accept_buttons) == 3
    QApplication.processEvents()
    assert review.size() == first  # it did not grow past its first size as it was shown
    assert area.contains(review.frameGeometry())
    hint = review.minimumSizeHint()
    assert hint.width() <= min(area.width(), 1024) and hint.height() <= min(area.height(), 700)
    curated_lane = review.lanes.lanes[CURATED]
    for part in (curated_lane, review.progress, review.table, *review.accept_buttons):
        assert area.contains(on_screen(part)), part
    review.resize(review.width(), 630)  # as tall as on a 1024x700 screen
    qtbot.waitUntil(lambda: review.height() == 630)
    QApplication.processEvents()
    hint = review.keys_hint  # wrapped, and every line of it inside the window
    assert hint.height() >= hint.heightForWidth(hint.width())
    assert review.rect().contains(QRect(hint.mapTo(review, QPoint(0, 0)), hint.size()))


def test_an_accept_button_shortens_its_caption_not_the_window(qtbot) -> None:  # type: ignore[no-untyped-def]
    caption = "Alt+2  Accept maria & ben: therapy 278–296 “CAR-T cell therapy”"
    button = ElidedButton(caption)
    qtbot.addWidget(button)
    assert button.minimumSizeHint().width() < button.sizeHint().width() // 2
    button.resize(button.sizeHint())
    button.show()
    assert button.text() == caption.replace("&", "&&") and not button.is_elided()
    button.resize(button.minimumSizeHint())
    assert button.is_elided()
    assert button.text().startswith("Alt+2  Accept") and button.text().endswith("…")
    shown = button.text().replace("&&", "&")
    assert button.fontMetrics().horizontalAdvance(shown) < button.width()
    assert button.full_text() == caption


def test_the_chart_title_is_clear_of_the_bar_values(qtbot) -> None:  # type: ignore[no-untyped-def]
    chart = AgreementChart()
    qtbot.addWidget(chart)
    full = [LabelBars(name, "#1f77b4", 1.0, 1.0, 3, 3) for name in ("therapy", "target")]
    for size in ((260, 190), (320, 220), (600, 420)):
        chart.resize(*size)
        chart.set_data("maria against ben, all documents", full)
        values = chart.value_rects()
        assert len(values) == 4
        title = chart.title_rect()
        for rect in values:
            assert not rect.intersects(title), (size, rect, title)
            assert rect.top() >= 0
        # What the title draws stays in its line: another title changes no pixel below it.
        with_title = chart.grab().toImage()
        chart.set_data(" ", full)
        blank = chart.grab().toImage()
        changed = [y for y in range(chart.height()) for x in range(0, chart.width(), 2)
                   if with_title.pixel(x, y) != blank.pixel(x, y)]  # fmt: skip
        assert changed and max(changed) <= title.bottom(), size
        lowest_value = max(rect.bottom() for rect in values)
        assert lowest_value <= chart.plot_rect().top() + 1  # each "1.00" above its full bar


def test_eight_curators_fit_a_small_screen_in_readable_lanes(qtbot, samples_db: Database) -> None:  # type: ignore[no-untyped-def]
    """Eight curators: the window still fits 1024 px; the lanes keep whole words and scroll."""
    uid, text = prepare(samples_db)
    cd7 = text.index("CD7")
    names = ["chidi", "dolores", "eleanor", "fumiko", "gunnar", "hiroshi"]
    for name in names:
        add_spans(samples_db, uid, name, [NewSpan(cd7, cd7 + 3, "target")])
    review = make_review(qtbot, samples_db)
    assert review.curators() == sorted(["alice", "bob", *names])
    assert review.minimumSizeHint().width() <= 1024
    area = review.screen().availableGeometry()
    assert area.contains(review.frameGeometry())
    assert area.contains(on_screen(review.lanes.lanes[CURATED]))  # the layer stays in view
    for name in review.curators():
        view = review.lanes.lanes[name].view
        assert view.width() >= view.fontMetrics().averageCharWidth() * LANE_CHARS, name
    scroll = review.lanes.area.horizontalScrollBar()
    assert scroll.maximum() > 0  # the eighth lane is reached sideways
    scroll.setValue(scroll.maximum())
    last = review.lanes.lanes[review.curators()[-1]]
    assert (
        review.lanes.area.viewport()
        .rect()
        .contains(QRect(last.mapTo(review.lanes.area.viewport(), QPoint(0, 0)), last.size()))
    )
