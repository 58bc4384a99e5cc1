"""What one sample of the bad-input corpus is: how to build it, and what its refusal must name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Prepared:
    argv: list[str]
    """After ``--db DB``."""
    file: Path | None = None
    """The file a refusal must name (None: a name or a setting, named by *needle*)."""
    line: int | None = None
    """The line a refusal must name, when the file has lines that matter."""
    env: dict[str, str] = field(default_factory=dict)
    needle: str = ""
    """What a refusal must say when there is no file (the option or variable)."""


@dataclass(frozen=True)
class Sample:
    name: str
    build: Callable[[Path], Prepared]
