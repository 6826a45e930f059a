"""The one writer of WordprocessingML (`ooxml.Body`) and its two places for blocks: the
document's tree, and a file they are written out to as they are made. Whatever text it is
given, both give a part every reader can parse, reading back the text given, and the same bytes."""

from __future__ import annotations

import datetime as dt
import tempfile
import zipfile
from pathlib import Path

import pytest
from docx.shared import Cm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline.word import blank, housestyle, ooxml

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# Text no workbook cell may hold (validation refuses it) as well as text it may: controls,
# lone surrogates, what ends a CDATA section, markup, escapes as a spreadsheet writes them,
# right-to-left text and its overrides, line breaks and tabs.
HOSTILE = st.one_of(
    st.text(st.characters(exclude_categories=()), max_size=40),
    st.lists(
        st.sampled_from(
            ["]]>", "&", "<", ">", "&amp;", "_x0000_", "\x00", "\x0b", "\ud800", "\udfff", "\ufffe", "\r", "\n", "\t"]
        )
        | st.sampled_from(["مرحبا", "\u202e", "שלום", "a", " ", '"', "'"]),
        max_size=20,
    ).map("".join),
)


def _parts(texts: list[str], streamed: bool) -> dict[str, bytes]:
    """The document and footnotes parts of a document holding a paragraph and a table row for
    each of `texts`, each footnoted with it: its blocks kept in the tree, or `streamed`."""
    document = blank.document(None).document
    housestyle.apply(document, False, Cm(16), Cm(25))
    body = ooxml.Body(document)
    notes = ooxml.Footnotes(body, "footnote text", "footnote reference")
    spilled: tuple[ooxml.Spill, ...] = ()
    if streamed:
        spilled = (ooxml.Spill(document.element.body, "word/document.xml"), ooxml.Spill(notes.element, "word/footnotes.xml"))
        spilled[0].start(document.element.body.sectPr)
        spilled[1].start(None)
        body.write_out(spilled[0], lambda counted: None)
        notes.write_out(spilled[1])
    for text in texts:
        body.paragraph("Body Text", text, notes=(text,), complete=True)
        table = body.table(2)
        body.table_row(table, [Cm(4), Cm(4)], [("Table Text", text), ("Table Text", ("x", "Strong"))], notes=[(text,), ()])
        body.end_table(table)
    if streamed:
        body.finish_writing_out()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "written.docx"
        ooxml.save_atomically(document, path, dt.datetime(2024, 1, 1), spilled)
        for spill in spilled:
            spill.close()
        with zipfile.ZipFile(path) as package:
            return {name: package.read(name) for name in ("word/document.xml", "word/footnotes.xml")}


def _read_back(paragraph) -> str:
    """A paragraph's text as a reader takes it: its text, tabs and line breaks, in order."""
    shown = {f"{W}t": lambda e: e.text or "", f"{W}tab": lambda e: "\t", f"{W}br": lambda e: "\n"}
    return "".join(shown[e.tag](e) for e in paragraph.iter(*shown))


def test_hostile_text_gives_a_part_that_parses_and_reads_back_the_same_from_the_tree_or_written_out():
    """The property below on its fixed example, every kind of hostile text in one and a text
    100,000 characters long: make test-fast runs this, make test the property's forty too."""
    _round_trips(["]]>&<\x00\ud800_x0000_\u202eمرحبا\r\n\t" * 3, "x" * 100_000])


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(HOSTILE, min_size=1, max_size=4))
def test_any_text_gives_a_part_that_parses_and_reads_back_the_same_from_the_tree_or_written_out(texts):
    _round_trips(texts)


def _round_trips(texts: list[str]) -> None:
    tree, streamed = _parts(texts, streamed=False), _parts(texts, streamed=True)
    assert tree == streamed
    expected = [ooxml.xml_text(text) for text in texts]
    body = etree.fromstring(tree["word/document.xml"]).find(f"{W}body")
    paragraphs = [p for p in body if p.tag == f"{W}p"]
    cells = [row.find(f"{W}tc/{W}p") for row in body.iter(f"{W}tr")]
    assert [_read_back(p) for p in paragraphs] == expected
    assert [_read_back(p) for p in cells] == expected
    notes = [n for n in etree.fromstring(tree["word/footnotes.xml"]) if n.get(f"{W}type") is None]
    assert [_read_back(n) for n in notes] == [f" {text}" for text in expected for _ in range(2)]
    # Notes saying the same are made once and copied: each copy is a note of its own.
    assert [n.get(f"{W}id") for n in notes] == [str(number) for number in range(1, 2 * len(texts) + 1)]


def test_the_page_count_measures_text_as_it_prints_wider_in_other_scripts():
    # Line breaks and tabs are elements, not text; Cyrillic and Persian letters print wider
    # than Latin ones, their spaces and punctuation not.
    assert ooxml.printed_length("a line\tand\nanother") == 16
    assert ooxml.printed_length("Café – «naïve»") == 14
    assert ooxml.printed_length("Мир мир") == pytest.approx(6 * ooxml.WIDER_SCRIPT + 1)
    assert ooxml.printed_length("روابط ما") == pytest.approx(7 * ooxml.WIDER_SCRIPT + 1)
