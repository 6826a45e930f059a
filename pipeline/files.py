"""Output files written whole or not at all, never left half-written behind, and never put where
they could destroy something: over an input of the same run, through a link to another's file,
over a device, or (for released files) over anything at all."""

from __future__ import annotations

import contextvars
import datetime as dt
import errno
import gc
import hashlib
import io
import os
import shutil
import signal
import stat
import sys
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import closing, contextmanager
from pathlib import Path
from typing import IO

from lxml import etree

from .errors import InputError

# Writes a part of a package, given the part as stored, to the open entry.
PartWriter = Callable[[bytes, IO[bytes]], None]

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


class UnsafeOutput(InputError):
    """An output that would destroy something if written: an input of the run, a file that is
    not the user's, a device; or, for a released file, whatever is already at its name."""


# The files the run reads (workbook, template, previous edition), as (device, inode): no output
# may replace them, under whatever name or link it reaches them.
_INPUTS: contextvars.ContextVar[frozenset[tuple[int, int]]] = contextvars.ContextVar("inputs", default=frozenset())


@contextmanager
def reading(*inputs: Path | str | None):
    """Within the block, every output is refused that is, or resolves to, one of `inputs` (None
    and paths that do not exist are passed over): a workbook named .docx given as its own
    output, a template or previous edition given as the briefing, a planted link to any of them."""
    found = set(_INPUTS.get())
    for path in inputs:
        try:
            status = os.stat(path) if path is not None else None
        except OSError:
            continue
        if status is not None:
            found.add((status.st_dev, status.st_ino))
    token = _INPUTS.set(frozenset(found))
    try:
        yield
    finally:
        _INPUTS.reset(token)


def _destination(path: Path) -> Path:
    """Where writing `path` puts the file: `path`, or the file a link there points to. Refused:
    an input of the run, anything but a regular file (a device is never replaced), and a link
    to a file another user owns or to nowhere (a file made there would land where the link's
    planter chose)."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return path
    target = path
    if stat.S_ISLNK(status.st_mode):
        target = path.resolve()
        try:
            status = os.stat(target)
        except FileNotFoundError:
            raise UnsafeOutput(
                f"{path} is a link to {target}, which does not exist; an output is never created through a link. "
                "Remove the link, or give another output name."
            ) from None
        if status.st_uid != os.geteuid():
            raise UnsafeOutput(
                f"{path} is a link to {target}, a file of another user; an output is never written through such a link. "
                "Remove the link, or give another output name."
            )
    if (status.st_dev, status.st_ino) in _INPUTS.get():
        via = f" (a link to {target})" if target != path else ""
        raise UnsafeOutput(
            f"{path}{via} is an input of this run; the workbook, the template and the previous edition are only ever "
            "read. Give the output another name."
        )
    if not stat.S_ISREG(status.st_mode):
        raise UnsafeOutput(f"{path} is {_special(status.st_mode)}, which an output never replaces. Give the output another name.")
    return target


def _special(mode: int) -> str:
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))
    return next((name for test, name in kinds if test(mode)), "not a regular file (a pipe or socket)")


@contextmanager
def replacing(path: Path):
    """A temporary file beside `path` to write into. When the block completes, the data is
    flushed to disk and the file replaces `path` in one step, keeping `path`'s permissions if
    it existed, or taking those the user's umask gives new files. When the block fails or is
    interrupted, the temporary is removed and `path` stays as it was: a reader never sees half
    a file. Temporaries that a killed run left in the folder are removed first. A `path` that
    is a symbolic link to a file of the user's stays one: the file it points to is replaced.
    What `_destination` refuses is refused before anything is written."""
    with together(path) as (temporary,):
        yield temporary


@contextmanager
def together(*paths: Path, new: bool = False, removing: tuple[Path, ...] = ()):
    """Temporaries for outputs that are one result (a briefing and its redline), one per path,
    to write into. When the block completes, `removing` (an output the result no longer has)
    is removed, then each temporary is put in place in the order given, so that a watcher of
    the last path (make) finds it older than its inputs until all is done; when the block
    fails, nothing is. With `new`, each file is created, never put over anything already at its
    name (a release: a planted link there is refused, naming it)."""
    places = [_destination(path) if not new else _absent(path) for path in paths]
    for removed in removing:
        _destination(removed)
    temporaries = []
    try:
        for place in places:
            place.parent.mkdir(parents=True, exist_ok=True)
            remove_stale_temporaries(place.parent)
            temporary = place.parent / f".{place.name}{_TEMPORARY}{os.getpid()}"
            _create(temporary)
            temporaries.append(temporary)
        yield tuple(temporaries)
        for removed in removing:
            Path(removed).unlink(missing_ok=True)
        for temporary, place in zip(temporaries, places):
            _sync(temporary)
            if new:
                _link_new(temporary, place)
            else:
                _keep_mode(place, temporary)
                os.replace(temporary, place)
            _sync_folder(place.parent)
    finally:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)


def _absent(path: Path) -> Path:
    if os.path.lexists(path):
        raise UnsafeOutput(_taken(path))
    if path.parent.is_symlink():  # a planted folder link would take the new file where its planter chose
        raise UnsafeOutput(
            f"{path.parent} is a link to {os.readlink(path.parent)}; a released file is created in a real folder, never "
            "through a link. Remove the link and release again."
        )
    return path


def _taken(path: Path) -> str:
    if path.is_symlink():
        return (
            f"{path} is already there, as a link to {os.readlink(path)}; a released file is always created new, never "
            f"written through a link. Remove the link (git rm {path.name}) and release again."
        )
    return f"{path} is already there; a released file is always created new, never written over another. Move it away and release again."


def _link_new(temporary: Path, place: Path) -> None:
    """Give `temporary` the name `place` only if nothing holds that name meanwhile: one step,
    in which no link is followed."""
    try:
        os.link(temporary, place, follow_symlinks=False)
    except FileExistsError:
        raise UnsafeOutput(_taken(place)) from None


def _keep_mode(place: Path, temporary: Path) -> None:
    try:
        mode = stat.S_IMODE(os.stat(place).st_mode)
    except FileNotFoundError:
        return
    os.chmod(temporary, mode)


def save(workbook, path: Path, dated: dt.datetime | None = None) -> None:
    """Save an openpyxl `workbook` at `path`, whole or not at all: into memory first, then put
    in place through `replacing`. A write that fails (a full disk, a limit on file size)
    raises an OSError saying why, and leaves nothing behind. With `dated`, the workbook says it
    was last modified then and every entry of its zip is dated so, where openpyxl would write
    the moment of saving: the same content gives the same bytes."""
    from openpyxl.writer.excel import ExcelWriter  # here: only a workbook written loads openpyxl

    buffer = io.BytesIO()
    try:
        if dated is None:
            workbook.save(buffer)
        else:
            workbook.properties.modified = dated.replace(tzinfo=None)
            # openpyxl's own save would date it now: its writer, given the archive, does the rest.
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
                ExcelWriter(workbook, archive).save()
        failed = None
    except (OSError, etree.SerialisationError) as exc:
        failed = _as_os_error(exc)
    if failed is not None:  # raised here, not in the except: the failure's frames must go first
        _collect_quietly()
        raise failed
    if dated is None:
        write_bytes(path, buffer.getvalue())
    else:
        with replacing(path) as temporary, open(temporary, "wb") as out:
            buffer.seek(0)
            write_dated(buffer, out, dated)


def write_dated(
    package: IO[bytes], out: IO[bytes], timestamp: dt.datetime, parts: Mapping[str, PartWriter] | None = None
) -> None:
    """Write the zip `package` to `out` again, as a `DatedZip`: its entries dated `timestamp`, each
    of `parts` by its writer."""
    with zipfile.ZipFile(package) as source, closing(DatedZip(out, timestamp, parts)) as target:
        for entry in source.infolist():
            target.write(entry.filename, source.read(entry.filename))


class DatedZip:
    """A zip written to `out` entry by entry, every entry dated `timestamp` and given the same
    attributes, so that the same content gives the same bytes whenever and wherever it is
    written. An entry named in `parts` is written by its writer, given the content."""

    def __init__(self, out: IO[bytes], timestamp: dt.datetime, parts: Mapping[str, PartWriter] | None = None):
        # A zip entry's date runs from 1980 to 2107; a file dated outside keeps its own date inside.
        self._date_time = (
            min(max(timestamp.year, 1980), 2107),
            timestamp.month,
            timestamp.day,
            timestamp.hour,
            timestamp.minute,
            timestamp.second,
        )
        self._parts = parts or {}
        self._zip = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)

    def write(self, name: str, content: bytes) -> None:
        fixed = zipfile.ZipInfo(name, date_time=self._date_time)
        fixed.compress_type = zipfile.ZIP_DEFLATED
        fixed.external_attr = 0o644 << 16
        writer = self._parts.get(name)
        if writer is None:
            self._zip.writestr(fixed, content)
        else:
            with self._zip.open(fixed, "w") as part:
                writer(content, part)

    def close(self) -> None:
        self._zip.close()


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
        if _gone(name.rpartition(_TEMPORARY)[2]):
            (folder / name).unlink(missing_ok=True)


@contextmanager
def scratch_folder(prefix: str) -> Iterator[Path]:
    """A new folder in the machine's temporary folder, removed with everything in it when the
    block ends, however it ends; named `PREFIX` PID `-…`, whose process it is. A run killed
    outright (SIGKILL) cannot remove its own, so first the user's folders of that `prefix`
    whose process is gone are removed."""
    base = Path(tempfile.gettempdir())
    try:
        names = [entry.name for entry in os.scandir(base) if entry.name.startswith(prefix)]
    except OSError:
        names = []
    for name in names:
        if _gone(name[len(prefix) :].partition("-")[0]) and _owned_folder(base / name):
            shutil.rmtree(base / name, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix=f"{prefix}{os.getpid()}-") as folder:
        yield Path(folder)


def _owned_folder(path: Path) -> bool:
    """Whether `path` is a folder (not a link to one) of this user's."""
    try:
        status = path.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(status.st_mode) and status.st_uid == os.getuid()


def _gone(pid: str) -> bool:
    """Whether `pid`, as a file's name gives it, is another process's, and one that has ended."""
    return pid.isdigit() and int(pid) not in (0, os.getpid()) and not _alive(int(pid))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _record_of(path: Path) -> Path:
    """Where the digest of what a build last wrote at `path` is kept: `.NAME.built` beside it."""
    return path.with_name(f".{path.name}.built")


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def record_written(path: Path) -> None:
    """Note what was just written at `path`, so that the next write can tell whether someone
    changed it since (`kept_aside`)."""
    write_bytes(_record_of(path), f"{_digest(path)}\n".encode("ascii"))


def kept_aside(path: Path, changed_unrecorded: Callable[[Path], bool], folder: str = "review") -> Path | None:
    """When the file at `path` is no longer what was last written there (an editor's comments,
    tracked changes, edits), move it into `folder` beside it, under its name and the date and
    time, and return where; None when it is as written, or absent. A file with no record of
    what was written is kept aside where `changed_unrecorded` says it holds someone's work."""
    if not path.is_file() or path.is_symlink():
        return None
    _destination(path)  # an input of the run, say, is refused as an output, never moved
    record = _record_of(path)
    try:
        unchanged = record.read_text(encoding="ascii").strip() == _digest(path)
    except FileNotFoundError:
        unchanged = not changed_unrecorded(path)
    except (OSError, UnicodeDecodeError):
        unchanged = False
    if unchanged:
        return None
    place = path.parent / folder
    place.mkdir(exist_ok=True)
    moment = dt.datetime.now().strftime("%Y-%m-%d %H.%M.%S")
    target, number = place / f"{path.stem} {moment}{path.suffix}", 1
    while os.path.lexists(target):
        number += 1
        target = place / f"{path.stem} {moment} ({number}){path.suffix}"
    os.link(path, target)  # never over anything: a name taken meanwhile fails
    path.unlink()
    record.unlink(missing_ok=True)
    return target
