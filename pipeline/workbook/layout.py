"""A contract sheet's layout: where its header row is, which columns hold what, and what the
layout hides or garbles (a title above the header, merged cells, hidden or empty rows)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

from .. import catalogue
from ..catalogue import Rule
from ..contract import KEY_VALUE_HEADERS, Sheet
from .cells import blank, decoded
from .excel import closed_bounds, column_letter
from .reader import MAX_ROWS, CellKind, SheetStream, too_long


@dataclass(frozen=True)
class LayoutIssue:
    """Something about how a sheet is laid out rather than what a cell says: a header in the
    wrong row, merged cells, hidden or blank rows. `ref` is a cell, or None for a whole row."""

    rule: Rule
    message: str
    row: int | None = None
    ref: str | None = None
    column: str | None = None


@dataclass
class RawSheet:
    """A contract sheet as read, before typing: by column, one value for each data row."""

    contract: Sheet
    title: str
    header_row: int
    headers: list[str]  # every header in the header row, as written
    columns: dict[str, int]  # contract column -> 1-based column number
    numbers: list[int] = field(default_factory=list)  # each data row's number
    values: dict[str, list] = field(default_factory=dict)  # contract column -> each data row's value as read; None where blank
    kinds: dict[tuple[int, str], CellKind] = field(
        default_factory=dict
    )  # (data row index, column) -> CellKind.FORMULA or CellKind.ERROR, for those few cells
    layout: list[LayoutIssue] = field(default_factory=list)
    links: dict[tuple[int, str], str] = field(default_factory=dict)  # (row, column) -> the address its hyperlink points to

    def ref(self, column: str, row: int) -> str:
        return f"{column_letter(self.columns[column])}{row}"


# How far down a header row is looked for when row 1 does not hold one (a title above it).
_HEADER_SEARCH_ROWS = 20


def header_text(value: object) -> str:
    """A header or a field's name as Excel shows it (its _xHHHH_ escapes decoded), without
    the spaces around it."""
    return decoded(str(value)).strip() if value is not None else ""


def normal(header: object) -> str:
    return header_text(header).casefold()


def read_rows(sheet_xml: SheetStream, sheet: Sheet) -> RawSheet:
    """The header row, the rows that hold anything in the contract's columns, and what the
    sheet's layout hides or garbles."""
    title = sheet_xml.part.title
    rows = sheet_xml.rows()
    raw, after_header = _header(rows, title, sheet)
    names = list(raw.columns)
    position = {number: at for at, number in enumerate(raw.columns.values())}
    width = len(names)
    # Each data row's values, in the order of `names`, None where blank: a list a row, turned
    # into columns at the end in one pass rather than looked up row by row, column by column.
    data: list[list] = []
    last_with_content = raw.header_row
    plain, at_column = CellKind.PLAIN, position.get  # looked up once: the loop runs for every cell
    for number, cells in itertools.chain(after_header, rows):
        values = None
        present = False
        for column, value, kind in cells:
            if kind is plain and blank(value):
                continue
            present = True
            at = at_column(column)
            if at is not None:
                if values is None:
                    values = [None] * width
                values[at] = value
                if kind is not plain:
                    raw.kinds[(len(data), names[at])] = kind
        if not present:
            continue
        if number > last_with_content + 1:
            raw.layout.append(_blank_rows(last_with_content + 1, number - 1))
        last_with_content = number
        if values is None:
            continue
        raw.numbers.append(number)
        data.append(values)
        if len(data) > MAX_ROWS:
            raise too_long(title)
        if number in sheet_xml.hidden_rows:
            raw.layout.append(
                LayoutIssue(
                    catalogue.HIDDEN_ROW,
                    f"Row {number} is hidden but holds data, which goes into the briefing. Unhide it to check it.",
                    row=number,
                )
            )
    raw.values = dict(zip(names, map(list, zip(*data)))) if data else {name: [] for name in names}
    merged, hidden_columns = sheet_xml.merged, sheet_xml.hidden_columns
    raw.layout += _merged_cells(raw, merged)
    raw.links = _links(raw, sheet_xml.links)
    for name, number in raw.columns.items():
        if number in hidden_columns and _filled(raw, name):
            raw.layout.append(
                LayoutIssue(
                    catalogue.HIDDEN_COLUMN,
                    f"Column {column_letter(number)} ({name}) is hidden but holds data, which goes into the briefing. "
                    "Unhide it to check it.",
                    row=raw.header_row,
                    ref=raw.ref(name, raw.header_row),
                    column=name,
                )
            )
    if sheet_xml.part.state != "visible" and raw.numbers:
        raw.layout.insert(
            0,
            LayoutIssue(
                catalogue.HIDDEN_SHEET,
                f"The sheet '{title}' is hidden, but its rows go into the briefing. Unhide it to check them.",
            ),
        )
    return raw


def _filled(raw: RawSheet, name: str) -> bool:
    """Whether any data row holds something in the column: a value, or a formula or error,
    which may have none."""
    return any(value is not None for value in raw.values[name]) or any(column == name for _, column in raw.kinds)


def _header(rows: Iterator[tuple[int, list[tuple[int, object, CellKind]]]], title: str, sheet: Sheet) -> tuple[RawSheet, list]:
    """The sheet's header: row 1 if it names any contract column, otherwise the first of the
    first rows that names several (a title or notes above the table), otherwise row 1 as it
    is. Also the rows read past the header while looking, which are data."""
    wanted = KEY_VALUE_HEADERS if sheet.key_value else tuple(c.name for c in sheet.columns)
    enough = min(2, len(wanted))
    read: list[tuple[int, list]] = []
    chosen = None
    for number, cells in rows:
        read.append((number, cells))
        matches = sum(normal(value) in wanted for _, value, _ in cells)
        if (number == 1 and matches) or matches >= enough:
            chosen = number
            break
        if number >= _HEADER_SEARCH_ROWS:
            break
    header_row = chosen or 1
    header_cells = next((cells for number, cells in read if number == header_row), [])
    raw = RawSheet(sheet, title, header_row, [], {})
    for column, value, _ in header_cells:
        if blank(value):
            continue
        raw.headers.append(header_text(value))
        name = normal(value)
        if name not in wanted:
            continue
        ref = f"{column_letter(column)}{header_row}"
        if name in raw.columns:
            first = raw.ref(name, header_row)
            raw.layout.append(
                LayoutIssue(
                    catalogue.DUPLICATE_COLUMN,
                    f"Two columns are headed '{name}' ({first} and {ref}); only the first is read. Delete or rename one.",
                    row=header_row,
                    ref=ref,
                    column=name,
                )
            )
        else:
            raw.columns[name] = column
    if header_row != 1:
        raw.layout.append(
            LayoutIssue(
                catalogue.HEADER_NOT_IN_ROW_1,
                f"The column headers are in row {header_row}, not row 1. Delete the rows above them, "
                "so that the headers are the first row of the sheet.",
                row=header_row,
                ref=f"A{header_row}",
            )
        )
    return raw, [(number, cells) for number, cells in read if number > header_row]


def _blank_rows(first: int, last: int) -> LayoutIssue:
    rows = f"Row {first} is" if first == last else f"Rows {first}–{last} are"
    return LayoutIssue(
        catalogue.BLANK_ROWS,
        f"{rows} empty, between rows of data. The rows below are still read; delete the empty rows "
        "if the gap is not meant to be there.",
        row=first,
    )


def _links(raw: RawSheet, links: list[tuple[str, str]]) -> dict[tuple[int, str], str]:
    """The hyperlinks on data cells of the columns whose value a link gives, by (row, column)."""
    linked = {
        column.name: raw.columns[column.name] for column in raw.contract.columns if column.link and column.name in raw.columns
    }
    if not linked or not links:
        return {}
    rows = raw.numbers
    found = {}
    for ref, target in links:
        bounds = closed_bounds(ref)
        if bounds is None:
            continue
        first_col, first_row, last_col, last_row = bounds
        for name, number in linked.items():
            if first_col <= number <= last_col:
                found.update({(row, name): target for row in rows if first_row <= row <= last_row})
    return found


def _merged_cells(raw: RawSheet, ranges: list[str]) -> list[LayoutIssue]:
    """Merged ranges that cover a contract column in the table. Excel keeps a merged range's
    value in its top-left cell only, so the other rows it seems to fill read as empty."""
    issues = []
    by_number = {number: name for name, number in raw.columns.items()}
    for text in ranges:
        bounds = closed_bounds(text)
        if bounds is None:
            continue
        first_col, first_row, last_col, last_row = bounds
        names = [by_number[n] for n in range(first_col, last_col + 1) if n in by_number]
        if not names or last_row < raw.header_row:
            continue
        issues.append(
            LayoutIssue(
                catalogue.MERGED_CELLS,
                f"Cells {text} are merged. Excel keeps the value of merged cells in the first one only, "
                "so the others read as empty. Unmerge them and type each row's value in its own cell.",
                row=first_row,
                ref=f"{column_letter(first_col)}{first_row}",
                column=names[0],
            )
        )
    return issues
