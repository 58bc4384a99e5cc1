"""How a span looks in the article view: its colour, hover text and outline.

The view draws the app's own span records with a styler that maps each to a
shared :class:`Style`; marks that are not stored spans (suggestions, the
review lanes) are :class:`ViewSpan` objects, their own style.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, cast


@dataclass(frozen=True, slots=True)
class ViewSpan:
    """What the view needs to draw one annotation; offsets are code points."""

    uid: str
    start: int
    end: int
    color: str  # "#rrggbb" of the label
    label: str  # label name, for tooltips
    tooltip: str  # hover text as Qt rich text (label, curator, note); the caller escapes
    dashed: bool = False  # suggested spans: dashed outline instead of fill
    noted: bool = False  # carries a note: marked at its end


class SpanStyle(Protocol):
    """How one span looks: a ViewSpan is its own style."""

    @property
    def color(self) -> str: ...
    @property
    def tooltip(self) -> str: ...
    @property
    def dashed(self) -> bool: ...
    @property
    def noted(self) -> bool: ...
    @property
    def label(self) -> str: ...


def own_style(span: Any) -> SpanStyle:
    return cast(SpanStyle, span)


@dataclass(frozen=True, slots=True)
class Style:
    """A style shared by many spans (same label, curator, origin)."""

    color: str
    tooltip: str
    dashed: bool = False
    noted: bool = False
    label: str = ""  # the name a tag on the span shows (View > Show label names)
