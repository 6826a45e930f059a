"""A large workbook's largest sheets are read by a forked child while the process reads the
others (`load._read_sheets`, `forked`). What comes of it must be what one process reading
every sheet makes: the same workbook, the same problems, the same failure, and no process
left behind however the run ends.

Each run with a child is a process of its own, as a fork needs one without threads (the test
process may have some: pytest-xdist's worker does), with the size from which a child reads
lowered to nothing; the run it is compared with reads every sheet itself, the size raised past
any sheet's, and so forks nothing: it runs in the test's own process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from pipeline.forked import can_fork, cores

from .conftest import ROOT, as_at_a_terminal, long_book, repacked, run_in_process, write_workbook

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or cores() < 2, reason="a child is forked only where os.fork exists, with a second core"
)

# The command line in a process of its own, reading with a child, which must read the
# Statements sheet, and only it; `setup` is done on the modules first.
_READING = """
import sys
from pipeline import cli
from pipeline.workbook import layout, load
load.FORK_FROM_BYTES = 0
share = load._child_share
def statements_beside(package, reads):
    theirs = share(package, reads)
    assert [read.contract.name for read in theirs] == ["Statements"], theirs
    return theirs
load._child_share = statements_beside
{setup}
sys.exit(cli.main(sys.argv[1:]))
"""


def _beside(*args, setup: str = "") -> tuple[int, str, str]:
    """The command line reading with a child, in a process of its own (`_READING`)."""
    script = _READING.format(setup=setup)
    done = subprocess.run([sys.executable, "-c", script, *map(str, args)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    return done.returncode, done.stdout, done.stderr


class _Patched:
    """`module` as `setup` sees it: each attribute it sets is set through `monkeypatch`, and so
    put back after the test."""

    def __init__(self, module, monkeypatch: pytest.MonkeyPatch):
        object.__setattr__(self, "_module", module)
        object.__setattr__(self, "_monkeypatch", monkeypatch)

    def __getattr__(self, name: str):
        return getattr(self._module, name)

    def __setattr__(self, name: str, value) -> None:
        self._monkeypatch.setattr(self._module, name, value)


def _alone(monkeypatch: pytest.MonkeyPatch, *args, setup: str = "") -> tuple[int, str, str]:
    """The command line reading every sheet itself, no child forked, in this process, with
    `setup` done as in `_READING`."""
    from pipeline.workbook import layout, load

    monkeypatch.setattr(load, "FORK_FROM_BYTES", float("inf"))
    share = load._child_share

    def none_beside(package, reads):
        theirs = share(package, reads)
        assert theirs == [], theirs
        return theirs

    monkeypatch.setattr(load, "_child_share", none_beside)
    exec(setup, {"load": _Patched(load, monkeypatch), "layout": _Patched(layout, monkeypatch)})
    done = run_in_process(*args)
    return done.returncode, done.stdout, done.stderr


def _both_ways(monkeypatch: pytest.MonkeyPatch, *args, setup: str = "") -> tuple[int, str, str]:
    """The run's exit code and output, read with a child, after checking that reading alone
    gives the same."""
    beside = _beside(*args, setup=setup)
    with monkeypatch.context() as patch:
        assert beside == _alone(patch, *args, setup=setup)
    return beside


@pytest.fixture(scope="module")
def long_workbook(tmp_path_factory) -> Path:
    """A workbook whose Statements sheet is its largest, with problems to report in every sheet
    and rows withdrawn."""
    book = long_book()
    book["Statements"][3]["source_id"] = "S99"
    book["Statements"][7]["text"] = "  untidy  "
    book["Figures"][0]["value"] = "about 4"
    book["Events"][2]["date"] = "sometime"
    book["Statements"][9]["statement_id"] = book["Statements"][8]["statement_id"]
    for statement in book["Statements"][20:40:5]:  # set aside in the sheet read, its records apart
        statement["withdrawn"] = "Y"
    return write_workbook(tmp_path_factory.mktemp("beside") / "long.xlsx", book)


def test_a_workbook_read_with_a_child_is_the_workbook_read_alone(long_workbook):
    script = """
import sys
from pipeline.checks.validate import validate
from pipeline.workbook import load
path = sys.argv[1]
alone = load.load(path)
load.FORK_FROM_BYTES = 0
share = load._child_share
taken = []
load._child_share = lambda package, reads: taken.extend(share(package, reads)) or taken
beside = load.load(path)
assert [read.contract.name for read in taken] == ["Statements"], taken
assert beside == alone
assert list(beside.sheets) == list(alone.sheets)
assert validate(beside) == validate(alone) != []
assert beside.sheets["Statements"].withdrawn is not None
print("same")
"""
    done = subprocess.run(
        [sys.executable, "-c", script, str(long_workbook)], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "same\n", "")


def test_validation_says_the_same_with_a_child(long_workbook, monkeypatch):
    code, out, _ = _both_ways(monkeypatch, "validate", long_workbook)
    assert code == 1 and "S99" in out and "about 4" in out


def _damaged(source: Path, target: Path, *sheets: str) -> Path:
    """`source` with the XML of each named sheet cut short halfway through."""
    with zipfile.ZipFile(source) as package:
        parts = {name: package.read(name) for name in _sheet_parts(package, sheets)}
    return repacked(source, target, {name: xml[: len(xml) // 2] for name, xml in parts.items()})


def _sheet_parts(package: zipfile.ZipFile, sheets: tuple[str, ...]) -> list[str]:
    from pipeline.workbook.reader import opened_workbook

    with opened_workbook(Path(package.filename or "")) as opened:
        return [part.path for part in opened.worksheets if part.title in sheets]


@pytest.mark.parametrize(
    "sheets", [("Statements",), ("Statements", "Events"), ("Figures", "Statements")], ids=["child", "child first", "parent first"]
)
def test_a_sheet_that_cannot_be_read_stops_the_run_as_it_would_alone(long_workbook, tmp_path, sheets, monkeypatch):
    damaged = _damaged(long_workbook, tmp_path / "damaged.xlsx", *sheets)
    code, out, err = _both_ways(monkeypatch, "validate", damaged)
    assert code == 2 and out == "" and "could not be read as an Excel workbook" in err


def test_a_damaged_zip_entry_read_by_the_child_stops_the_run_as_it_would_alone(long_workbook, tmp_path, monkeypatch):
    damaged = tmp_path / "damaged.xlsx"
    data = bytearray(long_workbook.read_bytes())
    with zipfile.ZipFile(long_workbook) as package:
        entry = package.getinfo(_sheet_parts(package, ("Statements",))[0])
    middle = entry.header_offset + 30 + len(entry.filename) + entry.compress_size // 2
    data[middle : middle + 8] = bytes(8)
    damaged.write_bytes(bytes(data))
    code, _, err = _both_ways(monkeypatch, "validate", damaged)
    assert code == 2 and "could not be read as an Excel workbook" in err


@pytest.mark.parametrize(
    "setup, said",
    [
        ("layout.MAX_ROWS = 100", "Sheet 'Statements' has more than"),
        (
            "typed = load._typed_sheet\n"
            "def failing(raw):\n"
            "    if raw.contract.name in ('Statements', 'Events'):\n"
            "        raise ValueError(f'no typing {raw.contract.name}')\n"
            "    return typed(raw)\n"
            "load._typed_sheet = failing",
            "internal error: ValueError: no typing Statements",
        ),
        (
            "typed = load._typed_sheet\n"
            "def failing(raw):\n"
            "    if raw.contract.name == 'Statements':\n"
            "        raise MemoryError\n"
            "    return typed(raw)\n"
            "load._typed_sheet = failing",
            "internal error: MemoryError: \n",
        ),
    ],
    ids=["too many rows", "a fault", "out of memory"],
)
def test_a_failure_in_the_child_ends_the_run_as_it_would_alone(long_workbook, setup, said, monkeypatch):
    code, out, err = _both_ways(monkeypatch, "validate", long_workbook, setup=setup)
    assert code in (2, 3) and out == "" and said in err


def test_a_child_that_dies_without_its_result_is_reported(long_workbook):
    setup = (
        "import os, signal\n"
        "typed = load._typed_sheet\n"
        "def dying(raw):\n"
        "    if raw.contract.name == 'Statements':\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return typed(raw)\n"
        "load._typed_sheet = dying"
    )
    code, out, err = _beside("validate", long_workbook, setup=setup)
    assert (code, out) == (3, "")
    assert "ChildDied: the process forked to work beside this one ended without its result (killed by SIGKILL)" in err


# The child tells its process id, then waits to be ended.
_CHILD_WAITING = (
    "import os, time\n"
    "typed = load._typed_sheet\n"
    "def waiting(raw):\n"
    "    if raw.contract.name == 'Statements':\n"
    "        print(os.getpid(), flush=True)\n"
    "        time.sleep(120)\n"
    "    return typed(raw)\n"
    "load._typed_sheet = waiting"
)


def _gone(pid: int, seconds: float = 10) -> bool:
    """Whether process `pid` ends (and is reaped, or left to init, which reaps it) within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state == "Z":
            return True  # dead, its parent killed before it: init reaps it
        time.sleep(0.05)
    return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="looks for the child in Linux's /proc")
@pytest.mark.parametrize(
    "signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGKILL, -9)], ids=["Ctrl-C", "SIGTERM", "SIGKILL"]
)
def test_the_child_ends_with_its_parent(long_workbook, signum, code):
    run = subprocess.Popen(
        [sys.executable, "-c", _READING.format(setup=_CHILD_WAITING), "validate", str(long_workbook)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        preexec_fn=as_at_a_terminal,
        start_new_session=True,
    )
    try:
        child = int(run.stdout.readline())
        # Ctrl-C reaches every process of the terminal's group; kill, the one named.
        if signum == signal.SIGINT:
            os.killpg(run.pid, signum)
        else:
            run.send_signal(signum)
        assert run.wait(timeout=30) == code
        assert _gone(child)
        if signum != signal.SIGKILL:  # the parent itself waited for it: not even a zombie is left
            assert not Path(f"/proc/{child}").exists()
    finally:
        run.kill()
        run.wait()


def test_a_process_running_another_thread_forks_no_child():
    """A fork would keep the other thread's locks held in the child for good: the process reads alone."""
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not can_fork()
    finally:
        stop.set()
        other.join()


def test_a_sheet_read_before_the_childs_that_cannot_be_read_stops_the_run_without_waiting_for_the_child(
    long_workbook, tmp_path, monkeypatch
):
    """Sources comes before Statements in the contract's order: reading every sheet in turn
    would meet its damage first, whatever the child finds, so the run says so at once and ends
    the child rather than wait for it (here, a child that would take a minute)."""
    damaged = _damaged(long_workbook, tmp_path / "damaged.xlsx", "Sources")
    slow_child = "import time\nread_apart = load._read_apart\nload._read_apart = lambda *a: time.sleep(60) or read_apart(*a)"
    started = time.monotonic()
    code, out, err = _beside("validate", damaged, setup=slow_child)
    assert time.monotonic() - started < 30
    assert (code, out, err) == _alone(monkeypatch, "validate", damaged)
    assert code == 2 and "could not be read as an Excel workbook" in err
