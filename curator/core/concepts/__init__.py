"""Concepts: what a span names, and linking spans to them offline.

- :mod:`.vocabulary`, :mod:`.vocabulary_index`: the shipped genes, drugs, kinds and outcomes.
- :mod:`.ranking`: candidates for a text, each with why it matched.
- :mod:`.people`: the registry of experts kept in the database.
- :mod:`.linking`: ``curator link``: linking unambiguous spans in bulk.

A span's concepts themselves are stored values: :mod:`curator.core.storage.concepts`.
"""
