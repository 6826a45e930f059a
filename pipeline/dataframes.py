"""The checked workbook as pandas DataFrames, for analysts who work in notebooks.

One DataFrame per sheet, with every column of the contract in the order it declares them (a
column the sheet lacks is all missing), each in the dtype its type calls for; each table is
indexed by the workbook's own row number, so that a row traces back to its cells
(`Figures!D7` is row 7 of `Figures`). What is framed is a workbook without errors, a released
edition, or, when asked, a workbook as it stands, with a column naming each row's problems.
pandas is loaded by this module alone, when frames are asked for; checking and building never
load it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import pandas as pd

from .contract import SHEETS, Column, ColumnType

# How precisely a partial date is known, coarsest first.
PRECISIONS = ("year", "month", "day")


# The column `frames(..., errors="keep")` adds: each row's problems, as `D7 [not-a-number] value holds ...`.
PROBLEMS = "problems"


class Framed(Protocol):
    """What a frame is made of: a validated workbook, a loaded one, or a released edition."""

    def fields(self) -> dict[str, object]: ...

    def table(self, sheet_name: str) -> tuple[list[int], dict[str, list]]: ...


def of(workbook: Framed, problems: Mapping[tuple[str, int], tuple[str, ...]] | None = None) -> dict[str, pd.DataFrame]:
    """Each sheet of the contract as a DataFrame; the Briefing sheet is one row, a column per field.
    With `problems` (by sheet and row), each frame gains a `problems` column of them, () where none."""
    frames = {}
    for sheet in SHEETS:
        if sheet.key_value:
            fields = workbook.fields()
            rows, values = [0], {column.name: [fields.get(column.name)] for column in sheet.columns}
        else:
            rows, values = workbook.table(sheet.name)
        columns = {}
        for column in sheet.columns:
            columns.update(_typed(column, values[column.name]))
        if problems is not None:
            if sheet.key_value:  # the fields are one row: every problem of the sheet is that row's
                told = [sum((found for (name, _), found in problems.items() if name == sheet.name), ())]
            else:
                told = [problems.get((sheet.name, row), ()) for row in rows]
            columns[PROBLEMS] = pd.Series(told, dtype=object).array
        frame = pd.DataFrame(columns, index=pd.Index(rows, name="row", dtype="int64"))
        frames[sheet.name] = frame.reset_index(drop=True) if sheet.key_value else frame
    return frames


def _typed(column: Column, values: list) -> dict[str, object]:
    """A column's values in its dtype; a partial date is two columns, the first day it can
    mean and how precisely it is known."""
    kind = column.type
    if kind is ColumnType.ID_LIST or column.several:
        # Tuples of ids, () where blank, so that len() and explode() need no special case.
        return {column.name: pd.Series([value or () for value in values], dtype=object).array}
    if kind in (ColumnType.TEXT, ColumnType.ID):
        return {column.name: pd.array(values, dtype="string")}
    if kind is ColumnType.INTEGER:
        return {column.name: pd.array(values, dtype="Int64")}
    if kind is ColumnType.NUMBER:
        return {column.name: pd.array(values, dtype="Float64")}
    if kind is ColumnType.FLAG:
        return {column.name: pd.array([bool(value) for value in values], dtype="bool")}
    if kind is ColumnType.CHOICE:
        return {column.name: pd.Categorical(values, categories=column.choice_values)}
    if kind is ColumnType.DATE:
        return {column.name: pd.to_datetime(pd.Series(values, dtype=object)).array}
    # A partial date: 2022, 2022-08 or 2022-08-09.
    return {
        column.name: pd.to_datetime(pd.Series([value.start if value else None for value in values], dtype=object)).array,
        f"{column.name}_precision": pd.Categorical(
            [PRECISIONS[bool(value.month) + bool(value.day)] if value else None for value in values],
            categories=PRECISIONS,
            ordered=True,
        ),
    }
