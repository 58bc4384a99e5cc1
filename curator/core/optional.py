"""Libraries only some exports and options need, installed on first use rather than always.

``make run`` installs the app and its database drivers only (a few hundred MB
less than with spaCy and friends). A command that needs an optional library
raises :class:`MissingPackageError`, whose message gives the exact command that
installs it into the Python running the app; the command line offers to run
it (see :mod:`curator.cli_install`). The requirements match pyproject.toml's
extras (a test checks).
"""

from __future__ import annotations

import importlib.util
import shlex
import sys
from dataclasses import dataclass

from curator.core.errors import CuratorError


@dataclass(frozen=True)
class OptionalPackage:
    module: str
    requirement: str
    extra: str
    size: str
    """Roughly what installing it adds, so the user knows before saying yes."""


SPACY = OptionalPackage("spacy", "spacy>=3.7,<4", "formats", "about 150 MB")
DRUG_LIBRARY = OptionalPackage(
    "drug_named_entity_recognition", "drug-named-entity-recognition>=2.0,<3", "drugs", "about 5 MB"
)
PDF = OptionalPackage("pdfminer", "pdfminer.six>=20231228", "articles", "about 25 MB")
WEB_PAGES = OptionalPackage("trafilatura", "trafilatura>=1.12,<3", "articles", "about 65 MB")


def install_command(package: OptionalPackage) -> list[str]:
    """The pip command that installs *package* next to the running app."""
    return [sys.executable, "-m", "pip", "install", package.requirement]


def how_to_install(package: OptionalPackage) -> str:
    """The end of the message: the exact command, or where to get it in the desktop build."""
    if getattr(sys, "frozen", False):  # the desktop build carries no pip
        return (
            "this desktop build does not include it; use the source install "
            f"with the '{package.extra}' extra for it"
        )
    return f"install it with: {shlex.join(install_command(package))}"


class MissingPackageError(CuratorError):
    """An optional library a command needs is not installed."""

    def __init__(self, package: OptionalPackage, purpose: str) -> None:
        self.package = package
        super().__init__(
            f"{purpose} needs the {package.module} package, not installed here; "
            + how_to_install(package)
        )


def installed(package: OptionalPackage) -> bool:
    return importlib.util.find_spec(package.module) is not None


def require(package: OptionalPackage, purpose: str) -> None:
    """Raise :class:`MissingPackageError` unless *package* can be imported."""
    if not installed(package):
        raise MissingPackageError(package, purpose)
