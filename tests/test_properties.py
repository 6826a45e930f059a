"""Properties over any cell an analyst (or another program) can put in the workbook: it either
validates, and then builds a briefing that shows it, or it fails with a problem located at that
cell. Never a crash.

Each example writes a workbook, loads, validates and maybe builds it, so the examples are few
(`PROPERTIES`) and the chart is kept only where the changed cell feeds one.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import math
import re
import tempfile
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from lxml import etree
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from pipeline.briefing import model
from pipeline.catalogue import Severity, errors
from pipeline.characters import held, unheld
from pipeline.checks.validate import validate
from pipeline.cli import main
from pipeline.contract import SHEETS, ColumnType, sheet
from pipeline.dates import PartialDate
from pipeline.word import render
from pipeline.workbook.load import load

from .conftest import VALID, repacked, valid, write_workbook

PROPERTIES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


EXCEL_CELL_LIMIT = 32_767
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# --- the workbook ------------------------------------------------------------------------------


# The row whose cells are changed: in Statements the quote, which prints who said it.
_ROW = {"Statements": 1}


def place(book: dict, sheet_name: str, column: str, value: object) -> str:
    """Put `value` in one row's `column` (a field, in Briefing); return its cell."""
    if sheet_name == "Briefing":
        book["Briefing"][column] = value
        return f"B{list(book['Briefing']).index(column) + 2}"
    row = _ROW.get(sheet_name, 0)
    book[sheet_name][row][column] = value
    names = [c.name for s in SHEETS if s.name == sheet_name for c in s.columns]
    return f"{get_column_letter(names.index(column) + 1)}{row + 2}"


def with_value(sheet_name: str, column: str, value: object) -> tuple[dict, str]:
    """The valid test workbook with `value` in one cell. The chart is kept only when the cell
    is one a chart shows."""
    book = copy.deepcopy(VALID)
    if sheet_name in ("Charts", "Figures"):
        book["Charts"][0]["figures"] = "F01"  # plotted alone: a changed unit mixes no units
    else:
        del book["Charts"]
    return book, place(book, sheet_name, column, value)


# Rules that judge a cell together with another: a change to one may be reported at the other
# (an as_of moved back makes later events wrong; the second of two equal texts is the one flagged).
_PAIRED = {"after-as-of", "published-after-accessed", "duplicate-text"}


def check_located(problems, sheet_name: str, cell: str) -> None:
    """Every problem names its sheet and cell and says what is wrong; every error is at the
    changed cell, or comes from a rule that pairs it with another cell."""
    for problem in problems:
        assert problem.sheet and problem.cell and problem.message.strip(), problem
        assert problem.location == f"{problem.sheet}!{problem.cell}"
        if problem.severity == Severity.ERROR and problem.code not in _PAIRED:
            assert (problem.sheet, problem.cell) == (sheet_name, cell), problem


def docx_text(path: Path) -> str:
    """All the text a reader sees: body, footnotes, header and footer, with breaks and tabs."""
    docx.Document(path)  # python-docx can open it
    paragraphs = []
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if not re.fullmatch(r"word/(document|footnotes|header\d*|footer\d*)\.xml", name):
                continue
            for paragraph in etree.fromstring(package.read(name)).iter(f"{W}p"):
                pieces = []
                for element in paragraph.iter(f"{W}t", f"{W}br", f"{W}tab"):
                    pieces.append(element.text or "" if element.tag == f"{W}t" else "\n" if element.tag == f"{W}br" else "\t")
                paragraphs.append("".join(pieces))
    return "\n".join(paragraphs)


def build(workbook, folder: Path) -> str:
    out = folder / "briefing.docx"
    render.write(model.build(valid(workbook)), out)
    return docx_text(out)


def spaced(text: str) -> str:
    return " ".join(text.split())


# --- text --------------------------------------------------------------------------------------

# What openpyxl can write: no lone surrogates, no XML-illegal characters (Excel stores those as
# _xHHHH_ escapes, generated below).
_WRITABLE = st.characters(
    blacklist_categories=("Cs",),
    blacklist_characters="".join(chr(n) for n in range(0x20) if ILLEGAL_CHARACTERS_RE.match(chr(n))) + "\ufffe\uffff",
)
_SAMPLES = (
    "روابط ایران و روسیه",  # Persian, right to left
    "Российско-иранские отношения",
    "🚀🛰️ drones 👩🏽‍🔬",
    "\u202eright-to-left override",
    "$x$ and \\frac",  # TeX to a charting library
    "<b>&amp;</b> ]]>",
    "  leading and trailing  ",
    "line\nbreak\r\nand\ttab",
    "_x005F_x0041_",  # Excel's escaped literal
    "=1+1",  # openpyxl writes it as a formula that was never calculated
    "'quoted",
    "\u00a0",
)
_fragment = st.one_of(
    st.text(_WRITABLE, max_size=12),
    st.sampled_from(_SAMPLES),
    st.integers(0, 0xFFFF).map(lambda n: f"_x{n:04X}_"),  # any character, as Excel escapes it
)
_long_text = st.text(_WRITABLE, min_size=1, max_size=4).map(lambda s: (s * EXCEL_CELL_LIMIT)[:EXCEL_CELL_LIMIT])
cell_texts = st.one_of(st.lists(_fragment, max_size=6).map("".join), _long_text)

TEXT_CELLS = [(s.name, c.name) for s in SHEETS for c in s.columns if c.type is ColumnType.TEXT]


@pytest.mark.slow
@PROPERTIES
@given(st.sampled_from(TEXT_CELLS), cell_texts)
@example(("Statements", "text"), "_xD800_ a lone surrogate")  # was accepted, then broke the build
@example(("Statements", "text"), "_x001C_")  # was trimmed to nothing and accepted
@example(("Briefing", "title"), "T" * EXCEL_CELL_LIMIT)  # longer than a document property holds
@example(("Figures", "unit"), "$\\frac$ bn")  # was read as TeX by the chart
def test_any_text_validates_and_shows_or_fails_at_its_cell(target, text):
    sheet_name, column = target
    book, cell = with_value(sheet_name, column, text)
    with tempfile.TemporaryDirectory() as folder:
        path = write_workbook(Path(folder) / "book.xlsx", book)
        workbook = load(path)
        problems = validate(workbook)
        check_located(problems, sheet_name, cell)
        if errors(problems):
            assert main(["validate", str(path)]) == 1
            return
        shown = build(workbook, Path(folder))
    typed = next(c for r in workbook.records(sheet_name) for c in r.cells.values() if c.ref == cell).value
    assert typed or not sheet(sheet_name).column(column).required
    if typed and not sheet(sheet_name).column(column).about_changes:  # printed with a change, and a first edition has none
        # Sentences in footnotes begin with a capital letter.
        assert spaced(typed) in spaced(shown) or spaced(typed[:1].upper() + typed[1:]) in spaced(shown)


# --- numbers -----------------------------------------------------------------------------------

cell_numbers = st.one_of(
    st.integers(-(10**300), 10**300),  # openpyxl writes an integer as a float: it must fit one
    st.floats(),
    st.booleans(),
    st.from_regex(r"-?[\d,. ]{1,12}(bn| USD|%)?", fullmatch=True),
    st.text(_WRITABLE, max_size=10),
)


@pytest.mark.slow
@PROPERTIES
@given(cell_numbers)
@example(float("nan"))
def test_a_value_cell_is_a_number_or_a_located_not_a_number(value):
    book, cell = with_value("Figures", "value", value)
    with tempfile.TemporaryDirectory() as folder:
        workbook = load(write_workbook(Path(folder) / "book.xlsx", book))
        problems = validate(workbook)
        check_located(problems, "Figures", cell)
        typed = workbook.records("Figures")[0].value("value")
        if errors(problems):
            assert [p.code for p in errors(problems)] in (
                ["not-a-number"],
                ["number-too-large"],
                ["required"],
                ["formula-without-value"],
            )
            return
        assert isinstance(typed, float) and math.isfinite(typed)
        # openpyxl writes a float with 16 significant digits, so the last may differ.
        assert not isinstance(value, bool) and math.isclose(typed, float(value), rel_tol=1e-15)
        build(workbook, Path(folder))


# --- dates -------------------------------------------------------------------------------------

# Excel's dates run from 1900 (its leap-year bug makes the first two months odd) to 9999.
cell_dates = st.one_of(
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(9999, 12, 31)),
    st.dates(dt.date(1900, 3, 1), dt.date(9999, 12, 31)),
    st.from_regex(r" ?\d{1,5}(-\d{1,3}(-\d{1,3})?)? ?", fullmatch=True),
    st.integers(-10, 100_000),
    st.floats(),
    st.text(_WRITABLE, max_size=10),
)
DATE_CELLS = [(s.name, c.name, c.type) for s in SHEETS for c in s.columns if c.type in (ColumnType.DATE, ColumnType.PARTIAL_DATE)]


@pytest.mark.slow
@PROPERTIES
@given(st.sampled_from(DATE_CELLS), cell_dates)
@example(("Events", "date", ColumnType.PARTIAL_DATE), "0000-05")  # year 0: broke the build
@example(("Briefing", "as_of", ColumnType.DATE), dt.date(2108, 1, 1))  # past the zip format's dates
def test_a_date_cell_is_a_date_or_a_located_problem(target, value):
    sheet_name, column, kind = target
    book, cell = with_value(sheet_name, column, value)
    with tempfile.TemporaryDirectory() as folder:
        workbook = load(write_workbook(Path(folder) / "book.xlsx", book))
        problems = validate(workbook)
        check_located(problems, sheet_name, cell)
        if errors(problems):
            assert {p.code for p in errors(problems)} <= {
                "bad-date",
                "incomplete-date",
                "required",
                "formula-without-value",
            } | _PAIRED
            return
        typed = next(c for r in workbook.records(sheet_name) for c in r.cells.values() if c.ref == cell).value
        assert typed is None or isinstance(typed, dt.date if kind is ColumnType.DATE else PartialDate)
        build(workbook, Path(folder))


def test_an_integer_past_any_float_is_a_located_not_a_number(tmp_path):
    """openpyxl cannot write one, but another program can, and openpyxl reads it as an int."""
    book, cell = with_value("Figures", "value", 12345)
    written = write_workbook(tmp_path / "written.xlsx", book)

    def huge_value(figures: bytes) -> bytes:
        assert b"<v>12345</v>" in figures
        return figures.replace(b"<v>12345</v>", b"<v>" + b"9" * 400 + b"</v>")

    huge = repacked(written, tmp_path / "huge.xlsx", {"xl/worksheets/sheet4.xml": huge_value})  # Figures
    problems = validate(load(huge))
    check_located(problems, "Figures", cell)
    assert [p.code for p in problems] == ["not-a-number"]


# --- words of likelihood -----------------------------------------------------------------------

# How each band of ICD 203 may be written: its term, its paired synonym, their inflections.
_BAND_WORDS = {
    "almost no chance": ("almost no chance", "a remote chance", "the prospect is remote"),
    "very unlikely": ("very unlikely", "highly improbable", "highly improbably"),
    "unlikely": ("unlikely", "improbable", "improbably"),
    "roughly even chance": ("roughly even chance", "roughly even odds"),
    "likely": ("likely", "probable", "probably"),
    "very likely": ("very likely", "highly probable", "highly probably"),
    "almost certain": ("almost certain", "almost certainly", "nearly certain", "nearly certainly"),
}
# Other words, kept apart from the band's words by full stops, so that a random "very" cannot
# turn "likely" into "very likely".
_filler = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz "), max_size=30)
_casing = st.sampled_from([str.lower, str.upper, str.capitalize, str.title])


def test_every_band_of_the_contract_has_its_words():
    from pipeline.contract import LIKELIHOOD

    assert set(_BAND_WORDS) == {c.value for c in LIKELIHOOD}


@pytest.mark.slow
@PROPERTIES
@given(
    st.sampled_from(sorted(_BAND_WORDS)),
    st.sampled_from(sorted(_BAND_WORDS)).flatmap(lambda band: st.tuples(st.just(band), st.sampled_from(_BAND_WORDS[band]))),
    st.booleans(),
    _filler,
    _filler,
    _casing,
)
def test_an_assessment_in_another_bands_words_is_refused(stated, other, with_own_word, before, after, casing):
    band, words = other
    assume(band != stated)  # an assessment in its own band's words is the valid case
    own = f" {_BAND_WORDS[stated][0]}." if with_own_word else ""
    text = f"{before}.{own} {casing(words)}. {after}"
    book = copy.deepcopy(VALID)
    del book["Charts"]
    book["Statements"][2].update(text=text, likelihood=stated)
    with tempfile.TemporaryDirectory() as folder:
        found = errors(validate(load(write_workbook(Path(folder) / "book.xlsx", book))))
    assert [(p.sheet, p.cell, p.code) for p in found] == [("Statements", "C4", "likelihood-mismatch")], text
    # The message names the word of another band (the filler may hold one too) and the stated one.
    message = found[0].message
    assert "which is " in message and f"which is {stated} (" not in message and f"likelihood is {stated} (" in message


# --- bad cells at random places ----------------------------------------------------------------

# A value each column type refuses, and the code it is refused with. The workbook's columns are
# typed and checked a whole column at a time: a bad cell among many good ones must still be
# reported at its own cell.
_BAD = {
    ColumnType.TEXT: (
        ("a\u202eb", "bidi-control"),
        (True, "wrong-type"),
        (dt.datetime(2022, 7, 1), "date-in-text-column"),
        ("_x0001_", "control-character"),
        ("=1+1", "formula-without-value"),
    ),
    ColumnType.ID: (("a b", "bad-id"), ("=1+1", "formula-without-value")),
    ColumnType.NUMBER: (("4,0", "not-a-number"), (1e16, "number-too-large")),
    ColumnType.INTEGER: ((1.5, "not-a-whole-number"), ("x", "not-a-number")),
    ColumnType.PARTIAL_DATE: (("2022-13", "bad-date"),),
    ColumnType.DATE: (("2022", "incomplete-date"), ("2022-02-30", "bad-date")),
    ColumnType.FLAG: (("maybe", "not-allowed"),),
    ColumnType.CHOICE: (("nonsense", "not-allowed"),),
}
# Ids other rows name are left alone: a bad one would also be reported where it is named.
_NAMED = {("Sections", "section_id"), ("Sources", "source_id")}
_TABLES = ("Sections", "Sources", "Figures", "Statements", "Events")
_BAD_CELLS = [
    (s.name, c.name, value, code)
    for s in SHEETS
    if s.name in _TABLES
    for c in s.columns
    if (s.name, c.name) not in _NAMED
    for value, code in (*_BAD[c.type], *(((None, "required"),) if c.required else ()))
]


def many_rows(rows: int) -> dict:
    """A valid workbook of `rows` rows in each table, every text its own, and no locators (a
    locator whose source_id is blanked is a problem of its own, at the locator)."""
    book = copy.deepcopy(VALID)
    del book["Charts"]
    book["Sections"] = [dict(VALID["Sections"][1], section_id=f"sec{i}", order=i, heading=f"Section {i}") for i in range(rows)]
    book["Sources"] = [dict(VALID["Sources"][0], source_id=f"S{i}", title=f"Article {i}") for i in range(rows)]
    book["Figures"] = [
        dict(
            VALID["Figures"][0],
            figure_id=f"F{i}",
            section_id=f"sec{i}",
            indicator=f"Indicator {i}",
            source_id=f"S{i}",
            key="N",
            locator=None,
        )
        for i in range(rows)
    ]
    book["Statements"] = [
        dict(
            VALID["Statements"][0],
            statement_id=f"ST{i}",
            section_id=f"sec{i}",
            text=f"Statement {i} was made.",
            source_id=f"S{i}",
        )
        for i in range(rows)
    ]
    book["Statements"][0].update(
        VALID["Statements"][2], statement_id="ST0", section_id="sec0", source_id="S0"
    )  # the key judgement
    book["Outlook"] = [dict(VALID["Outlook"][0], bears_on="ST0")]
    book["Events"] = [
        dict(VALID["Events"][0], event_id=f"E{i}", section_id=f"sec{i}", event=f"Event {i}.", source_id=f"S{i}")
        for i in range(rows)
    ]
    return book


_MANY = 30


@pytest.mark.slow
@PROPERTIES
@given(
    st.lists(
        st.tuples(st.sampled_from(_BAD_CELLS), st.integers(1, _MANY - 1)),
        min_size=1,
        max_size=10,
        unique_by=lambda t: (t[0][:2], t[1]),
    )
)
def test_bad_cells_at_random_places_are_each_reported_at_their_own_cell_with_their_code(placed):
    book = many_rows(_MANY)
    expected = {}
    for (sheet_name, column, value, code), row in placed:
        book[sheet_name][row][column] = value
        names = [c.name for c in sheet(sheet_name).columns]
        expected[(sheet_name, f"{get_column_letter(names.index(column) + 1)}{row + 2}")] = code
    with tempfile.TemporaryDirectory() as folder:
        problems = validate(load(write_workbook(Path(folder) / "book.xlsx", book)))
    found = {(p.sheet, p.cell): p.code for p in errors(problems)}
    assert len(errors(problems)) == len(found)  # one error to a cell
    assert found == expected


def test_the_many_rows_workbook_is_valid():
    with tempfile.TemporaryDirectory() as folder:
        assert errors(validate(load(write_workbook(Path(folder) / "book.xlsx", many_rows(_MANY))))) == []


@pytest.mark.slow
@PROPERTIES
@given(
    st.sampled_from([c for s in SHEETS if not s.key_value for c in s.columns if c.type in (ColumnType.TEXT, ColumnType.ID)]),
    st.lists(st.one_of(st.none(), cell_texts, st.sampled_from(["S1", "a-b.c_d", "x y", "S1, S2"])), max_size=12),
)
@example(sheet("Sections").column("section_id"), ["a" * 2_501])  # was warned of as a long text, which only text is
def test_a_column_typed_at_once_is_typed_as_its_cells_one_by_one(column, raws):
    """Typing a whole text or id column in one search is only a quicker way to the same values
    and problems as typing each cell."""
    from pipeline.workbook.layout import RawSheet
    from pipeline.workbook.load import _typed_column, typed_value

    raw = RawSheet(sheet("Statements"), "Statements", 1, [], {column.name: 1}, list(range(2, len(raws) + 2)), {column.name: raws})
    typed = _typed_column(raw, column.name, "A", column)
    one_by_one = [typed_value(value, "", column) for value in raws]
    assert typed.values == [value for value, _, _ in one_by_one]
    assert typed.issues == {i: issue for i, (_, issue, _) in enumerate(one_by_one) if issue}
    assert typed.notes == {i: notes for i, (_, _, notes) in enumerate(one_by_one) if notes}


@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("\u202e\u2066\u200b\u00a0\x0b\ufeff\u3000\ud800 \n")))
@example("\u00a0")
@example("\u200b\u202e")
def test_what_review_writes_of_any_text_is_what_the_next_build_reads(text):
    """`characters.held`, by which review writes an editor's text, and `characters.unheld`, by
    which the next build refuses what a cell may not hold, are one rule: held text is never
    refused, and text the build would read is written as it is."""
    assert unheld([held(text)]) is None
    assert (held(text) == text) == (unheld([text]) is None)


# The likelihood band's search as first written: plain, and quadratic in a run of digits or spaces.
_PLAIN_BAND = re.compile(r"[≤≥<>]?\s*\d+(?:\s*[–-]\s*\d+)?\s*%")


@given(st.text(alphabet="09 \t-–%≤<>a(", max_size=24))
@settings(max_examples=500, deadline=None)
def test_the_likelihood_band_is_found_where_the_plain_pattern_finds_it(text):
    """The band's pattern, written to take linear time, finds every band the plain one does,
    at the same place: the numbers a likelihood scale gives are still told from the data's."""
    from pipeline.checks.validate import _BAND

    assert [m.span() for m in _BAND.finditer(text)] == [m.span() for m in _PLAIN_BAND.finditer(text)]


@functools.cache
def _pieces_with_any_mark() -> re.Pattern[str]:
    """The redline's pattern for cutting a text, made of every combining mark Unicode has
    (categories Mn, Mc, Me) as ranges of a character class."""
    ranges: list[list[int]] = []
    for code in range(0x110000):
        if unicodedata.category(chr(code))[0] == "M":
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    word = f"[\\w{''.join(f'{re.escape(chr(first))}-{re.escape(chr(last))}' for first, last in ranges)}]+"
    return re.compile(f"{word}(?:[.,'\u2019\u2013-]{word})*|\\s+|[^\\w\\s]")


@given(
    st.text(
        alphabet=st.characters(codec="utf-8")
        | st.sampled_from("\u0301\u064e\u0650\u093f\u094d\u200d\ufe0f\U000e0100\u20dd.,'’–- ")
    )
)
@example("वह किताब देती है and كَتَبَ")
def test_a_text_is_cut_into_words_with_their_marks_as_a_pattern_of_every_mark_cuts_it(text):
    """The redline cuts a text with a pattern made of the combining marks the text holds: the
    same pieces as a pattern of every mark Unicode has gives, a mark never cut from its word."""
    from pipeline.word.redline import _pieces

    assert _pieces(text) == _pieces_with_any_mark().findall(text)
