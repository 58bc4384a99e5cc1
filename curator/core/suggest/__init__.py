"""Suggestions: finding candidate spans, and a curator's decisions on them.

- :mod:`.finding`: lexicons and patterns over a text (pure).
- :mod:`.stored`: suggestions as stored: computing, accepting, rejecting.
- :mod:`.drug_library`: the optional drug dictionary as one more source.
"""
