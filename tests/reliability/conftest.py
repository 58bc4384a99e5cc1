"""The GUI fixtures (isolated QSettings, real windows) serve the reliability suite too."""

from tests.gui.conftest import _isolated_settings, make_window, samples_db, window

__all__ = ["_isolated_settings", "make_window", "samples_db", "window"]
