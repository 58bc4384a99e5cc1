"""The Qt-free heart of Heme Curator: storage, text, annotation and interchange.

Nothing under this package may import Qt; the import-linter contract in
pyproject.toml fails the build if it does, so the CLI, scripts and tests can
use every feature without a display.
"""
