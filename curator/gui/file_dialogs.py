"""Every file dialog of the app, built so that listing a folder never opens a file in it.

Why this matters: the live database is a SQLite file, and SQLite's locks are
POSIX advisory locks, which belong to the process and the file: closing *any*
descriptor of that file, opened by anyone in the process, drops them all.
Qt's stock dialogs open each listed file to guess its type from its first
bytes (the MIME database reads the header to choose an icon and the "Type"
column). Listing the folder that holds the open database therefore cost the
app its locks, silently: another program could then checkpoint and delete
the ``-wal`` file the app still wrote into, and edits after that were lost.

So the dialogs here are Qt's own (never the platform's, whose code we do not
control) with an icon provider that decides from the name alone, symlinks
left unresolved. Every caller in the GUI goes through this module; a test
traces the system calls of each dialog and fails on any open of the
database file.
"""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import QFileInfo
from PySide6.QtGui import QAbstractFileIconProvider, QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QStyle, QWidget

_OPTIONS = (
    QFileDialog.Option.DontUseNativeDialog
    | QFileDialog.Option.DontResolveSymlinks
    | QFileDialog.Option.DontUseCustomDirectoryIcons
)


class NameOnlyIconProvider(QAbstractFileIconProvider):
    """Icons and type names from the file's name and kind, never from its contents.

    Qt may call this from its file-information thread as well as the GUI
    thread, so the icons are made once, up front, and only handed out.
    """

    def __init__(self) -> None:
        super().__init__()
        style = QApplication.style()
        self._file = style.standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        self._folder = style.standardIcon(QStyle.StandardPixmap.SP_DirIcon)
        self._drive = style.standardIcon(QStyle.StandardPixmap.SP_DriveHDIcon)
        self.setOptions(QAbstractFileIconProvider.Option.DontUseCustomDirectoryIcons)

    def icon(self, what: object) -> QIcon:
        if isinstance(what, QFileInfo):
            if what.isRoot():
                return self._drive
            return self._folder if what.isDir() else self._file
        if what == QAbstractFileIconProvider.IconType.Folder:
            return self._folder
        if what == QAbstractFileIconProvider.IconType.Drive:
            return self._drive
        return self._file

    def type(self, info: QFileInfo) -> str:
        if info.isRoot():
            return "Drive"
        if info.isDir():
            return "Folder"
        suffix = info.suffix()
        return f"{suffix.upper()} file" if suffix else "File"


class FileDialog(QFileDialog):
    """Qt's own file dialog that reads names and kinds only (see the module's docstring)."""

    def __init__(
        self,
        parent: QWidget | None,
        caption: str,
        start: str,
        filters: str,
        *,
        mode: QFileDialog.FileMode,
        accept: QFileDialog.AcceptMode,
    ) -> None:
        # No folder to the constructor: given a file, Qt selects it there and
        # then, through the stock icon provider, which reads the file.
        super().__init__(parent, caption, "", filters)
        self.setOptions(_OPTIONS)
        # Qt does not own the provider: the dialog keeps it as long as it lives.
        self.icons = NameOnlyIconProvider()
        self.setIconProvider(self.icons)
        self.setFileMode(mode)
        self.setAcceptMode(accept)
        self._start_at(start)

    def _start_at(self, start: str) -> None:
        """A folder opens there; a file opens its folder with its name selected (as Qt does)."""
        if not start:
            return
        path = Path(start).expanduser()
        if path.is_dir():
            self.setDirectory(str(path))
        elif path.parent.is_dir():
            self.setDirectory(str(path.parent))
            self.selectFile(path.name)
        else:
            self.selectFile(start)


def open_file_names(
    parent: QWidget | None, caption: str, filters: str, directory: str = ""
) -> list[str]:
    """Existing files chosen by the user; [] when cancelled."""
    dialog = FileDialog(
        parent,
        caption,
        directory,
        filters,
        mode=QFileDialog.FileMode.ExistingFiles,
        accept=QFileDialog.AcceptMode.AcceptOpen,
    )
    chosen = dialog.selectedFiles() if dialog.exec() == QFileDialog.DialogCode.Accepted else []
    shiboken6.delete(dialog)  # at once, as Qt's helpers do; a later delete can steal focus
    return chosen


def save_file_name(
    parent: QWidget | None,
    caption: str,
    directory: str = "",
    filters: str = "",
    *,
    confirm_overwrite: bool = True,
) -> str:
    """A path to write (or, with *confirm_overwrite* off, to open or create); "" when cancelled."""
    dialog = FileDialog(
        parent,
        caption,
        directory,
        filters,
        mode=QFileDialog.FileMode.AnyFile,
        accept=QFileDialog.AcceptMode.AcceptSave,
    )
    dialog.setOption(QFileDialog.Option.DontConfirmOverwrite, not confirm_overwrite)
    accepted = dialog.exec() == QFileDialog.DialogCode.Accepted
    chosen = dialog.selectedFiles() if accepted else []
    shiboken6.delete(dialog)  # at once, as Qt's helpers do; a later delete can steal focus
    return chosen[0] if chosen else ""
