"""Spans: the one place they are written, where they begin and end, and the live set.

- :mod:`.annotate`: adding, editing, deleting and linking spans (every write).
- :mod:`.boundaries`: word snapping, edge steps, occurrences.
- :mod:`.live_spans`: one document's live spans for one curator, as the editor keeps them.
"""
