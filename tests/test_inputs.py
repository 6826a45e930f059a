"""Inputs that are not what they seem: special files, unreadable files, a stale copy of a sheet,
text that displays as other text, and links that say one thing and point at another."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys

import pytest

from .conftest import ROOT

PYTHON = [sys.executable, "-m", "pipeline"]


def run(*args, stdin=None, timeout=5, **options):
    """The cli in a subprocess, as make runs it; every answer must come within `timeout` seconds."""
    return subprocess.run(
        [*PYTHON, *map(str, args)], capture_output=True, text=True, cwd=ROOT, stdin=stdin, timeout=timeout, **options
    )


def refused(result, *words):
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    for word in words:
        assert word in result.stderr
    return result.stderr


# --- special files ------------------------------------------------------------------------------


def test_a_fifo_is_refused_at_once_naming_what_it_is(tmp_path):
    fifo = tmp_path / "book.xlsx"
    os.mkfifo(fifo)
    refused(run("validate", fifo), str(fifo), "is a pipe (FIFO)", "save it to a file")


def test_a_device_is_refused_at_once_rather_than_read_forever():
    refused(run("validate", "/dev/zero"), "/dev/zero is a character device, not a workbook")


def test_a_socket_is_refused(tmp_path):
    path = tmp_path / "book.xlsx"
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(path))
        refused(run("validate", path), "is a socket")


def test_stdin_redirected_from_a_workbook_is_read_as_the_workbook(sample_xlsx):
    with sample_xlsx.open("rb") as workbook:
        result = run("validate", "/dev/stdin", stdin=workbook)
    assert result.returncode == 0, result.stderr
    assert "0 errors, 1 warning" in result.stdout and "[second-hand]" in result.stdout


def test_a_workbook_piped_to_stdin_is_refused_with_what_to_do(sample_xlsx):
    """A zip package is read from its end, so it cannot come through a pipe: say so, at once."""
    with subprocess.Popen(["cat", str(sample_xlsx)], stdout=subprocess.PIPE) as cat:
        result = run("validate", "/dev/stdin", stdin=cat.stdout)
    refused(result, "/dev/stdin is a pipe (FIFO)", "save it to a file first")


def test_a_workbook_named_without_xlsx_is_read_by_its_content(tmp_path, sample_xlsx):
    path = tmp_path / "book-from-mail"
    shutil.copy(sample_xlsx, path)
    assert run("validate", path).returncode == 0


# --- files this user may not read ----------------------------------------------------------------


@pytest.fixture
def unprivileged():
    """The command line run so that file permissions bind it: as itself when the tests do not
    run as root; as root without the capabilities that let root read anything, when they do."""
    if os.geteuid() != 0:
        return PYTHON
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root, and setpriv (util-linux) is not here to drop root's right to read any file")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", *PYTHON]


def test_a_workbook_without_read_permission_exits_2_naming_it(tmp_path, unprivileged, sample_xlsx):
    workbook = tmp_path / "book.xlsx"
    shutil.copy(sample_xlsx, workbook)
    workbook.chmod(0)
    result = subprocess.run([*unprivileged, "validate", workbook], capture_output=True, text=True, cwd=ROOT, timeout=10)
    refused(result, str(workbook), "permission denied")


def test_a_template_without_read_permission_exits_2_naming_it(tmp_path, unprivileged, sample_docx, sample_xlsx):
    template = tmp_path / "style.docx"
    shutil.copy(sample_docx, template)
    template.chmod(0)
    out = tmp_path / "briefing.docx"
    result = subprocess.run(
        [*unprivileged, "build", sample_xlsx, "-o", out, "--template", template],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    refused(result, str(template), "permission denied")
    assert not out.exists()


# --- what a cell shows and what it holds ---------------------------------------------------------


def problems_of(path, code=None):
    from pipeline.checks.validate import validate
    from pipeline.workbook.load import load

    found = validate(load(path))
    return [p for p in found if code is None or p.code == code]


def test_a_stale_copy_of_a_sheet_is_an_error_naming_both_tabs(book, write, tmp_path):
    """With 'Statements' and 'Statements ' (an old copy), the last tab used to win in silence."""
    import openpyxl

    path = write(book)
    workbook = openpyxl.load_workbook(path)
    stale = workbook.copy_worksheet(workbook["Statements"])
    stale.title = "Statements "
    stale["C2"] = "STALE COPY"
    workbook.save(path)
    found = problems_of(path, "duplicate-sheet")
    assert len(found) == 1 and found[0].severity == "error"
    assert "'Statements' and 'Statements '" in found[0].message and found[0].sheet == "Statements"
    out = tmp_path / "briefing.docx"
    result = run("build", path, "-o", out, timeout=60)
    assert result.returncode == 1 and not out.exists()
    assert "STALE COPY" not in result.stderr


def test_sheet_names_that_differ_in_capitals_and_spaces_are_an_error(book, write):
    """(Excel itself refuses two names that differ only in capitals.)"""
    import openpyxl

    path = write(book)
    workbook = openpyxl.load_workbook(path)
    workbook.copy_worksheet(workbook["Sources"]).title = " SOURCES"
    workbook.save(path)
    (found,) = problems_of(path, "duplicate-sheet")
    assert "'Sources' and ' SOURCES'" in found.message


@pytest.mark.parametrize("control", ["\u202e", "\u202a", "\u202b", "\u202c", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069"])
def test_a_direction_override_in_text_is_an_error_explaining_the_spoofing(book, write, control):
    book["Statements"][0]["text"] = f"Russia {control}seilppus senord{chr(0x202C)} to Iran."
    (found,) = problems_of(write(book), "bidi-control")
    assert found.location == "Statements!C2" and found.severity == "error"
    assert f"U+{ord(control):04X}" in found.message and "other words" in found.message
    assert control not in found.message  # quoted, the control itself would garble the message too


def test_a_direction_override_in_an_attribution_or_id_is_an_error_too(book, write):
    book["Statements"][1]["attributed_to"] = "Claim (\u202eaissuR)"
    book["Figures"][0]["figure_id"] = "F\u202e01"
    codes = {(p.location, p.code) for p in problems_of(write(book))}
    assert ("Statements!E3", "bidi-control") in codes and ("Figures!A2", "bidi-control") in codes


def test_direction_marks_are_allowed(book, write):
    book["Statements"][0]["text"] = "Tehran (\u062a\u0647\u0631\u0627\u0646\u200f) hosted the drills\u200e."
    assert problems_of(write(book)) == []


def test_a_zero_width_character_is_a_warning(book, write):
    book["Statements"][0]["text"] = "Drone\u200b drills were held."
    (found,) = problems_of(write(book))
    assert (found.code, found.severity, found.location) == ("zero-width", "warning", "Statements!C2")
    assert "U+200B at character 6" in found.message


def test_the_joiners_persian_spells_with_are_not_flagged(book, write):
    book["Statements"][0]["text"] = "The minister said \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u06cc\u0645."
    assert problems_of(write(book)) == []


def with_links(path, *links):
    """`path` with hyperlinks set on cells of its Sources sheet: (cell, shown text, address)."""
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    for ref, text, address in links:
        workbook["Sources"][ref] = text
        workbook["Sources"][ref].hyperlink = address
    workbook.save(path)
    return path


def test_a_url_cell_showing_other_text_gives_its_links_address_with_a_warning(book, write, tmp_path):
    path = with_links(write(book), ("G2", "Portal Center article", "https://example.org/article"))
    (found,) = problems_of(path)
    assert (found.code, found.severity, found.location) == ("url-from-link", "warning", "Sources!G2")
    assert '"Portal Center article"' in found.message and "https://example.org/article" in found.message
    out = tmp_path / "briefing.docx"
    assert run("build", path, "-o", out, timeout=60).returncode == 0
    import docx

    annex = "\n".join(p.text for p in docx.Document(out).paragraphs if p.style.name == "Source Entry")
    assert "https://example.org/article" in annex and "Portal Center article" not in annex


def test_a_url_cell_linking_to_what_it_shows_reads_quietly(book, write):
    path = with_links(write(book), ("G3", "https://example.org/r", "https://example.org/r"))
    assert problems_of(path) == []


@pytest.mark.parametrize("typed", ["\u22126", "-6"], ids=["minus sign", "hyphen"])
def test_the_number_hint_keeps_the_sign(book, write, typed):
    book["Figures"][0]["value"] = typed
    (found,) = problems_of(write(book), "not-a-number")
    assert "Did you mean -6?" in found.message
