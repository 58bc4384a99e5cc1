"""Give the C heap's freed memory back to the system after opening an article.

Opening a 1 MB article makes short-lived copies of its text (the display
copy with soft breaks, Qt's UTF-16 conversion, the driver's rows): several
megabytes that are freed at once but that glibc's allocator keeps in the
process heap, so the app would stay that much larger while the article is
open (5 MB for a 1 MB one-line article, more than the article's spans).
``malloc_trim`` returns them; elsewhere (macOS, Windows, musl) this does
nothing, as their allocators return such blocks themselves or offer no
such call.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from collections.abc import Callable

_trim: Callable[[int], int] | None = None
if sys.platform.startswith("linux"):
    try:
        _trim = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc
        _trim = None


def release_freed_memory() -> None:
    """Return freed heap pages to the system (glibc only; a few milliseconds at most)."""
    if _trim is not None:
        _trim(0)
