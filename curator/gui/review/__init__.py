"""The review window: compare curators, classify differences, build the curated layer."""

from curator.gui.review.window import ReviewWindow

__all__ = ["ReviewWindow"]
