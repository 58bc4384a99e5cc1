"""Relations between spans in the workspace: the R flow, the marks, the table.

Kept apart from the span widgets: the main window builds one
:class:`RelationsUi` and gives it the workspace, the text view and the span
editor; everything relation-specific lives in this package.
"""

from __future__ import annotations

from curator.gui.relations.ui import RelationsUi

__all__ = ["RelationsUi"]
