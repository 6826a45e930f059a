"""Output files written whole or not at all, and never left half-written behind."""

from __future__ import annotations

import errno
import gc
import io
import os
import signal
import stat
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

from lxml import etree

# A temporary is named `.NAME.briefing-tmp-PID`: recognisably ours, and whose process it was.
_TEMPORARY = ".briefing-tmp-"


class Stopped(BaseException):
    """The process was asked to stop (SIGTERM). Raised where the program was, as Ctrl-C's
    KeyboardInterrupt is, so that every `replacing` block removes its temporary on the way out.
    Not an Exception: no handler meant for errors may swallow it."""


@contextmanager
def stopping_on_sigterm():
    """Within the block, SIGTERM raises `Stopped` instead of ending the process at once. Only
    the main thread receives signals; elsewhere the block changes nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise Stopped()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def replacing(path: Path):
    """A temporary file beside `path` to write into. When the block completes, the data is
    flushed to disk and the file replaces `path` in one step, keeping `path`'s permissions if
    it existed, or taking those the user's umask gives new files. When the block fails or is
    interrupted, the temporary is removed and `path` stays as it was: a reader never sees half
    a file. Temporaries that a killed run left in the folder are removed first. A `path` that
    is a symbolic link stays one: the file it points to is replaced."""
    if path.is_symlink():
        path = path.resolve()
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(folder)
    temporary = folder / f".{path.name}{_TEMPORARY}{os.getpid()}"
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = None
    _create(temporary)
    try:
        yield temporary
        _sync(temporary)
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
        _sync_folder(folder)
    finally:
        temporary.unlink(missing_ok=True)


def save(workbook, path: Path) -> None:
    """Save an openpyxl `workbook` at `path`, whole or not at all: into memory first, then put
    in place through `replacing`. A write that fails (a full disk, a limit on file size)
    raises an OSError saying why, and leaves nothing behind."""
    buffer = io.BytesIO()
    try:
        workbook.save(buffer)
        failed = None
    except (OSError, etree.SerialisationError) as exc:
        failed = _as_os_error(exc)
    if failed is not None:  # raised here, not in the except: the failure's frames must go first
        _collect_quietly()
        raise failed
    write_bytes(path, buffer.getvalue())


def write_bytes(path: Path, data: bytes) -> None:
    """Put `data` at `path`, whole or not at all."""
    with replacing(path) as temporary:
        temporary.write_bytes(data)


def _as_os_error(exc: Exception) -> OSError:
    """openpyxl writes each sheet to a temporary file first, through lxml, which reports a
    failed write as `IO_ENOSPC` and the like: said here in words, and where."""
    if isinstance(exc, OSError):
        return OSError(exc.errno, exc.strerror or str(exc))
    code = getattr(errno, str(exc).removeprefix("IO_"), errno.EIO)
    return OSError(code, f"{os.strerror(code)}, in the temporary folder {tempfile.gettempdir()}")


def _collect_quietly() -> None:
    """A failed write leaves openpyxl's stream of the sheet open; collected later, it fails
    again and prints a traceback the user can do nothing about. Collect it now, silently."""
    hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        gc.collect()
    finally:
        sys.unraisablehook = hook


def _create(temporary: Path) -> None:
    """Create `temporary` afresh, as the umask allows: never through a link, never into a file
    that was there (one this process id left in an earlier life, say)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(temporary, flags, 0o666)
    except FileExistsError:
        temporary.unlink()
        descriptor = os.open(temporary, flags, 0o666)
    os.close(descriptor)


def _sync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable. Some file systems cannot sync a folder; the file is in
    place either way, so that is no reason to report a failure."""
    try:
        _sync(folder)
    except OSError:
        pass


def remove_stale_temporaries(folder: Path) -> None:
    """Remove the temporaries in `folder` whose process is gone: a run killed mid-save
    (SIGKILL, a power cut) had no chance to remove its own."""
    try:
        names = [entry.name for entry in os.scandir(folder) if entry.name.startswith(".") and _TEMPORARY in entry.name]
    except OSError:
        return
    for name in names:
        pid = name.rpartition(_TEMPORARY)[2]
        if pid.isdigit() and int(pid) not in (0, os.getpid()) and not _alive(int(pid)):
            (folder / name).unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
