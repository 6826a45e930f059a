"""Output files written whole or not at all."""

from __future__ import annotations

import errno
import gc
import io
import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from lxml import etree


@contextmanager
def replacing(path: Path):
    """A temporary file beside `path` to write into. When the block completes, it replaces
    `path` in one step, readable as any file the user makes; when the block fails, it is
    removed and `path` stays as it was. A reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
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
    with replacing(path) as temporary:
        temporary.write_bytes(buffer.getvalue())


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
