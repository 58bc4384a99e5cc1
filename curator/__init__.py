"""Heme Curator: desktop curation of hematology literature."""

__version__ = "0.1.0"
