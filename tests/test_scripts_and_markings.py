"""A briefing as its readers expect it in their script and under its marking: right-to-left
quotes set right to left in a font that has their letters, each quote in one pair of its own
quotation marks and tagged with its language, a translation beside it; the document's
language set; a TLP label in the standard's colours with its handling sentence."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import docx
import pytest
from openpyxl.utils import get_column_letter

from pipeline import languages
from pipeline.briefing import model, wording
from pipeline.checks.validate import validate
from pipeline.contract import sheet
from pipeline.word import housestyle, ooxml, render
from pipeline.workbook.load import load

from .conftest import PERSIAN, ROOT, RUSSIAN, check_docx, valid

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _paragraph(document, text: str):
    return next(p for p in document.paragraphs if text in p.text)


def _run_properties(paragraph, text: str):
    run = next(r for r in paragraph._p.iter(f"{W}r") if text in "".join(t.text or "" for t in r.iter(f"{W}t")))
    return run.find(f"{W}rPr")


def test_a_persian_quote_reads_right_to_left_in_a_font_with_its_letters(multilingual_docx):
    document = docx.Document(multilingual_docx)
    paragraphs = document.paragraphs
    at, paragraph = next((n, p) for n, p in enumerate(paragraphs) if PERSIAN in p.text)
    assert paragraph._p.pPr.find(f"{W}bidi") is not None  # mainly Persian: laid out right to left
    properties = _run_properties(paragraph, PERSIAN)
    assert properties.find(f"{W}rtl") is not None
    assert properties.find(f"{W}lang").get(f"{W}bidi") == "fa-IR"
    # The quote's marks sit inside the right-to-left run, between right-to-left marks, so that
    # each shows at its own end in any reader, the opening one beside the first word.
    rlm = languages.RIGHT_TO_LEFT_MARK
    assert "".join(t.text for t in properties.getparent().iter(f"{W}t")) == f"{rlm}\u00ab{PERSIAN}\u00bb{rlm}"
    # Its letters are set in the style's complex-script font, one that has Arabic script.
    assert (
        ooxml.style_font(document, paragraph.style.name, complex_script=True) == housestyle.DEFAULT_FONTS[housestyle.BODY].complex
    )
    # The attribution stays left to right, after the quote.
    assert _run_properties(paragraph, "Raisi").find(f"{W}rtl") is None
    following = paragraphs[at + 1]
    assert following.style.name == "Quote Translation"
    assert following.text == "Translated from Persian: \u201cOur relations with Russia are strategic.\u201d"


def test_a_russian_quote_has_one_pair_of_its_own_marks_and_its_language(multilingual_docx):
    document = docx.Document(multilingual_docx)
    paragraph = _paragraph(document, RUSSIAN)
    assert paragraph.text.startswith(f"\u00ab{RUSSIAN}\u00bb \u2014 Sergei Lavrov")
    assert "\u201c" not in paragraph.text
    properties = _run_properties(paragraph, RUSSIAN)
    assert properties.find(f"{W}lang").get(f"{W}val") == "ru-RU" and properties.find(f"{W}rtl") is None
    assert paragraph._p.pPr.find(f"{W}bidi") is None
    english = _paragraph(document, "profound threat")
    assert english.text.startswith("\u201cprofound threat\u201d")


def test_complex_script_text_is_never_slanted(multilingual_docx):
    styles = docx.Document(multilingual_docx).styles
    for style in styles:
        if style.type in (1, 2) and style.font.italic:
            complex_italic = style.element.rPr.find(f"{W}iCs")
            assert complex_italic is not None and complex_italic.get(f"{W}val") in ("0", "false"), style.name


def test_the_document_has_its_language(book, write, tmp_path):
    path = tmp_path / "out.docx"
    render.write(model.build(valid(load(write(book)))), path)
    document = docx.Document(path)
    defaults = document.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert defaults.get(f"{W}val") == "en-GB" and document.core_properties.language == "en-GB"
    book["Briefing"]["language"] = "en-US"
    render.write(model.build(valid(load(write(book)))), path)
    document = docx.Document(path)
    assert document.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang").get(f"{W}val") == "en-US"


def test_a_quote_in_another_language_without_translation_is_a_warning_at_its_cell(book, write):
    book["Statements"][1]["text"] = PERSIAN
    problems = validate(load(write(book)))
    column = get_column_letter([c.name for c in sheet("Statements").columns].index("translation") + 1)
    assert [(p.code, p.severity, p.sheet, p.cell) for p in problems] == [
        ("untranslated-quote", "warning", "Statements", f"{column}3")
    ]
    assert "Persian" in problems[0].message
    book["Statements"][1]["translation"] = "Our relations with Russia are strategic."
    assert validate(load(write(book))) == []


def test_a_quote_in_the_briefings_language_needs_no_translation(book, write):
    book["Statements"][1]["text"] = "We stand by our partners."
    assert validate(load(write(book))) == []


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (PERSIAN, "fa-IR"),
        ("\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645", "ar-SA"),
        (RUSSIAN, "ru-RU"),
        (
            "\u041c\u0438 \u0431\u0443\u0434\u0435\u043c\u043e \u0441\u043f\u0456\u0432\u043f\u0440\u0430\u0446\u044e\u0432\u0430\u0442\u0438",
            "uk-UA",
        ),
        ("\u05e9\u05dc\u05d5\u05dd", "he-IL"),
        ("Plain English words", "en-GB"),
        ("", "en-GB"),
    ],
)
def test_a_texts_language_is_told_by_its_script(text, language):
    assert languages.language_of(text) == language


def test_text_is_cut_where_its_direction_changes():
    mixed = f"The slogan \u00ab{PERSIAN}\u00bb was heard"
    pieces = languages.directional_runs(mixed, right_to_left_paragraph=False)
    assert pieces == (("The slogan \u00ab", False), (PERSIAN, True), ("\u00bb was heard", False))
    assert languages.directional_runs(f"\u00ab{PERSIAN}\u00bb", right_to_left_paragraph=True) == (
        (f"\u00ab{PERSIAN}\u00bb", True),
    )


@pytest.mark.parametrize(
    ("marking", "colour"),
    [
        ("TLP:RED", "FF2B2B"),
        ("TLP:AMBER", "FFC000"),
        ("TLP:AMBER+STRICT", "FFC000"),
        ("TLP:GREEN", "33FF00"),
        ("tlp:clear", "FFFFFF"),
    ],
)
def test_each_tlp_label_is_printed_in_its_colours_with_its_handling(book, write, tmp_path, marking, colour):
    book["Briefing"]["marking"] = marking
    path = tmp_path / "out.docx"
    briefing = model.build(valid(load(write(book))))
    render.write(briefing, path)
    document = docx.Document(path)
    cover = document.paragraphs[0]
    assert cover.text == marking.upper()
    (run,) = cover.runs
    style = run.style
    assert str(style.font.color.rgb) == colour
    shading = style.element.rPr.find(f"{W}shd")
    assert shading.get(f"{W}fill") == "000000"  # on black
    header = document.sections[0].header.paragraphs[0].runs[0]
    assert header.style.name == style.name
    handling = [p.text for p in document.paragraphs if p.style.name == "Handling Note"]
    assert handling == [f"Handling. {wording.HANDLING[briefing.tlp]}"]


def test_another_marking_is_printed_as_given_in_a_neutral_style(book, write, tmp_path):
    book["Briefing"]["marking"] = "OFFICIAL-SENSITIVE"
    path = tmp_path / "out.docx"
    render.write(model.build(valid(load(write(book)))), path)
    document = docx.Document(path)
    (run,) = document.paragraphs[0].runs
    assert document.paragraphs[0].text == "OFFICIAL-SENSITIVE" and run.style.name == "Marking Char"
    assert run.style.element.rPr.find(f"{W}shd") is None
    assert not [p for p in document.paragraphs if p.style.name == "Handling Note"]
    assert document.core_properties.keywords == "OFFICIAL-SENSITIVE"


def test_every_part_passes_the_schema_check(sample_docx, multilingual_docx, long_docx):
    for path in (sample_docx, multilingual_docx, long_docx):
        check_docx(path)


@pytest.mark.slow
def test_the_same_workbook_gives_the_same_bytes_whatever_fonts_the_machine_has(book, write, tmp_path):
    """Nothing of the building machine's fonts goes into the document: build a briefing short
    enough to need no layout pass (LibreOffice will not start without fonts) where fontconfig
    finds the usual fonts and where it finds none, and compare."""
    workbook = write(book)
    empty = tmp_path / "fonts.conf"
    empty.write_text('<?xml version="1.0"?>\n<fontconfig><dir>/nonexistent</dir></fontconfig>\n')
    built = []
    for name, environment in (("usual", {}), ("no-fonts", {"FONTCONFIG_FILE": str(empty)})):
        out = tmp_path / f"{name}.docx"
        subprocess.run(
            [sys.executable, "-m", "pipeline", "build", str(workbook), "-o", str(out)],
            check=True,
            capture_output=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), **environment},
        )
        built.append(out.read_bytes())
    assert built[0] == built[1]
    with zipfile.ZipFile(tmp_path / "usual.docx") as package:
        assert not [name for name in package.namelist() if name.startswith("word/media/")]  # no pictures drawn here
