"""Workbooks built in the tests: a small valid one, which each test breaks in one way."""

from __future__ import annotations

import copy
import datetime as dt
import fcntl
import functools
import hashlib
import importlib.util
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import OrderedDict
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest
from openpyxl import Workbook, load_workbook

from pipeline.cli import main
from pipeline.contract import KEY_VALUE_HEADERS, SHEETS
from pipeline.word import pdf
from pipeline.workbook.load import load

ROOT = Path(__file__).resolve().parent.parent


def shared(*parts: str) -> Path:
    """A path in the shared folder beside the project (or beside the folder of its worktrees)."""
    beside = [folder.joinpath("shared", *parts) for folder in ROOT.parents[:2]]
    return next((path for path in beside if path.exists()), beside[0])


CORPUS = shared("corpus", "real-xlsx")
CHECK_DOCX = shared("ooxml", "check_docx.py")

VALID = {
    "Briefing": {
        "title": "Russia–Iran ties",
        "subtitle": "Test briefing",
        "as_of": dt.datetime(2022, 8, 31),
        "marking": "TLP:CLEAR",
        "summary": "Ties are closer.",
    },
    "Sections": [
        {"section_id": "trade", "order": 2, "heading": "Trade", "intro": "About trade.", "source_id": "S2", "locator": "p. 1"},
        {"section_id": "drones", "order": 1, "heading": "Drones"},
    ],
    "Sources": [
        {
            "source_id": "S1",
            "publisher": "Publisher One",
            "title": "An article",
            "published": "2022-08",
            "source_type": "news",
            "reliability": "B",
        },
        {
            "source_id": "S2",
            "publisher": "Publisher Two",
            "title": "A report",
            "url": "https://example.org/r",
            "accessed": dt.datetime(2022, 8, 30),
        },
    ],
    "Figures": [
        {
            "figure_id": "F01",
            "section_id": "trade",
            "indicator": "Bilateral trade",
            "value": 4,
            "unit": "USD bn",
            "period": "2021",
            "source_id": "S1",
            "attribution": "according to Russia",
            "locator": "para. 6",
            "key": "Y",
        },
        {
            "figure_id": "F02",
            "section_id": "trade",
            "indicator": "Non-oil trade",
            "value": 14.8,
            "unit": "USD bn",
            "period": "2021",
            "source_id": "S2",
        },
    ],
    "Statements": [
        {
            "statement_id": "ST01",
            "section_id": "drones",
            "text": "Drone drills were held.",
            "kind": "fact",
            "source_id": "S1",
            "key": "Y",
        },
        {
            "statement_id": "ST02",
            "section_id": "drones",
            "text": "profound threat",
            "kind": "quote",
            "attributed_to": "Jake Sullivan",
            "source_id": "S1",
            "credibility": 2,
        },
        {
            "statement_id": "ST03",
            "section_id": "trade",
            "text": "Trade will likely keep growing.",
            "kind": "assessment",
            "confidence": "low",
            "likelihood": "likely",
            "source_id": "S2",
            "key": "Y",
        },
    ],
    "Events": [
        {
            "event_id": "E01",
            "date": "2022-08-09",
            "section_id": "drones",
            "event": "A satellite was launched.",
            "source_id": "S1",
        },
        {"event_id": "E02", "date": "2022-07", "section_id": "trade", "event": "A visit took place.", "source_id": "S2"},
    ],
    "Charts": [
        {"chart_id": "C1", "section_id": "trade", "title": "Trade", "kind": "bar", "figures": "F01, F02"},
    ],
    "Outlook": [
        {"outlook_id": "O1", "kind": "indicator", "text": "New trade deals.", "signals": "Growth going on.", "bears_on": "ST03"},
    ],
}


def as_at_a_terminal() -> None:
    """For a child process that the test will interrupt: Ctrl-C (SIGINT) acted on as at a
    terminal. A run in the background (CI's, or `make test &`) inherits SIGINT ignored, which a
    program rightly keeps ignoring; Python then never raises KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


# The bytes of the workbooks written last, by their content's repr (which tells apart 1, 1.0,
# True and "1"): most tests write the valid workbook or it with one change, several times a run,
# and openpyxl takes some 10 ms to write even that afresh.
_WRITTEN: OrderedDict[str, bytes] = OrderedDict()


def write_workbook(path: Path, book: dict) -> Path:
    """Write `book` (sheet name -> rows, or field -> value for Briefing) with the contract's
    headers in contract order, so that a column's letter is its place in the contract."""
    content = repr(book)
    data = _WRITTEN.pop(content, None) or _workbook_bytes(book)
    _WRITTEN[content] = data
    if len(_WRITTEN) > 64:
        _WRITTEN.popitem(last=False)
    path.write_bytes(data)
    return path


def _workbook_bytes(book: dict) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in SHEETS:
        if sheet.name not in book:
            continue
        worksheet = workbook.create_sheet(sheet.name)
        if sheet.key_value:
            worksheet.append(list(KEY_VALUE_HEADERS))
            for name, value in book[sheet.name].items():
                worksheet.append([name, value])
        else:
            headers = [c.name for c in sheet.columns]
            worksheet.append(headers)
            for row in book[sheet.name]:
                worksheet.append([row.get(h) for h in headers])
    written = io.BytesIO()
    workbook.save(written)
    return written.getvalue()


# What must never reach a terminal or a comment as it is: controls (escape sequences),
# bidirectional overrides and invisible characters. A newline only ends a line.
UNSHOWABLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


# The files each release made by `released_edition` wrote, by the workbook's name and content
# and whether the build laid out its contents list: each file's path beside the workbook and its
# bytes, the snapshot last.
_RELEASED: dict[tuple[str, str, bool], tuple[tuple[str, bytes], ...]] = {}


def released_edition(workbook: Path, content: dict) -> Path:
    """`content` written at `workbook` and released beside it, as pipeline.release writes it
    (editions/NAME/DATE_LABEL.docx and .json), for a test of what comes after a release; the
    snapshot's path. A release takes a build: one is made in each test process for each name
    and content, in a folder of its own, and its files are written again from their bytes."""
    key = (workbook.name, repr(content), _reader_test)
    if key not in _RELEASED:
        import pipeline

        with tempfile.TemporaryDirectory() as folder:
            released = pipeline.release(write_workbook(Path(folder) / workbook.name, content))
            assert released.new and not released.checked.errors, released.checked.errors
            _RELEASED[key] = tuple(
                (str(path.relative_to(folder)), path.read_bytes()) for path in (released.briefing, released.snapshot)
            )
    write_workbook(workbook, content)
    for name, data in _RELEASED[key]:  # the snapshot last, as a release writes it
        (workbook.parent / name).parent.mkdir(parents=True, exist_ok=True)
        (workbook.parent / name).write_bytes(data)
    return workbook.parent / _RELEASED[key][-1][0]


def with_unshowable_text(book: dict, path: Path) -> Path:
    """`book` written with characters a terminal acts on or that disguise text, each where a
    message quotes it: an escape sequence (red from here on) in a number cell and in a
    header, a vertical tab in another number, a C1 control in a Briefing field's name, a
    zero-width space in an id, and a next-line character (which the sheet lookup ignores, as
    white space) in a sheet's name. Excel stores the controls as _xHHHH_ escapes, as here."""
    book["Figures"][0]["value"] = "_x001B_[31m4"
    book["Figures"][1]["value"] = "14.8_x000B_"  # a vertical tab, pasted from a PDF
    book["Briefing"]["sub_x009B_title"] = "A field the contract does not know"
    book["Statements"][0]["statement_id"] = "ST01\u200b"
    book["Events"][0]["source_id"] = "S9"
    write_workbook(path, book)
    workbook = load_workbook(path)
    workbook["Sources"]["B1"] = "publisher_x001B_[31m"
    workbook["Events"].title = "Events\x85"
    workbook.save(path)
    return path


def repacked(source: Path, target: Path, parts: dict) -> Path:
    """A copy of the package `source` with parts changed: each value is the part's new bytes,
    or a function from its old bytes to its new ones. A name `source` lacks is added."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for name in original.namelist():
            data = original.read(name)
            change = parts.get(name, data)
            copy.writestr(name, change(data) if callable(change) else change)
        for name in parts.keys() - set(original.namelist()):
            copy.writestr(name, parts[name])
    return target


def long_book_revised(book: dict) -> dict:
    """`book`, a `long_book` released as edition 1, as its second edition a month later: a
    statement withdrawn, one reworded, one citing another source, and one new."""
    revised = copy.deepcopy(book)
    revised["Briefing"].update(edition="2", as_of=dt.datetime(2022, 9, 30))
    by_id = {s["statement_id"]: s for s in revised["Statements"]}
    by_id["Ldrones10"].update(withdrawn="Y", change_note="Not borne out.")
    by_id["Lextra105"]["text"] = "Finding 5 of extra1, reworded: the desk now reads every source three times."
    by_id["Lextra220"]["source_id"] = "S2"  # its footnote cites another source
    revised["Statements"].append(
        {"statement_id": "NEW1", "section_id": "extra2", "text": "A finding new in this edition.", "source_id": "S2"}
    )
    return revised


def long_book() -> dict:
    """The valid workbook grown to some twenty pages, long enough to earn a contents page: forty
    statements a chapter in four chapters, and a chronology whose events, each reported by
    two sources, run too long for a portrait page."""
    book = copy.deepcopy(VALID)
    book["Sections"] += [{"section_id": f"extra{n}", "order": 2 + n, "heading": f"Further chapter {n}"} for n in (1, 2)]
    sentence = (
        "The desk reads every source twice before it states a finding in this briefing, and notes where the sources differ."
    )
    book["Statements"] += [
        {
            "statement_id": f"L{section}{n:02d}",
            "section_id": section,
            "text": f"Finding {n} of {section}: {sentence} {sentence}",
            "source_id": "S1",
        }
        for section in ("trade", "drones", "extra1", "extra2")
        for n in range(40)
    ]
    book["Events"] += [
        {
            "event_id": f"LE{n}",
            "date": f"2022-0{n % 7 + 1}",
            "section_id": "trade",
            "source_id": "S2" if n % 2 else "S1",
            "event": f"Event {n}: {sentence} {sentence} {sentence}",
        }
        for n in range(12)
    ]
    return book


def built_briefing(folder: Path, name: str, content: dict) -> Path:
    """`content` written as `name`.xlsx in `folder` and its briefing built beside it, with no
    problem found; the .docx."""
    import pipeline

    path = folder / f"{name}.docx"
    built = pipeline.build(write_workbook(folder / f"{name}.xlsx", content), path)
    assert built.written and not built.checked.problems, built.checked.problems
    return path


@contextmanager
def without_layout():
    """Builds within go as on a machine without LibreOffice: a long briefing's contents list
    without page numbers, which a layout of a second or more per build would give."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf, "part_pages", lambda docx, timeout: None)
        yield


def pytest_collection_modifyitems(items):
    """The slow tests first, then the real-reader ones, then the rest, each kind in the order
    found: spread over workers, a test of ten seconds or more started near the end leaves the
    other workers idle while it runs."""
    items.sort(key=lambda item: (item.get_closest_marker("slow") is None, item.get_closest_marker("reader") is None))


# Whether the test being run is marked `reader`: set before its fixtures, which may run readers too.
_reader_test = False


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    global _reader_test
    _reader_test = item.get_closest_marker("reader") is not None


@pytest.fixture(autouse=True)
def layout_for_readers_only():
    """Only the real-reader tests (marked `reader`) look at a contents list's page numbers; every
    other test builds `without_layout`. Builds the tests run as subprocesses (cli, make) are of
    briefings too short to want a contents list."""
    if _reader_test:
        yield
        return
    with without_layout():
        yield


@pytest.fixture(scope="session")
def long_docx(tmp_path_factory):
    """`long_book`'s briefing, built once for the whole run, its contents list without page numbers."""
    with without_layout():
        return built_briefing(tmp_path_factory.mktemp("long"), "long", long_book())


@pytest.fixture(scope="session")
def long_docx_laid_out(tmp_path_factory):
    """`long_book`'s briefing with its contents list's page numbers, from a LibreOffice layout:
    built once a run by whichever worker asks first, as the layout takes seconds."""
    folder = run_folder(tmp_path_factory) / "long-laid-out"
    folder.mkdir(exist_ok=True)
    with (folder / "building.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a worker building it, the other waits for it
        built = folder / "long.docx"
        return built if built.exists() else built_briefing(folder, "long", long_book())


def run_folder(tmp_path_factory) -> Path:
    """The folder of this run's temporary files that every worker of it shares."""
    folder = tmp_path_factory.getbasetemp()
    return folder.parent if os.environ.get("PYTEST_XDIST_WORKER") else folder


PERSIAN = "\u0631\u0648\u0627\u0628\u0637 \u0645\u0627 \u0628\u0627 \u0631\u0648\u0633\u06cc\u0647 \u0631\u0627\u0647\u0628\u0631\u062f\u06cc \u0627\u0633\u062a"  # "our relations with Russia are strategic"
RUSSIAN = "\u041c\u044b \u0431\u0443\u0434\u0435\u043c \u0440\u0430\u0437\u0432\u0438\u0432\u0430\u0442\u044c \u0441\u043e\u0442\u0440\u0443\u0434\u043d\u0438\u0447\u0435\u0441\u0442\u0432\u043e \u0441 \u0418\u0440\u0430\u043d\u043e\u043c"  # "we will develop cooperation with Iran"


def multilingual_book() -> dict:
    """The valid workbook with a Persian and a Russian quote, each with its translation; the
    Russian one typed in its own quotation marks, as an analyst pastes it."""
    book = copy.deepcopy(VALID)
    book["Statements"] += [
        {
            "statement_id": "FA1",
            "section_id": "drones",
            "text": PERSIAN,
            "kind": "quote",
            "attributed_to": "Ebrahim Raisi",
            "source_id": "S1",
            "translation": "Our relations with Russia are strategic.",
        },
        {
            "statement_id": "RU1",
            "section_id": "trade",
            "text": f"\u00ab{RUSSIAN}\u00bb",
            "kind": "quote",
            "attributed_to": "Sergei Lavrov, Russia's foreign minister",
            "source_id": "S2",
            "translation": "We will develop cooperation with Iran.",
        },
    ]
    return book


@pytest.fixture(scope="session")
def multilingual_docx(tmp_path_factory):
    """`multilingual_book`'s briefing, built once for the whole run."""
    return built_briefing(tmp_path_factory.mktemp("multilingual"), "multilingual", multilingual_book())


def figures_sheet(rows: str) -> bytes:
    """The Figures sheet (sheet4 in the test workbooks), declared as the whole grid."""
    header = "".join(
        f'<c r="{letter}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for letter, name in zip("ABCDEFG", ["figure_id", "section_id", "indicator", "value", "unit", "period", "source_id"])
    )
    return (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:XFD1048576"/><sheetData><row r="1">{header}</row>{rows}</sheetData></worksheet>'
    ).encode()


def run_in_process(*args) -> subprocess.CompletedProcess:
    """The command line as `python -m pipeline` gives it, run in this process, for a test of what
    it reads and says rather than of the process: a tenth to a third of a second less for each.
    Each exit code stays tested in a subprocess somewhere, as a user runs it."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(map(str, args)))
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


@dataclass(frozen=True)
class Measured:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float  # the process's own peak memory (resident)


def run_measured(tmp_path: Path, *args, seconds: float) -> Measured:
    """The command line in a subprocess, as make runs it, timed and its peak memory measured;
    the test fails if it runs past `seconds`.

    The peak is the kernel's high-water mark of the program's own memory (/proc's VmHWM),
    read as it runs: the usual figure, ru_maxrss, carries over the test process's own peak
    from before the child's exec."""
    if not Path("/proc/self/status").exists():
        pytest.skip("measuring a process's memory needs Linux's /proc")
    out, err = tmp_path / "measured.out", tmp_path / "measured.err"
    start, peak_kb = time.monotonic(), 0
    with out.open("w") as stdout, err.open("w") as stderr:
        process = subprocess.Popen([sys.executable, "-m", "pipeline", *map(str, args)], stdout=stdout, stderr=stderr, cwd=ROOT)
    status_file = Path(f"/proc/{process.pid}/status")
    while process.poll() is None:
        high_water = re.search(r"^VmHWM:\s+(\d+) kB", status_file.read_text(errors="replace"), re.M)
        peak_kb = max(peak_kb, int(high_water.group(1)) if high_water else 0)
        if time.monotonic() - start > seconds:
            process.kill()
            process.wait()
            pytest.fail(f"python -m pipeline {' '.join(map(str, args))} ran past {seconds} s")
        time.sleep(0.02)
    return Measured(process.returncode, out.read_text(), err.read_text(), time.monotonic() - start, peak_kb / 1024)


@pytest.fixture
def book():
    """A fresh copy of the valid workbook's content, to break."""
    return copy.deepcopy(VALID)


@pytest.fixture
def write(tmp_path):
    def write_book(content: dict, name: str = "book.xlsx") -> Path:
        return write_workbook(tmp_path / name, content)

    return write_book


def valid(workbook):
    """The ValidWorkbook the briefing is built from: `workbook` is a path, or a workbook
    already loaded; validation must find no errors in it."""
    from pipeline.checks.validate import check

    checked = check(load(workbook) if isinstance(workbook, (str, Path)) else workbook)
    assert checked.valid is not None, checked.errors
    return checked.valid


@pytest.fixture(scope="session")
def sample_xlsx(tmp_path_factory) -> Path:
    """The sample workbook, as inputs/russia_iran_ties.py declares it, written once for the whole
    run: the tests never read inputs/russia_iran_ties.xlsx, the desk's working copy, which
    analysts edit (test_inputs_folder proves it)."""
    from inputs import russia_iran_ties

    return russia_iran_ties.write(tmp_path_factory.mktemp("sample") / "russia_iran_ties.xlsx")


@pytest.fixture(scope="session")
def sample_docx(tmp_path_factory, sample_xlsx):
    """The sample workbook's briefing, built once for the whole run."""
    import pipeline

    path = tmp_path_factory.mktemp("report") / "briefing.docx"
    built = pipeline.build(sample_xlsx, path)
    # Its one source is a repost whose original the article does not name, as the briefing says.
    assert [p.code for p in built.checked.problems] == ["second-hand"]
    return path


# --- real readers -------------------------------------------------------------------------------


# The real readers' programs: a test that runs one is marked `reader`, which make test-fast leaves out.
READERS = {"soffice", "libreoffice-calc", "pdftotext", "pdfinfo", "pdffonts", "pandoc"}


def need(program: str, package: str) -> str:
    """The path of `program`; where it is missing, the test skips naming the Debian package to
    install (fails in CI: `unavailable`)."""
    if program in READERS and not _reader_test:
        pytest.fail(f"a test that runs {program} is a real-reader test: mark it @pytest.mark.reader")
    path = shutil.which(program)
    if path is None:
        unavailable(f"{program} is not installed (Debian and Ubuntu: apt-get install {package})")
    return path


def unavailable(message: str) -> NoReturn:
    """Skip the test for want of what `message` names; in CI (CI=true), fail it instead: there
    `.ci/run` installs every reader and the shared folder is beside the clone, so a skip would
    hide a check that no longer runs."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; CI must run every test")
    pytest.skip(message)


def from_shared(path: Path) -> Path:
    """`path`, in the shared folder beside the project (the OOXML checker, the corpus, the seed),
    for a test that needs it: where it is missing, the test skips, saying so, except in CI, where
    it fails, as for a missing reader (`need`)."""
    if not path.exists():
        unavailable(f"{path} is missing: the shared folder (../shared) is not beside the project")
    return path


def corpus(*patterns: str) -> list:
    """The shared corpus's workbooks matching any of `patterns`, each a test's parameter; where the
    corpus is missing, the one parameter is its folder, which the test's `from_shared` skips on."""
    files = sorted({path for pattern in patterns for path in CORPUS.glob(pattern)})
    return files or [pytest.param(CORPUS, id="corpus-missing")]


# The digests of the documents found valid in this process: tests check one document more
# than once (the editions' redline; the briefings built with templates whose extras are all
# left out are one document), and a check takes a tenth of a second.
_VALID_DOCX: set[str] = set()


def check_docx(path: Path) -> None:
    """`path` is valid WordprocessingML by the ECMA-376 schemas, as Word is strict about."""
    checker = _schema_checker(from_shared(CHECK_DOCX))
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    if digest in _VALID_DOCX:
        return
    printed = io.StringIO()
    with redirect_stdout(printed):
        status = checker.main([str(path)])
    assert status == 0, printed.getvalue()
    _VALID_DOCX.add(digest)


@functools.cache
def _schema_checker(script: Path):
    """The shared checker as a module, loaded once a run: it keeps the schemas it has parsed,
    which as a program it parsed again for every document."""
    spec = importlib.util.spec_from_file_location("check_docx", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def printed(tmp_path_factory):
    """`printed(docx)`: the .docx printed to PDF by LibreOffice as make pdf prints it, once a run
    for each briefing (told by its bytes) however many tests, in whichever worker, read its pages:
    a conversion takes seconds. The tests only read the PDF."""
    folder = run_folder(tmp_path_factory) / "printed"
    folder.mkdir(exist_ok=True)

    def printed_pdf(docx: Path) -> Path:
        need("soffice", "libreoffice-writer-nogui")
        out = folder / f"{hashlib.sha256(docx.read_bytes()).hexdigest()}.pdf"
        with (folder / f"{out.stem}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # a worker printing it, the other waits for its PDF
            if not out.exists():
                pdf.convert(docx, out)  # in one step: an existing PDF is whole
        return out

    return printed_pdf


@pytest.fixture(scope="session")
def libreoffice_profile(tmp_path_factory) -> Path:
    """The private LibreOffice profile of this process's conversions, so that no other instance
    interferes: one for them all, as they come one at a time, set up by the first (a new
    profile costs a start a third of a second more)."""
    return tmp_path_factory.mktemp("lo-profile")


def _converter(tmp_path: Path, profile: Path, soffice: str):
    """`convert(target, *paths)`: the files converted by LibreOffice to `target` (a format or
    filter), under `profile`; returns the folder of results."""

    def convert(target: str, *paths: Path) -> Path:
        out = tmp_path / "libreoffice"
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(out),
                *map(str, paths),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        return out

    return convert


@pytest.fixture
def calc(tmp_path, libreoffice_profile):
    """Convert spreadsheets with LibreOffice Calc (`calc("xlsx", *paths)` returns the folder
    of results)."""
    soffice = need("soffice", "libreoffice-calc-nogui")
    if not any(Path(soffice).resolve().parent.glob("libsclo*")):
        need("libreoffice-calc", "libreoffice-calc-nogui")  # soffice without Calc
    return _converter(tmp_path, libreoffice_profile, soffice)


@pytest.fixture
def writer(tmp_path, libreoffice_profile):
    """Convert documents with LibreOffice Writer (`writer("pdf", *paths)` returns the folder of
    results), as a reader who opens the .docx in it would see them."""
    return _converter(tmp_path, libreoffice_profile, need("soffice", "libreoffice-writer-nogui"))
