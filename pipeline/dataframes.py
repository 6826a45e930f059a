"""The checked workbook as pandas DataFrames, for analysts who work in notebooks.

One DataFrame per sheet, with every column of the contract in the order it declares them (a
column the sheet lacks is all missing), each in the dtype its type calls for; each table is
indexed by the workbook's own row number, so that a row traces back to its cells
(`Figures!D7` is row 7 of `Figures`). Only a workbook without errors is given: like the
briefing, the frames hold nothing validation refused. pandas is loaded by this module alone,
when frames are asked for; checking and building never load it.
"""

from __future__ import annotations

import pandas as pd

from .checks.validate import ValidWorkbook
from .contract import SHEETS, Column, ColumnType

# How precisely a partial date is known, coarsest first.
PRECISIONS = ("year", "month", "day")


def of(workbook: ValidWorkbook) -> dict[str, pd.DataFrame]:
    """Each sheet of the contract as a DataFrame; the Briefing sheet is one row, a column per field."""
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
