"""The Qt adapter over :mod:`curator.core`: the only package that imports PySide6."""
