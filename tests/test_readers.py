"""The briefing as real readers take it: LibreOffice prints it to PDF, pandoc, docx2python and
mammoth read its statements, notes, tables and headings, python-docx opens it again.

Each reader is a program from the machine's packages; where one is missing its tests skip,
naming the package to install, except in CI (CI=true), where they fail: there `.ci/run`
installs them, so a skip would hide a reader that no longer checks anything.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import docx
import mammoth
import pytest
from docx2python import docx2python

from pipeline.briefing import model
from pipeline.word import pdf, render
from pipeline.workbook.load import load

from .conftest import PERSIAN, ROOT, RUSSIAN, need, valid, without_layout

pytestmark = pytest.mark.reader

TITLE = "Russia and Iran: Tighter Ties Than Ever"


@pytest.fixture
def sample_pdf(sample_docx, printed):
    return printed(sample_docx)


@pytest.fixture
def long_pdf(long_docx_laid_out, printed):
    return printed(long_docx_laid_out)


def _pages(path) -> int:
    info = subprocess.run([need("pdfinfo", "poppler-utils"), str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


def _text(path, page: int | None = None) -> str:
    command = [need("pdftotext", "poppler-utils"), "-layout"]
    if page:
        command += ["-f", str(page), "-l", str(page)]
    return subprocess.run([*command, str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_libreoffice_prints_the_briefing_to_a_pdf_of_the_expected_length(sample_pdf):
    pages = _pages(sample_pdf)
    assert 8 <= pages <= 14, f"{pages} pages"
    text = _text(sample_pdf)
    for expected in (
        TITLE,
        "As of 31 August 2022",
        "Bottom line up front",
        "Key points",
        "Sources and confidence",
        "Table 3. Key figures",
        "Figure 1. Iran",
        "Annex A: Chronology",
        "Annex B: Sources",
    ):
        assert expected in text, expected
    assert f"Page 1 of {pages}" in _text(sample_pdf, 1)
    assert f"Page {pages} of {pages}" in _text(sample_pdf, pages)
    assert all("TLP:CLEAR" in _text(sample_pdf, page) for page in range(1, pages + 1))


def test_the_pdf_contents_list_page_numbers(long_docx_laid_out, long_pdf):
    contents = _text(long_pdf, 2)
    assert "Contents" in contents
    entries = re.findall(r"^\s*(.+?)\s*\.{3,}\s*(\d+)\s*$", contents, re.MULTILINE)
    titles = [title for title, _ in entries]
    assert titles[:2] == ["Key judgements", "Bottom line up front"] and titles[-1] == "Annex B: Sources"
    assert "1 Drones" in titles
    numbers = [int(number) for _, number in entries]
    assert numbers == sorted(numbers) and numbers[0] == 3
    assert "Annex B: Sources" in _text(long_pdf, numbers[-1])
    # The numbers stored at build time, which Word shows on opening, are the pages the PDF has.
    stored = [p.text.split("\t") for p in docx.Document(long_docx_laid_out).paragraphs if p.style.name == "toc 1"]
    assert [(title, int(page)) for title, page in stored] == list(zip(titles, numbers))


def test_a_layout_out_of_time_fails_the_same_way_and_stops_libreoffice_whole(book, write, tmp_path, monkeypatch):
    """Thousands of characters no font has keep LibreOffice busy for minutes (a property test
    found it): the build gives up on the layout and fails, never writing a contents list whose
    page numbers depend on the machine's load; LibreOffice stops, all of it, and leaves none of
    its temporary files."""
    need("soffice", "libreoffice-writer-nogui")
    # The layout's folder in this test's own: another test's layout may run meanwhile (pytest-xdist).
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    book["Sources"][0]["title"] = "U\U000e3ae6hp" * 3000
    out = tmp_path / "out.docx"
    with without_layout():
        render.write(model.build(valid(load(write(book)))), out)
    scratch = tmp_path / "scratch"  # the machine's temporary folder, where LibreOffice's own lu*.tmp would land
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setenv("TMPDIR", str(scratch))
    with pytest.raises(pdf.LayoutFailed, match="could not be laid out"):
        pdf.part_pages(out.read_bytes(), timeout=3)
    assert list(scratch.iterdir()) == []
    deadline = time.monotonic() + 10  # killed at once; on a loaded machine, gone a little later

    def running():
        return [command for command, state in _processes() if f"{tmp_path}/briefing-layout-".encode() in command and state != "Z"]

    while running() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not running()


# The build's layout step, in a process of its own for the test to kill.
_LAYOUT = (
    "import sys; from pathlib import Path; from pipeline.word import pdf; pdf.part_pages(Path(sys.argv[1]).read_bytes(), 600)"
)


def test_a_build_killed_outright_mid_layout_takes_libreoffice_with_it(book, write, tmp_path, monkeypatch):
    """A build killed with SIGKILL, which no handler of its own sees, while LibreOffice lays the
    briefing out: LibreOffice dies with it, and leaves nothing in the machine's temporary folder
    but the build's own folder (its profile, its copy of the briefing), which only the build
    could have removed; the next layout removes it."""
    need("soffice", "libreoffice-writer-nogui")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    book["Sources"][0]["title"] = "U\U000e3ae6hp" * 3000  # keeps LibreOffice busy for minutes
    out = tmp_path / "out.docx"
    with without_layout():
        render.write(model.build(valid(load(write(book)))), out)
    machine_temporary = tmp_path / "machine-tmp"
    machine_temporary.mkdir()
    build = subprocess.Popen(
        [sys.executable, "-c", _LAYOUT, str(out)], cwd=ROOT, env={**os.environ, "TMPDIR": str(machine_temporary)}
    )
    folder = f"{machine_temporary}/briefing-layout-{build.pid}-".encode()

    def running() -> list[bytes]:
        return [command for command, state in _processes() if folder in command and state != "Z"]

    def laying_out() -> bool:  # soffice.bin itself, past the restart a new profile asks for
        return any(command.split(b"\0")[0].endswith(b"soffice.bin") and b"--convert-to" in command for command in running())

    deadline = time.monotonic() + 60
    while not laying_out() and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(2)  # well into the layout
    assert laying_out() and build.poll() is None
    build.kill()
    build.wait()
    deadline = time.monotonic() + 10  # killed at once; on a loaded machine, gone a little later
    while running() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not running()
    left = list(machine_temporary.iterdir())
    assert len(left) == 1 and left[0].name.startswith(f"briefing-layout-{build.pid}-") and left[0].is_dir()
    monkeypatch.setattr(tempfile, "tempdir", str(machine_temporary))
    blank = tmp_path / "blank.docx"
    docx.Document().save(blank)
    pdf.part_pages(blank.read_bytes())
    assert list(machine_temporary.iterdir()) == []


def _processes() -> list[tuple[bytes, str]]:
    """Each running process's command line and state (Z: ended, waiting to be reaped)."""
    found = []
    for process in Path("/proc").glob("[0-9]*"):
        try:
            found.append(((process / "cmdline").read_bytes(), (process / "stat").read_text().rsplit(")", 1)[1].split()[0]))
        except OSError:  # ended meanwhile
            continue
    return found


def test_the_sample_prints_its_key_judgements_after_the_cover_with_no_contents_page(sample_pdf):
    # Ten pages, which earn no contents page.
    assert "Key judgements" in _text(sample_pdf, 2) and "Contents" not in _text(sample_pdf)


@pytest.mark.parametrize("briefing", ["sample_docx", "long_docx_laid_out", "multilingual_docx"])
def test_the_page_estimate_is_within_a_page_or_two_of_libreoffices_count(briefing, request, printed):
    """The estimate that decides on a contents page (`contents.estimated_pages`, which never lays
    the pages out) against the pages LibreOffice prints: the sample, a long briefing with its
    contents page, and one with Persian and Russian quotes."""
    from pipeline.word import contents

    path = request.getfixturevalue(briefing)
    document = docx.Document(path)
    section = document.sections[0]
    estimate = contents.estimated_pages(
        document,
        section.page_width - section.left_margin - section.right_margin,
        section.page_height - section.top_margin - section.bottom_margin,
    )
    pages = _pages(printed(path))
    assert abs(estimate - pages) <= max(2, pages // 10), f"estimated {estimate}, printed on {pages}"


def test_the_pdf_draws_the_native_charts(sample_pdf):
    text = _text(sample_pdf)
    # The axis titles, tick labels and value labels are the chart's own text, drawn by LibreOffice.
    assert "Real GDP growth (%)" in text and "USD bn" in text
    assert "Russia real GDP growth (2022 forecast)" in text and "14.8" in text


def test_the_pdf_shows_persian_and_russian_quotes_in_their_letters(multilingual_docx, printed):
    out = printed(multilingual_docx)
    text = _text(out)
    assert RUSSIAN in text and "Translated from Russian" in text and "Translated from Persian" in text
    for word in PERSIAN.split():  # poppler gives right-to-left text back word by word
        assert word in text
    # Drawn from fonts that have the letters, not boxes: some embedded font covers each script.
    listed = subprocess.run([need("pdffonts", "poppler-utils"), str(out)], capture_output=True, text=True, check=True).stdout
    embedded = {re.sub(r"^[A-Z]{6}\+", "", line.split()[0]) for line in listed.splitlines()[2:]}
    for language in ("fa", "ru"):
        covering = subprocess.run(
            [need("fc-list", "fontconfig"), f":lang={language}", "postscriptname"], capture_output=True, text=True, check=True
        ).stdout
        assert embedded & {line.split("=", 1)[1] for line in covering.split()}, language


def test_the_pdf_carries_the_footnotes(sample_pdf):
    text = _text(sample_pdf)
    assert "[1] The Portal Center, \u201cIran and Russia are forging tighter ties than ever\u201d, August 2022." in text
    assert text.count("[1] The Portal Center, \u201cIran and Russia are forging\u2026\u201d, para.") > 40


def test_pandoc_finds_the_footnotes_tables_and_headings(sample_docx):
    document = json.loads(
        subprocess.run(
            [need("pandoc", "pandoc"), "-t", "json", str(sample_docx)], capture_output=True, text=True, check=True
        ).stdout
    )
    found = {"Note": 0, "Table": 0}
    headings = []

    def walk(node):
        if isinstance(node, dict):
            kind = node.get("t")
            if kind in found:
                found[kind] += 1
            if kind == "Header":
                headings.append(_plain(node["c"][2]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document["blocks"])
    written = docx.Document(sample_docx).element.body.xpath(".//w:footnoteReference")
    assert found["Note"] == len(written) > 50
    assert found["Table"] == 6  # four of figures and events, two of the likelihood and confidence scale
    for heading in ("Bottom line up front", "Trade and economy", "Chronology", "Sources", "Key points"):
        assert heading in headings


def _counts(sample_xlsx, sample_docx):
    """What the sample's workbook and its .docx hold: statements, footnotes, tables."""
    workbook = load(sample_xlsx)
    statements = [r.value("text") for r in workbook.records("Statements")]
    document = docx.Document(sample_docx)
    return statements, len(document.element.body.xpath(".//w:footnoteReference")), len(document.tables)


def test_docx2python_reads_the_statements_footnotes_and_tables(sample_docx, sample_xlsx):
    statements, footnotes, tables = _counts(sample_xlsx, sample_docx)
    with docx2python(sample_docx) as read:
        paragraphs = [text for table in read.body for row in table for cell in row for text in cell]
        notes = [
            text for table in read.footnotes for row in table for cell in row for text in cell if text.startswith("footnote")
        ]
        found_tables = [table for table in read.body_pars if table[0][0][0].lineage[1] == "tbl"]
    assert all(any(statement in text for text in paragraphs) for statement in statements)
    assert len(notes) == footnotes > 50
    assert len(found_tables) == tables >= 4


def test_mammoth_reads_the_statements_footnotes_and_tables(sample_docx, sample_xlsx):
    statements, footnotes, tables = _counts(sample_xlsx, sample_docx)
    with open(sample_docx, "rb") as file:
        converted = mammoth.convert_to_html(file).value
    text = html.unescape(re.sub(r"<[^>]+>", "", converted))
    assert all(statement in text for statement in statements)
    assert len(re.findall(r'<li id="footnote-\d+">', converted)) == footnotes > 50
    assert converted.count("<table>") == tables >= 4


def _plain(inlines) -> str:
    return "".join(i["c"] if i["t"] == "Str" else " " for i in inlines if i["t"] in ("Str", "Space"))


def test_python_docx_reopens_it(sample_docx):
    document = docx.Document(sample_docx)
    assert document.core_properties.title == TITLE
    assert document.core_properties.created.date().isoformat() == "2022-08-31"
    assert len(document.tables) == 6 and len(document.inline_shapes) == 2
