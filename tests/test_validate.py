"""Each validation rule, on a workbook built here and broken in one way: the exact sheet,
cell and code reported."""

from __future__ import annotations

import datetime as dt
import re
import time
import zipfile

import pytest

from pipeline.catalogue import Severity, errors
from pipeline.checks.validate import validate
from pipeline.workbook.cells import decoded
from pipeline.workbook.load import load

from .conftest import valid


def problems(path):
    return validate(load(path))


def located(found):
    return [(p.severity, p.sheet, p.cell, p.code) for p in found]


def test_the_valid_workbook_has_no_problems(book, write):
    assert problems(write(book)) == []


def test_missing_sheet_is_named_and_a_misspelling_is_suggested(book, write):
    del book["Sources"]
    path = write(book)
    found = problems(path)
    assert ("error", "Sources", None, "missing-sheet") in located(found)

    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb.create_sheet("source")
    wb.save(path)
    message = next(p.message for p in problems(path) if p.code == "missing-sheet")
    assert "Did you mean 'source'?" in message


def test_optional_charts_sheet_may_be_absent(book, write):
    del book["Charts"]
    assert problems(write(book)) == []


def test_missing_required_column_points_at_the_header_row(book, write):
    for row in book["Figures"]:
        del row["unit"]
    path = write(book)
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["Figures"]
    ws.delete_cols(5)  # the unit column
    ws.cell(1, 12, "units")  # a near miss
    wb.save(path)
    found = [p for p in problems(path) if p.code == "missing-column"]
    assert [(p.sheet, p.row, p.column) for p in found] == [("Figures", 1, "unit")]
    assert "Did you mean 'units'?" in found[0].message


def test_headers_match_ignoring_case_spaces_and_order(book, write):
    def rearrange(wb):
        ws = wb["Sources"]
        ws["A1"] = "  SOURCE_ID "
        ws.move_range("A1:A3", cols=12)  # column order is free: source_id now sits in column M
        ws["N1"] = "analyst comment"  # extra columns are allowed

    assert problems(edited(write(book), rearrange)) == []


def test_empty_required_cell(book, write):
    book["Figures"][0]["indicator"] = "  "
    assert located(problems(write(book))) == [(Severity.ERROR, "Figures", "C2", "required")]


def test_a_required_cell_holding_only_an_escaped_line_break_is_empty(book, write):
    book["Figures"][0]["indicator"] = "_x000D_"  # Excel's escape for a carriage return: it shows nothing
    assert (Severity.ERROR, "Figures", "C2", "required") in located(problems(write(book)))


@pytest.mark.parametrize("invisible", ["\u200b", "\u200e", "\u200f\u200b", "\ufeff ", "\u2066\u2069", "\u00ad"])
def test_a_required_cell_holding_only_invisible_characters_is_empty(book, write, invisible):
    """A title of a zero-width space or a direction mark alone prints nothing: it is missing."""
    book["Briefing"]["title"] = invisible
    book["Statements"][0]["text"] = invisible
    found = {(p.severity, p.code, p.message.split()[0]) for p in problems(write(book))}
    assert {("error", "required", "title"), ("error", "required", "text")} <= found


def test_a_row_holding_only_escaped_line_breaks_is_as_blank_as_it_looks(book, write):
    """A row whose only cell holds _x000D_ shows nothing in Excel: it is no data row asking for
    its required cells, as a row of spaces is none."""
    book["Statements"].append({"text": "_x000D_"})
    book["Statements"].append({"text": "  "})
    assert located(problems(write(book))) == []


def test_number_stored_as_text_is_an_error_with_a_suggestion(book, write):
    book["Figures"][0]["value"] = "4,0"
    book["Figures"][1]["value"] = "$14.8 bn"
    found = problems(write(book))
    assert located(found) == [
        (Severity.ERROR, "Figures", "D2", "not-a-number"),
        (Severity.ERROR, "Figures", "D3", "not-a-number"),
    ]
    assert "Did you mean 4?" in found[0].message
    assert "Did you mean 14.8?" in found[1].message


def test_whole_number_column_rejects_fractions(book, write):
    book["Sections"][0]["order"] = 1.5
    assert located(problems(write(book))) == [(Severity.ERROR, "Sections", "B2", "not-a-whole-number")]


@pytest.mark.parametrize(
    "value, message",
    [
        ("2022-13", "month 13"),
        ("2022-02-30", "does not exist"),
        ("Aug 2022", "YYYY-MM-DD"),
        ("9/8/2022", "YYYY-MM-DD"),
    ],
)
def test_bad_or_impossible_date(book, write, value, message):
    book["Events"][0]["date"] = value
    found = problems(write(book))
    assert located(found) == [(Severity.ERROR, "Events", "B2", "bad-date")]
    assert message in found[0].message


@pytest.mark.parametrize(
    "sheet, column, value, said",
    [
        (
            "Sources",
            "published",
            "5 Aug 2022",
            'holds "5 Aug 2022", which is not a date written as YYYY, YYYY-MM or YYYY-MM-DD. Did you mean 2022-08-05?',
        ),
        ("Sources", "published", "August 2022", "Did you mean 2022-08?"),
        ("Sources", "published", "05/08/2022", "Did you mean 2022-08-05 or 2022-05-08 (day first, or month first)?"),
        (
            "Briefing",
            "as_of",
            "31 Aug 2022",
            'holds "31 Aug 2022", which is not a date written as YYYY-MM-DD. Did you mean 2022-08-31?',
        ),
        ("Briefing", "as_of", "Aug 2022", "not a date written as YYYY-MM-DD. It names no day, and as_of needs a full date."),
    ],
)
def test_a_date_written_otherwise_is_refused_suggesting_what_to_type(book, write, sheet, column, value, said):
    if sheet == "Briefing":
        book[sheet][column] = value
    else:
        book[sheet][0][column] = value
    found = errors(problems(write(book)))
    assert [p.code for p in found] == ["bad-date"]
    assert said in found[0].message


def test_a_misspelt_choice_gets_the_closest_allowed_value_and_no_follow_on(book, write):
    book["Statements"][2].update(kind="asessment", likelihood="very likley")  # an assessment's row, confidence and all
    found = problems(write(book))
    assert [(p.column, p.code) for p in found] == [("kind", "not-allowed"), ("likelihood", "not-allowed")]
    assert found[0].message.endswith("must be one of: fact, quote, claim, assessment, view. Did you mean 'assessment'?")
    assert found[1].message.endswith("Did you mean 'very likely'?")


def test_partial_dates_are_legal_where_the_contract_allows(book, write):
    book["Events"][0]["date"] = 2015  # a year typed as a number
    book["Events"][1]["date"] = "2022-08"
    book["Sources"][0]["published"] = dt.datetime(2022, 8, 9)
    assert problems(write(book)) == []


def test_as_of_needs_a_full_date(book, write):
    book["Briefing"]["as_of"] = "2022-08"
    assert located(problems(write(book))) == [(Severity.ERROR, "Briefing", "B4", "incomplete-date")]


def test_value_outside_allowed_values(book, write):
    book["Statements"][0]["kind"] = "rumour"
    book["Sources"][0]["reliability"] = "G"
    found = problems(write(book))
    assert located(found) == [
        (Severity.ERROR, "Sources", "I2", "not-allowed"),
        (Severity.ERROR, "Statements", "D2", "not-allowed"),
    ]
    assert "fact, quote, claim, assessment" in found[1].message


def test_allowed_values_ignore_case(book, write):
    book["Statements"][0]["kind"] = "FACT"
    book["Sources"][0]["reliability"] = "b"
    book["Figures"][0]["key"] = "yes"
    book["Figures"][1]["key"] = True
    assert problems(write(book)) == []


def test_flag_rejects_other_words(book, write):
    book["Figures"][0]["key"] = "maybe"
    assert located(problems(write(book))) == [(Severity.ERROR, "Figures", "J2", "not-allowed")]


def test_duplicate_id_points_at_the_second_row_and_names_the_first(book, write):
    book["Figures"][1]["figure_id"] = "F01"
    del book["Charts"]
    found = problems(write(book))
    assert located(found) == [(Severity.ERROR, "Figures", "A3", "duplicate-id")]
    assert "Figures!A2" in found[0].message


def test_badly_formed_id(book, write):
    book["Statements"][0]["statement_id"] = "ST 01"
    assert located(problems(write(book))) == [(Severity.ERROR, "Statements", "A2", "bad-id")]


def test_a_badly_formed_reference_suggests_the_id_it_likely_means(book, write):
    book["Statements"][0]["source_id"] = "S 1"
    found = problems(write(book))
    assert located(found) == [(Severity.ERROR, "Statements", "G2", "bad-id")]
    assert found[0].message.endswith("Did you mean 'S1'?")


def test_reference_to_an_id_that_does_not_exist(book, write):
    book["Figures"][0]["source_id"] = "S9"
    book["Events"][0]["section_id"] = "dornes"
    found = problems(write(book))
    assert located(found) == [
        (Severity.ERROR, "Figures", "G2", "unknown-reference"),
        (Severity.ERROR, "Events", "C2", "unknown-reference"),
    ]
    assert "Did you mean 'drones'?" in found[1].message


def test_chart_must_name_existing_figures_of_one_unit(book, write):
    book["Charts"][0]["figures"] = "F01, F09"
    found = problems(write(book))
    assert located(found) == [(Severity.ERROR, "Charts", "E2", "unknown-reference")]
    assert "F09" in found[0].message

    book["Charts"][0]["figures"] = "F01, F02"
    book["Figures"][1]["unit"] = "%"
    found = problems(write(book))
    assert located(found) == [(Severity.ERROR, "Charts", "E2", "chart-mixed-units")]


def test_excel_error_values(book, write):
    book["Figures"][0]["value"] = "#REF!"
    book["Statements"][0]["text"] = "#N/A"
    found = problems(write(book))
    assert located(found) == [
        (Severity.ERROR, "Figures", "D2", "excel-error"),
        (Severity.ERROR, "Statements", "C2", "excel-error"),
    ]
    assert "#REF!" in found[0].message


def test_formula_without_a_cached_value(book, write):
    book["Figures"][0]["value"] = "=2+2"  # openpyxl writes formulas without results, as POI does
    assert located(problems(write(book))) == [(Severity.ERROR, "Figures", "D2", "formula-without-value")]


def test_formula_with_a_cached_value_is_read_as_its_value(book, write):
    book["Figures"][0]["value"] = "=2+2"
    path = write(book)
    _add_cached_value(path, "D2", "4")
    workbook = load(path)
    assert validate(workbook) == []
    assert workbook.records("Figures")[0].value("value") == 4.0


def _add_cached_value(path, ref, value):
    """Give a formula cell the result Excel would have stored when saving."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = next(n for n, data in parts.items() if n.startswith("xl/worksheets/") and b"2+2" in data)
    xml = parts[sheet].decode()
    xml = re.sub(rf'(<c r="{ref}"[^>]*>\s*<f>[^<]*</f>)\s*(<v\s*/>|<v></v>)?', rf"\1<v>{value}</v>", xml)
    parts[sheet] = xml.encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)


def test_quote_and_claim_need_attributed_to(book, write):
    book["Statements"][1]["attributed_to"] = None
    found = problems(write(book))
    assert located(found) == [(Severity.ERROR, "Statements", "E3", "required")]
    assert "quote or claim" in found[0].message


def test_assessment_needs_confidence(book, write):
    book["Statements"][2]["confidence"] = None
    assert located(problems(write(book))) == [(Severity.ERROR, "Statements", "J4", "required")]


def test_text_that_excel_turned_into_a_date(book, write):
    book["Figures"][0]["period"] = dt.datetime(2022, 7, 1)
    found = problems(write(book))
    assert located(found) == [(Severity.ERROR, "Figures", "F2", "date-in-text-column")]
    assert "apostrophe" in found[0].message


def test_control_characters_word_cannot_hold(book, write):
    # Excel stores a control character as an _xHHHH_ escape, which openpyxl hands over as it is.
    book["Statements"][0]["text"] = "Drone_x0007_ drills"
    book["Statements"][1]["text"] = "A literal _x005F_x0041_ and a line_x000D_\nbreak"
    workbook = load(write(book))
    assert located(validate(workbook)) == [(Severity.ERROR, "Statements", "C2", "control-character")]
    assert workbook.records("Statements")[1].value("text") == "A literal _x0041_ and a line\nbreak"


@pytest.mark.parametrize(
    "stored, shown",
    [
        ("tab_x0009_and vertical tab_x000B_", "tab\tand vertical tab\x0b"),
        ("_x000b_", "\x0b"),  # lower-case hex, as some programs write it
        ("_x0041_", "A"),
        ("_x005F_x0041_", "_x0041_"),  # an escaped underscore: the text _x0041_ as typed
        ("_x005F_x005F_", "_x005F_"),
        ("a line_x000D_\nbreak\rand another", "a line\nbreak\nand another"),
        ("_x41_, _xZZZZ_ and x0041_", "_x41_, _xZZZZ_ and x0041_"),  # not escapes: kept as they are
    ],
)
def test_excel_escapes_decode_as_excel_shows_them(stored, shown):
    assert decoded(stored) == shown


def test_briefing_fields(book, write):
    del book["Briefing"]["summary"]
    book["Briefing"]["titel"] = "typo"
    found = problems(write(book))
    assert located(found) == [
        (Severity.ERROR, "Briefing", None, "missing-field"),
        (Severity.WARNING, "Briefing", "A6", "unknown-field"),
    ]
    assert found[0].column == "summary"
    assert "Did you mean 'title'?" in found[1].message


def test_briefing_field_given_twice(book, write):
    path = write(book)
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb["Briefing"].append(["Title", "Another title"])
    wb.save(path)
    assert located(problems(path)) == [(Severity.ERROR, "Briefing", "A7", "duplicate-field")]


def test_problems_come_in_reading_order(book, write):
    book["Figures"][1]["figure_id"] = "F01"  # a duplicate, found after the whole sheet is read
    book["Figures"][1]["value"] = "n/a"
    book["Figures"][0]["unit"] = None
    del book["Charts"]
    found = problems(write(book))
    assert [p.cell for p in found] == ["E2", "A3", "D3"]


def test_every_problem_is_reported_at_once(book, write):
    book["Figures"][0]["value"] = "four"
    book["Figures"][1]["source_id"] = "S7"
    book["Events"][1]["date"] = "soon"
    del book["Sections"]
    codes = [p.code for p in problems(write(book))]
    assert sorted(codes) == sorted(["missing-sheet", "not-a-number", "unknown-reference", "bad-date"])


def test_blank_rows_inside_the_data_are_skipped_with_one_warning(book, write):
    path = write(book)
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb["Figures"].append([])
    wb["Figures"].append([None, "  "])
    wb["Figures"].append(["F03", "trade", "Later", 1, "%", "2022", "S1"])
    wb["Figures"].append([])  # below the data: not a gap
    wb.save(path)
    workbook = load(path)
    assert located(validate(workbook)) == [(Severity.WARNING, "Figures", None, "blank-rows")]
    assert validate(workbook)[0].row == 4 and "Rows 4–5" in validate(workbook)[0].message
    assert [r.row for r in workbook.records("Figures")] == [2, 3, 6]


# --- layout -----------------------------------------------------------------------------------


def edited(path, change):
    """The workbook at `path` after `change(openpyxl_workbook)`, saved in place."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    change(wb)
    wb.save(path)
    return path


def test_a_column_headed_twice(book, write):
    path = edited(write(book), lambda wb: wb["Figures"].cell(1, 12, "Unit"))
    assert located(problems(path)) == [(Severity.ERROR, "Figures", "L1", "duplicate-column")]


def test_header_below_row_1_is_found_reported_and_the_rows_under_it_read(book, write):
    def title_above(wb):
        wb["Figures"].insert_rows(1, 2)
        wb["Figures"]["A1"] = "Figures used in the briefing"

    path = edited(write(book), title_above)
    assert located(problems(path)) == [(Severity.ERROR, "Figures", "A3", "header-not-in-row-1")]
    assert [r.ref("value") for r in load(path).records("Figures")] == ["D4", "D5"]


def test_data_in_merged_cells(book, write):
    book["Figures"][1]["unit"] = None  # the merge hides the second row's unit
    path = edited(write(book), lambda wb: wb["Figures"].merge_cells("E2:E3"))
    found = located(problems(path))
    assert (Severity.ERROR, "Figures", "E2", "merged-cells") in found
    assert (Severity.ERROR, "Figures", "E3", "required") in found


def test_hidden_sheet_rows_and_columns_that_hold_data_are_warned_about(book, write):
    def hide(wb):
        wb["Events"].sheet_state = "hidden"
        wb["Figures"].row_dimensions[3].hidden = True
        wb["Statements"].column_dimensions["C"].hidden = True

    found = problems(edited(write(book), hide))
    assert located(found) == [
        (Severity.WARNING, "Figures", None, "hidden-row"),
        (Severity.WARNING, "Statements", "C1", "hidden-column"),
        (Severity.WARNING, "Events", None, "hidden-sheet"),
    ]
    assert found[0].row == 3


def test_extra_spaces_are_warned_about_and_the_briefing_uses_the_tidy_text(book, write):
    from pipeline.briefing import model

    book["Statements"][0]["text"] = "  Drone  drills were\theld. "
    book["Statements"][0]["source_id"] = "S1 "
    workbook = load(write(book))
    assert located(validate(workbook)) == [
        (Severity.WARNING, "Statements", "C2", "extra-spaces"),
        (Severity.WARNING, "Statements", "G2", "extra-spaces"),
    ]
    statement = model.build(valid(workbook)).key_points[0]
    assert (statement.text, statement.citation.source.id) == ("Drone drills were held.", "S1")


def test_text_longer_than_a_paragraph(book, write):
    book["Statements"][0]["text"] = " ".join(["word"] * 600)
    assert located(problems(write(book))) == [(Severity.WARNING, "Statements", "C2", "long-text")]
    book["Statements"][0]["text"] = "x" * 32_767
    message = problems(write(book))[0].message
    assert "32,767 characters" in message and "cut off" in message


# --- references in use ------------------------------------------------------------------------


def test_unused_source_and_empty_section(book, write):
    book["Sources"].append({"source_id": "S3", "publisher": "Nobody cites", "title": "Unused", "url": "https://example.org"})
    book["Sections"].append({"section_id": "space", "order": 3, "heading": "Space"})
    assert located(problems(write(book))) == [
        (Severity.WARNING, "Sections", "A4", "empty-section"),
        (Severity.WARNING, "Sources", "A4", "unused-source"),
    ]


# --- meaning ----------------------------------------------------------------------------------


def test_a_source_accessed_before_it_was_published(book, write):
    book["Sources"][1]["published"] = "2022-08-31"  # accessed 2022-08-30
    assert located(problems(write(book))) == [(Severity.ERROR, "Sources", "F3", "published-after-accessed")]


@pytest.mark.parametrize(
    "sheet, row, column, value, cell",
    [
        ("Statements", 0, "date", "2022-09-05", "F2"),
        ("Events", 1, "date", "2023", "B3"),
        ("Figures", 0, "period", "2023", "F2"),
        ("Sources", 0, "published", "2022-09", "E2"),
        ("Sources", 1, "accessed", dt.datetime(2022, 9, 1), "F3"),
    ],
)
def test_nothing_is_dated_after_as_of(book, write, sheet, row, column, value, cell):
    book[sheet][row][column] = value
    assert located(problems(write(book))) == [(Severity.ERROR, sheet, cell, "after-as-of")]


def test_a_figure_period_in_words_is_not_read_as_a_date(book, write):
    book["Figures"][0]["period"] = "2025 target"
    assert problems(write(book)) == []


def test_the_same_statement_twice(book, write):
    book["Statements"][2]["text"] = "drone drills  were held."
    book["Statements"][2]["kind"] = "fact"
    found = problems(write(book))
    assert (Severity.ERROR, "Statements", "C4", "duplicate-text") in located(found)
    assert "Statements!C2" in next(p.message for p in found if p.code == "duplicate-text")


def test_one_indicator_in_two_units(book, write):
    book["Figures"][1]["indicator"] = "Bilateral trade"
    book["Figures"][1]["unit"] = "%"
    book["Figures"][1]["period"] = "2021 growth"
    del book["Charts"]
    assert located(problems(write(book))) == [(Severity.WARNING, "Figures", "E3", "indicator-units")]


@pytest.mark.parametrize("value, unit", [(1200, "%"), (-150, "percent")])
def test_percentage_out_of_range(book, write, value, unit):
    book["Figures"][1].update(value=value, unit=unit)
    del book["Charts"]
    assert located(problems(write(book))) == [(Severity.WARNING, "Figures", "D3", "percentage-range")]


def test_a_source_a_reader_cannot_find(book, write):
    del book["Sources"][0]["published"]
    assert located(problems(write(book))) == [(Severity.WARNING, "Sources", "A2", "untraceable-source")]


def test_conflicting_figures_are_warned_about_and_every_value_is_shown(book, write):
    import docx

    from pipeline.briefing import model
    from pipeline.word import render

    book["Figures"][1].update(indicator="Bilateral  trade", value=5.1, period="2021", source_id="S2")
    workbook = load(write(book))
    found = validate(workbook)
    assert located(found) == [
        (Severity.WARNING, "Figures", "C3", "extra-spaces"),
        (Severity.WARNING, "Figures", "D3", "conflicting-figures"),
    ]
    assert "Figures!D2" in found[1].message and "S1" in found[1].message
    briefing = model.build(valid(workbook))
    # Only F01 is marked key, but the key figures show both values, each with its own source.
    assert [(f.value, f.citation.source.id) for f in briefing.key_figures] == [(4, "S1"), (5.1, "S2")]
    assert [d.id for d in briefing.key_figures[0].differing] == ["F02"]
    out = write(book).with_suffix(".docx")
    render.write(briefing, out)
    text = " ".join(p.text for t in docx.Document(out).tables for row in t.rows for p in row.cells[-1].paragraphs)
    assert "Sources differ: Publisher Two gives 5.1 USD bn." in text
    assert "Sources differ: Publisher One gives 4 USD bn." in text


def test_the_same_value_from_two_sources_is_corroboration_not_conflict(book, write):
    book["Figures"][1].update(indicator="Bilateral trade", value=4, source_id="S2")
    assert problems(write(book)) == []


# --- the file ---------------------------------------------------------------------------------


def test_excel_lock_file_means_unsaved_edits_are_not_read(book, write):
    path = write(book)
    (path.parent / f"~${path.name}").write_bytes(b"\0" * 165)
    assert located(problems(path)) == [(Severity.WARNING, None, None, "workbook-open")]


def test_macro_workbook_is_read_and_its_macros_ignored(book, write):
    path = write(book, "book.xlsm")
    found = problems(path)
    assert located(found) == [(Severity.WARNING, None, None, "macros-ignored")]


def test_1904_date_system(book, write):
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    path = edited(write(book), lambda wb: setattr(wb, "epoch", CALENDAR_MAC_1904))
    workbook = load(path)
    assert problems(path) == []
    assert workbook.sheets["Briefing"].fields()["as_of"].value == dt.date(2022, 8, 31)
    assert workbook.records("Sources")[1].value("accessed") == dt.date(2022, 8, 30)


def test_true_or_false_where_text_belongs(book, write):
    book["Statements"][0]["text"] = True
    assert located(problems(write(book))) == [(Severity.ERROR, "Statements", "C2", "wrong-type")]


def test_a_number_beyond_any_figure(book, write):
    book["Figures"][0]["value"] = 4e18
    assert located(problems(write(book))) == [(Severity.ERROR, "Figures", "D2", "number-too-large")]


def test_reading_order_follows_the_contract_whatever_the_sheet_names_case(book, write):
    book["Sections"][0]["order"] = "first"
    book["Sources"][0]["reliability"] = "Z"

    def lower_case(wb):
        wb["Sources"].title = "renamed"  # openpyxl refuses a name equal to the old one but for case
        wb["renamed"].title = "sources"

    path = edited(write(book), lower_case)
    assert located(problems(path)) == [
        (Severity.ERROR, "Sections", "B2", "not-a-number"),
        (Severity.ERROR, "sources", "I2", "not-allowed"),
    ]


# --- the desk's judgements --------------------------------------------------------------------
# In the test workbook, Statements!C4 holds the assessment's text and L4 its likelihood.


def test_an_assessment_that_says_another_bands_word_is_refused(book, write):
    book["Statements"][2]["text"] = "Trade will very likely keep growing."  # likelihood: likely
    found = problems(write(book))
    assert located(found) == [(Severity.ERROR, "Statements", "C4", "likelihood-mismatch")]
    assert "'very likely', which is very likely (80–95%)" in found[0].message
    assert "likelihood is likely (55–80%)" in found[0].message and "'probable'" in found[0].message


def test_an_assessment_that_does_not_say_how_likely_is_refused(book, write):
    book["Statements"][2]["text"] = "Trade could keep growing."
    found = problems(write(book))
    assert located(found) == [
        (Severity.ERROR, "Statements", "C4", "likelihood-mismatch"),
        (Severity.WARNING, "Statements", "C4", "vague-hedge"),
    ]
    assert "does not say how likely" in found[0].message and "'could' alone" in found[0].message


@pytest.mark.parametrize(
    "text", ["Trade is not likely to keep growing.", "Trade is no longer probable to grow.", "Growth isn't likely."]
)
def test_a_likelihood_turned_round_by_a_negation_is_refused(book, write, text):
    book["Statements"][2]["text"] = text  # likelihood: likely, which the words seem to say
    found = problems(write(book))
    assert located(found) == [(Severity.ERROR, "Statements", "C4", "likelihood-mismatch")]
    assert "turned round by a negation" in found[0].message


def test_highly_unlikely_is_read_as_very_unlikely(book, write):
    book["Statements"][2].update(likelihood="very unlikely", text="Trade is highly unlikely to shrink.")
    assert problems(write(book)) == []


def test_a_likelihood_on_a_fact_is_flagged_where_it_would_be_lost(book, write):
    book["Statements"][0].update(likelihood="likely", confidence="high")  # kind: fact
    found = problems(write(book))
    assert located(found) == [(Severity.WARNING, "Statements", "L2", "not-an-assessment")]
    assert "likelihood and confidence are given, but kind is fact" in found[0].message


def test_a_source_named_twice_does_not_corroborate(book, write):
    book["Statements"][0].update(source_id="S1, S1", locator="p. 1; p. 2", credibility=1)
    found = problems(write(book))
    assert located(found) == [(Severity.ERROR, "Statements", "G2", "repeated-id")]
    assert "names S1 twice" in found[0].message


def test_an_id_with_a_letter_from_another_alphabet_names_it(book, write):
    book["Statements"][0]["source_id"] = "\u04051"  # Cyrillic Ѕ, which looks like S
    found = problems(write(book))
    assert located(found) == [(Severity.ERROR, "Statements", "G2", "bad-id")]
    assert "(U+0405) is not an ASCII letter" in found[0].message


def test_an_empty_place_in_a_list_of_ids_is_named(book, write):
    book["Statements"][0]["source_id"] = "S1,S2,"
    found = problems(write(book))
    assert located(found) == [(Severity.ERROR, "Statements", "G2", "bad-id")]
    assert "empty place" in found[0].message


def test_a_number_in_the_bottom_line_that_no_figure_gives_is_flagged(book, write):
    book["Briefing"]["summary"] = "Trade reached $4 billion in 2021, and Iran sold 3,000 drones on 24 February."
    found = problems(write(book))
    assert located(found) == [(Severity.WARNING, "Briefing", "B6", "number-not-in-data")]  # 4 is F01's; 2021 and 24 date
    assert "'3,000'" in found[0].message


def test_dates_in_an_intro_are_not_numbers_it_states(book, write):
    book["Sections"][0].update(intro="Since the invasion on 24 February 2022, trade has grown.", source_id=None, locator=None)
    assert problems(write(book)) == []


@pytest.mark.parametrize(
    "likelihood, text",
    [
        ("likely", "Trade will probably keep growing."),
        ("very likely", "It is highly probable that trade keeps growing."),
        ("almost certain", "Trade will almost certainly keep growing in May 2022 terms."),  # May, the month
        ("almost no chance", "There is a remote chance that trade stops, and remote sensing will not tell."),
        ("roughly even chance", "It is a roughly even chance that trade grows."),
        ("very unlikely", "Trade is VERY UNLIKELY to shrink."),
    ],
)
def test_the_term_its_synonym_and_their_inflections_count(book, write, likelihood, text):
    book["Statements"][2].update(likelihood=likelihood, text=text)
    assert problems(write(book)) == []


def test_an_assessment_needs_a_likelihood_and_a_vague_hedge_is_flagged(book, write):
    book["Statements"][2].update(likelihood=None, text="Trade might keep growing.")
    found = problems(write(book))
    assert located(found) == [
        (Severity.WARNING, "Statements", "C4", "vague-hedge"),
        (Severity.ERROR, "Statements", "L4", "required"),
    ]
    assert "'might'" in found[0].message
    assert "assessment" in found[1].message


def test_a_workbook_without_key_judgements_is_a_news_summary(book, write):
    book["Statements"][2]["key"] = None
    found = problems(write(book))
    assert located(found) == [(Severity.WARNING, "Statements", None, "no-key-judgements")]
    assert "news summary" in found[0].message


def test_a_workbook_written_before_the_new_columns_stays_valid_until_it_needs_them(book, write):
    book["Statements"][2].update(kind="fact", likelihood=None, confidence=None, key=None, text="Trade kept growing.")

    def old_layout(wb):
        wb["Figures"].delete_cols(12, 2)  # qualifier, value_high
        wb["Statements"].delete_cols(12)  # likelihood
        wb["Sections"].delete_cols(5, 2)  # source_id, locator

    path = edited(write(book), old_layout)
    assert located(problems(path)) == [(Severity.WARNING, "Statements", None, "no-key-judgements")]

    book["Statements"][2].update(kind="assessment", confidence="moderate")
    found = problems(edited(write(book, "assessed.xlsx"), old_layout))
    assert [(p.sheet, p.row, p.column, p.code) for p in errors(found)] == [("Statements", 1, "likelihood", "missing-column")]
    assert "Statements!D4" in errors(found)[0].message


# --- corroboration and attribution ------------------------------------------------------------


def test_several_sources_each_with_its_place(book, write):
    book["Statements"][0].update(source_id="S1, S2", locator="para. 1; p. 4", credibility=1)
    assert problems(write(book)) == []


def test_a_locator_that_does_not_match_its_sources(book, write):
    book["Statements"][0].update(source_id="S1, S2", locator="para. 1")
    book["Sections"][0]["source_id"] = None  # a place, but no source for it to be in
    found = problems(write(book))
    assert located(found) == [
        (Severity.ERROR, "Sections", "F2", "locator-count"),
        (Severity.ERROR, "Statements", "H2", "locator-count"),
    ]
    assert "1 place for the 2 sources in source_id (S1, S2)" in found[1].message


def test_confirmed_by_other_sources_needs_the_other_sources(book, write):
    book["Statements"][0]["credibility"] = 1
    found = problems(write(book))
    assert located(found) == [(Severity.WARNING, "Statements", "I2", "unconfirmed")]
    assert "names only S1" in found[0].message


def test_a_badly_formed_id_in_a_list_suggests_the_id_it_likely_means(book, write):
    book["Statements"][0]["source_id"] = "S1, S 2"
    found = problems(write(book))
    assert located(found) == [(Severity.ERROR, "Statements", "G2", "bad-id")]
    assert found[0].message.endswith("Did you mean 'S2'?")


def test_an_intro_in_the_desks_own_words_that_states_a_number(book, write):
    book["Sections"][0].update(intro="Trade rose 80% in 2021.", source_id=None, locator=None)
    found = problems(write(book))
    assert located(found) == [(Severity.WARNING, "Sections", "D2", "number-not-in-data")]
    assert "'80'" in found[0].message


# --- qualified figures and conflicts ----------------------------------------------------------


def same_measure_as_f01(book, **values):
    """F02 made to measure what F01 does (bilateral trade, 2021, USD bn), with `values`."""
    book["Figures"][1].update(indicator="Bilateral trade", period="2021", **values)


@pytest.mark.parametrize(
    "first, second, expected",
    [
        ({"value": 5, "qualifier": "under"}, {"value": 4.9}, []),  # under 5 and 4.9 agree
        ({"value": 4, "qualifier": "about"}, {"value": 4.3}, []),  # within a tenth
        ({"value": 4, "qualifier": "at least"}, {"value": 4}, []),
        ({"value": 4, "qualifier": "range", "value_high": 5}, {"value": 4.5, "qualifier": "about"}, []),
        ({"value": 4, "qualifier": "about"}, {"value": 4.9}, [(Severity.WARNING, "Figures", "D3", "conflicting-figures")]),
        ({"value": 5, "qualifier": "under"}, {"value": 5}, [(Severity.WARNING, "Figures", "D3", "conflicting-figures")]),
        (
            {"value": 5, "qualifier": "over"},
            {"value": 3, "qualifier": "at most"},
            [(Severity.WARNING, "Figures", "D3", "conflicting-figures")],
        ),
    ],
)
def test_values_conflict_only_when_both_cannot_be_true(book, write, first, second, expected):
    book["Figures"][0].update(first)
    same_measure_as_f01(book, source_id="S2", **second)
    assert located(problems(write(book))) == expected


def test_a_range_runs_upwards_and_only_a_range_has_a_top(book, write):
    book["Figures"][0].update(qualifier="range", value_high=3)
    book["Figures"][1].update(value_high=20)
    found = problems(write(book))
    assert located(found) == [(Severity.ERROR, "Figures", "M2", "bad-range"), (Severity.ERROR, "Figures", "M3", "bad-range")]
    assert "not above value 4" in found[0].message and "qualifier is blank" in found[1].message
    book["Figures"][0]["value_high"] = None
    assert located(problems(write(book))) == [
        (Severity.ERROR, "Figures", "M2", "required"),
        (Severity.ERROR, "Figures", "M3", "bad-range"),
    ]


def test_one_source_that_gives_two_values_is_not_sources_that_differ(book, write):
    """Issue 8: validation was silent, and the briefing printed "Sources differ: Publisher One
    gives 5 USD bn" beside Publisher One's own 4."""
    import docx

    from pipeline.briefing import model
    from pipeline.word import render

    same_measure_as_f01(book, value=5, source_id="S1")
    workbook = load(write(book))
    found = validate(workbook)
    assert located(found) == [(Severity.WARNING, "Figures", "D3", "source-gives-two-values")]
    assert "Figures!D2" in found[0].message and "the same source" in found[0].message
    out = write(book).with_suffix(".docx")
    render.write(model.build(valid(workbook)), out)
    notes = " ".join(row.cells[-1].text for t in docx.Document(out).tables for row in t.rows)
    assert "Publisher One also gives 5 USD bn." in notes and "Publisher One also gives 4 USD bn." in notes
    assert "Sources differ" not in notes


def test_a_chart_that_would_leave_out_a_disagreeing_value_is_refused(book, write):
    book["Figures"].append(
        {
            "figure_id": "F03",
            "section_id": "trade",
            "indicator": "Bilateral trade",
            "value": 5,
            "unit": "USD bn",
            "period": "2021",
            "source_id": "S2",
        }
    )
    found = problems(write(book))  # the chart plots F01 and F02, not F03
    assert located(found) == [
        (Severity.WARNING, "Figures", "D4", "conflicting-figures"),
        (Severity.ERROR, "Charts", "E2", "chart-drops-value"),
    ]
    assert "F03 (5 from S2, against F01)" in found[1].message
    book["Charts"][0]["figures"] = "F01, F02, F03"
    assert located(problems(write(book))) == [(Severity.WARNING, "Figures", "D4", "conflicting-figures")]


def test_conflict_messages_name_a_few_rows_and_count_the_rest(book, write):
    del book["Charts"]
    book["Sources"] += [
        {"source_id": f"S{n}", "publisher": f"P{n}", "title": "t", "url": "https://example.org"} for n in range(3, 23)
    ]
    book["Figures"] += [
        {
            "figure_id": f"G{n}",
            "indicator": "Bilateral trade",
            "value": n,
            "unit": "USD bn",
            "period": "2021",
            "source_id": f"S{n}",
        }
        for n in range(5, 23)
    ]
    found = [p for p in problems(write(book)) if p.code == "conflicting-figures"]
    assert len(found) == 18  # every row after the first differs from those before it
    assert found[-1].message.count("Figures!") == 3 and "; and 15 more" in found[-1].message  # of 18 before it
    assert max(len(p.message) for p in found) < 400


@pytest.mark.parametrize("run", ["0", " 1", "1-"])
def test_a_caption_of_a_cells_length_of_digits_validates_in_a_moment(book, write, run):
    """A caption of 32,767 characters (the most a cell holds), digits or spaces without a per
    cent sign: the search for a likelihood's band in it took minutes, growing with the square
    of the run; now the time grows with the text."""
    book["Charts"][0]["caption"] = (run * 32_767)[:32_767]
    path = write(book)
    loaded = load(path)
    started = time.process_time()
    validate(loaded)
    assert time.process_time() - started < 5
