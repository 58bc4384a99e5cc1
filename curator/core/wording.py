"""Counts in the sentences users read: "1 document", "2 documents", never "1 documents".

One helper for the command line, the app and the reports they share, so a
count reads the same wherever it is shown.
"""

from __future__ import annotations

# The few words whose plural is not the singular plus "s".
IRREGULAR = {"entry": "entries", "is": "are", "was": "were"}


def plural(n: int, word: str) -> str:
    """*word* as it goes with the count *n* (the word alone, no number)."""
    if n == 1:
        return word
    head, _, last = word.rpartition(" ")
    last = IRREGULAR.get(last, last + "s")
    return f"{head} {last}" if head else last


def counted(n: int, word: str) -> str:
    """ "1 span", "2 spans", "1 span file", "3 span files"."""
    return f"{n} {plural(n, word)}"
