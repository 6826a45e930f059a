"""The briefing as real readers take it: LibreOffice prints it to PDF, pandoc reads its notes,
tables and headings, python-docx opens it again.

Each reader is a program from the machine's packages; where one is missing its tests skip,
naming the package to install, except in CI (CI=true), where they fail: there `.ci/run`
installs them, so a skip would hide a reader that no longer checks anything.
"""

from __future__ import annotations

import json
import re
import subprocess

import docx
import pytest

from pipeline.word import pdf

from .conftest import need

TITLE = "Russia and Iran: Tighter Ties Than Ever"


@pytest.fixture(scope="module")
def sample_pdf(sample_docx, tmp_path_factory):
    need("soffice", "libreoffice-writer-nogui")
    out = tmp_path_factory.mktemp("pdf") / "briefing.pdf"
    pdf.convert(sample_docx, out)
    return out


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
    for expected in (TITLE, "As of 31 August 2022", "Bottom line up front", "Key points", "Sources and confidence",
                     "Table 1. Key figures", "Figure 1. Iran", "Annex A: Chronology", "Annex B: Sources"):
        assert expected in text, expected
    assert f"Page 1 of {pages}" in _text(sample_pdf, 1)
    assert f"Page {pages} of {pages}" in _text(sample_pdf, pages)
    assert all("TLP:CLEAR" in _text(sample_pdf, page) for page in range(1, pages + 1))


def test_the_pdf_contents_list_page_numbers(sample_pdf):
    contents = _text(sample_pdf, 2)
    assert "Contents" in contents
    entries = re.findall(r"^\s*(.+?)\s*\.{3,}\s*(\d+)\s*$", contents, re.MULTILINE)
    titles = [title for title, _ in entries]
    assert titles[:2] == ["Key judgements", "Bottom line up front"] and titles[-1] == "Annex B: Sources"
    assert "1 Diplomacy and strategic alignment" in titles
    numbers = [int(number) for _, number in entries]
    assert numbers == sorted(numbers) and numbers[0] == 3
    assert "Annex B: Sources" in _text(sample_pdf, numbers[-1])


def test_the_pdf_carries_the_footnotes(sample_pdf):
    text = _text(sample_pdf)
    assert "[1] The Portal Center, \u201cIran and Russia are forging tighter ties than ever\u201d, August 2022." in text
    assert text.count("[1] The Portal Center, \u201cIran and Russia are forging\u2026\u201d, para.") > 40


def test_pandoc_finds_the_footnotes_tables_and_headings(sample_docx):
    document = json.loads(
        subprocess.run([need("pandoc", "pandoc"), "-t", "json", str(sample_docx)], capture_output=True, text=True, check=True).stdout
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


def _plain(inlines) -> str:
    return "".join(i["c"] if i["t"] == "Str" else " " for i in inlines if i["t"] in ("Str", "Space"))


def test_python_docx_reopens_it(sample_docx):
    document = docx.Document(sample_docx)
    assert document.core_properties.title == TITLE
    assert document.core_properties.created.date().isoformat() == "2022-08-31"
    assert len(document.tables) == 6 and len(document.inline_shapes) == 2
