"""On a large workbook, a forked child does part of the work while the process does the rest
(`forked.beside`): it checks the statements' wording while the process checks the rest
(`validate._check_meaning`), it makes the edition's snapshot while the process renders
(`library._written`), and it makes the footnotes of a briefing written out as it is made
(`ooxml.Footnotes.write_out`). What comes of it must be what one process doing everything makes: the
same problems in the same order, the same document and snapshot, the same failure, and a child
that dies told as such.

Each run here is a process of its own, as a fork needs one without threads (the test process
may have some: pytest-xdist's worker does), with the number of statements from which a child
works lowered to nothing, or raised past any workbook's, to compare the two ways. (Reading
beside has tests of its own: test_reading_beside.)"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.forked import cores

from .conftest import ROOT, VALID, check_docx, long_book, long_book_revised, write_workbook

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or cores() < 2, reason="a child is forked only where os.fork exists, with a second core"
)

# The command line in a process of its own, checking and making the snapshot with a child
# (argument `beside`) or alone (`alone`); with `beside`, a child must be forked for each that
# the command does. Reading never forks here. What follows the mode on the command line is the
# command's.
_WORKING = """
import sys
from pipeline import cli, forked
from pipeline.checks import validate
from pipeline.workbook import load
beside = sys.argv[1] == "beside"
load.FORK_FROM_BYTES = float("inf")
forked.BESIDE_FROM_STATEMENTS = 0 if beside else float("inf")
forks = []
child = forked.Child
def counted(work):
    forks.append(work.func.__name__)
    return child(work)
forked.Child = counted
{setup}
code = cli.main(sys.argv[2:])
# Each work forked once, but notes: once for the briefing's, once for its redline's.
assert bool(forks) == beside and all(forks.count(f) == 1 or f == "_notes_written" for f in forks), forks
sys.exit(code)
"""


def _run(mode: str, *args, setup: str = "") -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-c", _WORKING.format(setup=setup), mode, *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    return done.returncode, done.stdout, done.stderr


def _both_ways(*args, setup: str = "") -> tuple[int, str, str]:
    """The run's exit code and output, worked with a child, after checking that working alone
    gives the same."""
    beside = _run("beside", *args, setup=setup)
    assert beside == _run("alone", *args, setup=setup)
    return beside


@pytest.fixture(scope="module")
def worded(tmp_path_factory) -> Path:
    """A long workbook with problems both ways: in the statements' wording (a fact hedged, an
    assessment's words against its likelihood) and in what the process checks itself (a
    figure in the wrong unit of its chart, a date after the briefing's)."""
    book = long_book()
    book["Statements"][5].update(text="Trade will likely grow further this year, traders say.", kind="fact")
    book["Statements"][6].update(
        text="Iran will almost certainly send the drones.", kind="assessment", likelihood="unlikely", confidence="low"
    )
    book["Events"][2]["date"] = "2030-01"
    return write_workbook(tmp_path_factory.mktemp("checking") / "worded.xlsx", book)


def test_validation_says_the_same_with_a_child_checking_the_wording(worded):
    code, out, _ = _both_ways("validate", worded, "--format", "json")
    assert code in (0, 1) and "hedged-fact" in out and "likelihood-mismatch" in out and "2030" in out


def test_a_build_with_a_child_checking_the_wording_is_the_same_document(tmp_path):
    book = copy.deepcopy(VALID)  # short: a long one is laid out by LibreOffice to number its contents, no part of this
    book["Statements"][0].update(text="Trade will likely grow further this year, traders say.", kind="fact")  # a warning
    workbook = write_workbook(tmp_path / "book.xlsx", book)
    built = {mode: tmp_path / f"{mode}.docx" for mode in ("beside", "alone")}
    said = {mode: _run(mode, "build", workbook, "-o", output) for mode, output in built.items()}
    assert said["beside"][0] == 0 and "hedged-fact" in said["beside"][2]
    assert built["beside"].read_bytes() == built["alone"].read_bytes()


@pytest.mark.parametrize(
    "failing, said",
    [
        (["_check_hedged_facts"], "no check _check_hedged_facts"),
        (["_check_sourcing"], "no check _check_sourcing"),
        (["_check_translations"], "no check _check_translations"),
        (["_check_hedged_facts", "_check_translations"], "no check _check_hedged_facts"),
    ],
    ids=["in the child", "in this process", "in this process, after the child's", "in both: the child's first"],
)
def test_a_check_that_fails_ends_the_run_as_it_would_alone(worded, failing, said):
    setup = (
        f"failed = {failing!r}\n"
        "def failing(name):\n"
        "    def check(workbook):\n"
        "        raise ValueError(f'no check {name}')\n"
        "    return check\n"
        "for name in failed:\n"
        "    setattr(validate, name, failing(name))\n"
        "for checks in ('_WORDING_CHECKS', '_WORDING_CHECKS_AFTER'):\n"
        "    setattr(validate, checks, tuple(getattr(validate, c.__name__) if c.__name__ in failed else c\n"
        "                                    for c in getattr(validate, checks)))"
    )
    code, out, err = _both_ways("validate", worded, setup=setup)
    assert (code, out) == (3, "") and f"internal error: ValueError: {said}" in err


def test_a_child_that_dies_while_checking_is_reported(worded):
    setup = (
        "import os, signal\ndef dying(workbook):\n    os.kill(os.getpid(), signal.SIGKILL)\nvalidate._WORDING_CHECKS = (dying,)"
    )
    code, out, err = _run("beside", "validate", worded, setup=setup)
    assert (code, out) == (3, "")
    assert "ChildDied: the process forked to work beside this one ended without its result (killed by SIGKILL)" in err


def test_a_release_with_the_snapshot_made_beside_is_the_same_edition(tmp_path):
    released = {}
    for mode in ("beside", "alone"):
        (tmp_path / mode).mkdir()
        book = copy.deepcopy(VALID)
        book["Briefing"]["edition"] = "1"
        workbook = write_workbook(tmp_path / mode / "book.xlsx", book)
        assert _run(mode, "release", workbook)[0] == 0
        (snapshot,) = (tmp_path / mode / "editions" / "book").glob("*.json")
        released[mode] = (snapshot.read_bytes(), next((tmp_path / mode / "editions" / "book").glob("*.docx")).read_bytes())
    assert released["beside"] == released["alone"]
    assert released["beside"][0].startswith(b"{")


def test_a_snapshot_that_fails_beside_ends_the_build_as_it_would_alone(tmp_path):
    workbook = write_workbook(tmp_path / "book.xlsx", VALID)
    output = tmp_path / "book.docx"
    setup = (
        "from pipeline.briefing import editions\n"
        "def failing(*args):\n"
        "    raise ValueError('no snapshot')\n"
        "editions.snapshot = failing"
    )
    code, out, err = _both_ways("build", workbook, "-o", output, setup=setup)
    assert (code, out) == (3, "") and "internal error: ValueError: no snapshot" in err
    assert not output.exists()


# A briefing long enough to be written out as it is made (past a layout pass's length, lowered),
# whose notes the child makes, noting that it does in the file named after the mode.
_NOTES_MADE = """
from pipeline.word import contents, ooxml
contents.LAY_OUT_UP_TO_PAGES = 3
notes_written = ooxml._notes_written
def _notes_written(*args):
    open({made!r}, "w").close()
    return notes_written(*args)
ooxml._notes_written = _notes_written
"""


def test_a_long_build_with_a_child_making_the_notes_is_the_same_document(tmp_path):
    workbook = write_workbook(tmp_path / "book.xlsx", long_book())
    built = {mode: tmp_path / f"{mode}.docx" for mode in ("beside", "alone")}
    for mode, output in built.items():
        made = tmp_path / f"{mode}.notes-made"
        assert _run(mode, "build", workbook, "-o", output, setup=_NOTES_MADE.format(made=str(made)))[0] == 0
        assert made.exists() == (mode == "beside")
    assert built["beside"].read_bytes() == built["alone"].read_bytes()
    check_docx(built["beside"])


# The same long briefing, its notes child failing as `failing` does (a line of code).
_NOTES_FAIL = """
import errno, os, signal
from pipeline.word import contents, ooxml
contents.LAY_OUT_UP_TO_PAGES = 3
def failing(*args):
    {failing}
ooxml._notes_written = failing
"""


def test_a_child_that_dies_while_making_the_notes_is_reported(tmp_path):
    workbook = write_workbook(tmp_path / "book.xlsx", long_book())
    output = tmp_path / "book.docx"
    setup = _NOTES_FAIL.format(failing="os.kill(os.getpid(), signal.SIGKILL)")
    code, out, err = _run("beside", "build", workbook, "-o", output, setup=setup)
    assert (code, out) == (3, "")
    assert "ChildDied: the process forked to work beside this one ended without its result (killed by SIGKILL)" in err
    assert not output.exists()


def test_a_long_redline_with_a_child_making_the_briefing_s_notes_is_the_same(tmp_path):
    """With a previous edition, a child makes the briefing's notes, and another the redline's,
    from what each says or, for a note the redline marked or brought back deleted, as the
    redline made it: the briefing and the redline are those one process makes."""
    book = long_book()
    book["Briefing"]["edition"] = "1"
    revised = long_book_revised(book)
    built = {}
    for mode in ("beside", "alone"):
        (tmp_path / mode).mkdir()
        workbook = write_workbook(tmp_path / mode / "book.xlsx", book)
        assert _run("alone", "release", workbook, setup=_NOTES_MADE.format(made=""))[0] == 0
        write_workbook(workbook, revised)
        made = tmp_path / mode / "notes-made"
        output = tmp_path / mode / "book.docx"
        code, _, said = _run(mode, "build", workbook, "-o", output, setup=_NOTES_MADE.format(made=str(made)))
        assert code == 0 and "the changes are marked in" in said, said
        assert made.exists() == (mode == "beside")
        built[mode] = (output.read_bytes(), output.with_name("book.changes.docx").read_bytes())
    assert built["beside"] == built["alone"]


def test_a_full_disk_met_by_the_child_making_the_notes_is_said_as_one_met_here(tmp_path):
    """The child writing the notes out finds the disk full: the build says so, as a file it
    could not write (exit 2), and writes nothing, as it does when the process itself finds it."""
    workbook = write_workbook(tmp_path / "book.xlsx", long_book())
    output = tmp_path / "book.docx"
    setup = _NOTES_FAIL.format(failing="raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))")
    code, out, err = _run("beside", "build", workbook, "-o", output, setup=setup)
    assert (code, out) == (2, "")
    assert f"could not write {output}: No space left on device. The disk is full" in err
    assert not output.exists()
