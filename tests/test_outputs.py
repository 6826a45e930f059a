"""Outputs as the user's machine should have them: permissions the user chose, data on disk
before the file is in place, nothing half-written left behind however the run ends, a clear
word when the disk is full."""

from __future__ import annotations

import errno
import io
import os
import resource
import signal
import stat
import subprocess
import sys
import types
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from pipeline import files

from .conftest import ROOT, as_at_a_terminal, run_in_process

# The command line, paused just before its output replaces the last one: the moment a
# signal or a crash would leave a temporary behind.
_PAUSED_BEFORE_REPLACING = """
import os, sys, time
from pipeline import cli
replace = os.replace
def paused(source, target):
    print("saving", flush=True)
    time.sleep(60)
    replace(source, target)
os.replace = paused
sys.exit(cli.main(sys.argv[1:]))
"""


@pytest.fixture
def build(sample_xlsx):
    """The sample's briefing built to `out` by the command line, in a subprocess as make runs it:
    for what the process meets (a limit on file size, a full disk and what it says on its way out)."""

    def run(out: Path, *more, **options):
        return subprocess.run(
            [sys.executable, "-m", "pipeline", "build", str(sample_xlsx), "-o", str(out), *map(str, more)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
            **options,
        )

    return run


@pytest.fixture
def build_here(sample_xlsx):
    """The sample's briefing built to `out` by the command line in the test's own process: for
    what it writes, whose permissions the umask in force gives."""

    def run(out: Path):
        return run_in_process("build", sample_xlsx, "-o", out)

    return run


@contextmanager
def umask(mask: int):
    """The process's umask `mask` within, as a user's shell sets it."""
    before = os.umask(mask)
    try:
        yield
    finally:
        os.umask(before)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def leftovers(folder: Path) -> list[str]:
    """The hidden files in `folder` but the record of what a build wrote (`.NAME.built`), which it keeps."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and not p.name.endswith(".built"))


# --- permissions --------------------------------------------------------------------------------


def test_new_files_take_the_users_umask(tmp_path, build_here):
    out = tmp_path / "briefing.docx"
    with umask(0o077):
        result = build_here(out)
    assert result.returncode == 0, result.stderr
    assert mode(out) == 0o600


def test_new_files_are_readable_by_others_under_the_usual_umask(tmp_path, build_here):
    out = tmp_path / "briefing.docx"
    with umask(0o022):
        assert build_here(out).returncode == 0
    assert mode(out) == 0o644


def test_a_replaced_file_keeps_its_mode(tmp_path, build_here):
    out = tmp_path / "briefing.docx"
    out.write_bytes(b"last report")
    out.chmod(0o600)
    with umask(0o022):
        assert build_here(out).returncode == 0
    assert mode(out) == 0o600 and zipfile.is_zipfile(out)


def test_an_output_that_is_a_link_stays_one(tmp_path, build_here):
    shared = tmp_path / "shared" / "briefing.docx"
    shared.parent.mkdir()
    shared.write_bytes(b"last report")
    link = tmp_path / "briefing.docx"
    link.symlink_to(shared)
    assert build_here(link).returncode == 0
    assert link.is_symlink() and zipfile.is_zipfile(shared)


def test_the_data_is_on_disk_before_the_file_replaces_the_last(tmp_path, monkeypatch):
    """fsync the file, rename it into place, fsync the folder: in that order."""
    events = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(descriptor):
        events.append(("fsync", os.fstat(descriptor).st_ino))
        real_fsync(descriptor)

    def replace(source, target):
        events.append(("replace", os.stat(source).st_ino))
        real_replace(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    out = tmp_path / "briefing.docx"
    with files.replacing(out) as partial:
        partial.write_bytes(b"whole")
    written = out.stat().st_ino
    assert events == [("fsync", written), ("replace", written), ("fsync", tmp_path.stat().st_ino)]
    assert out.read_bytes() == b"whole"


# --- runs that end early ------------------------------------------------------------------------


@pytest.fixture
def paused_build(sample_xlsx):
    """The sample's briefing being built to `out` by the command line, paused just before the
    finished file would replace `out`: the running process."""

    def start(out: Path) -> subprocess.Popen:
        child = subprocess.Popen(
            [sys.executable, "-c", _PAUSED_BEFORE_REPLACING, "build", str(sample_xlsx), "-o", str(out)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=as_at_a_terminal,
        )
        assert child.stdout.readline() == "saving\n", child.stderr.read()
        return child

    return start


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)], ids=["SIGTERM", "SIGINT"])
def test_a_run_stopped_mid_save_removes_its_temporary_and_keeps_the_last_report(tmp_path, signum, code, paused_build):
    out = tmp_path / "briefing.docx"
    out.write_bytes(b"last good report")
    child = paused_build(out)
    assert leftovers(tmp_path)  # the temporary, complete, about to replace the report
    child.send_signal(signum)
    assert child.wait(timeout=30) == code
    assert "nothing was written" in child.stderr.read()
    assert leftovers(tmp_path) == [] and out.read_bytes() == b"last good report"


def test_a_run_killed_mid_save_leaves_a_temporary_the_next_build_removes(tmp_path, build_here, paused_build):
    out = tmp_path / "briefing.docx"
    out.write_bytes(b"last good report")
    child = paused_build(out)
    child.kill()
    child.wait(timeout=30)
    stale = leftovers(tmp_path)
    assert stale and all(".briefing.docx" in name and name.endswith(f".briefing-tmp-{child.pid}") for name in stale)
    assert out.read_bytes() == b"last good report"
    assert build_here(out).returncode == 0
    assert leftovers(tmp_path) == [] and zipfile.is_zipfile(out)


def test_a_temporary_whose_process_still_runs_is_left_alone(tmp_path, build_here):
    alive = tmp_path / f".other.docx.briefing-tmp-{os.getppid()}"  # this process's parent, running
    alive.write_bytes(b"being written")
    users = tmp_path / ".notes.tmp"
    users.write_bytes(b"not ours")
    assert build_here(tmp_path / "briefing.docx").returncode == 0
    assert alive.exists() and users.exists()


# --- the machine says no ------------------------------------------------------------------------


def test_a_full_disk_exits_2_saying_so_and_keeps_the_last_report(tmp_path, build):
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system to fill needs root")
    disk = tmp_path / "disk"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(disk)], check=True)
    try:
        out = disk / "briefing.docx"
        out.write_bytes(b"last good report")
        result = build(out)
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith(f"error: could not write {out}: No space left on device. The disk is full")
        assert result.stderr.count("\n") == 1 and "Exception ignored" not in result.stderr
        assert out.read_bytes() == b"last good report" and leftovers(disk) == []
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def test_a_file_size_limit_exits_2_saying_so(tmp_path, build):
    out = tmp_path / "briefing.docx"
    result = build(out, preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000)))
    assert result.returncode == 2, result.stderr
    assert f"could not write {out}" in result.stderr and "ulimit -f" in result.stderr
    assert result.stderr.count("\n") == 1 and "Exception ignored" not in result.stderr
    assert not out.exists() and leftovers(tmp_path) == []


def test_a_long_briefing_whose_written_out_blocks_cannot_be_stored_fails_saying_why(tmp_path, monkeypatch):
    """A long briefing's blocks are written out to a temporary file as they are made
    (`ooxml.Spill`): a write that fails there (the temporary folder's disk full) ends the build
    said as a file that could not be written (exit 2), with nothing written."""
    import pipeline
    from pipeline.word import contents, ooxml

    from .conftest import long_book, write_workbook

    class FullDisk(io.BytesIO):
        def write(self, data) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(contents, "LAY_OUT_UP_TO_PAGES", 3)
    workbook = write_workbook(tmp_path / "book.xlsx", long_book())
    monkeypatch.setattr(ooxml, "tempfile", types.SimpleNamespace(TemporaryFile=FullDisk))
    out = tmp_path / "book.docx"
    with pytest.raises(pipeline.CannotWrite, match=f"could not write {out}: No space left on device. The disk is full"):
        pipeline.build(workbook, out)
    assert not out.exists() and leftovers(tmp_path) == []
