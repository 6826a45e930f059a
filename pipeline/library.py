"""The library entry point: `check` a workbook, `build` its briefing, `init` a new one.

This is where "errors stop the build" lives: `build` makes a briefing only from the
`ValidWorkbook` that `check` hands out when validation finds no errors. The command line is a
thin shell over these three; tests, benchmarks and notebooks call them directly. Every failure
that is the input's or the machine's raises an `InputError` saying what to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .briefing import model
from .briefing.model import Briefing
from .checks.validate import Checked
from .checks.validate import check as validated
from .errors import CannotWrite, InputError
from .workbook import annotate, blank
from .workbook.load import load


def check(workbook: str | Path, annotated_copy: str | Path | None = None) -> Checked:
    """Validate `workbook`: every problem, located at its cell, and the `ValidWorkbook` to
    build from when there are no errors. With `annotated_copy`, also write a copy of the
    workbook with every problem highlighted and commented (never over the workbook itself)."""
    workbook = Path(workbook)
    if annotated_copy is not None:
        annotated_copy = Path(annotated_copy)
        if annotated_copy.suffix.lower() != ".xlsx":
            raise InputError(f"the annotated copy must be an .xlsx file, not {annotated_copy.name}.")
        if annotated_copy.resolve() == workbook.resolve():
            raise InputError(
                "the annotated copy cannot replace the workbook itself; the workbook is only ever read. Choose another name."
            )
    checked = validated(load(workbook))
    if annotated_copy is not None:
        _writing(annotated_copy, annotate.write, workbook, checked.problems, annotated_copy)
    return checked


@dataclass(frozen=True)
class Built:
    """What `build` did: the validation, the briefing it wrote (None when errors stopped it),
    and what the user should know of the result (a contents list without page numbers, say)."""

    checked: Checked
    briefing: Briefing | None
    output: Path
    notes: tuple[str, ...] = ()

    @property
    def written(self) -> bool:
        return self.briefing is not None


def build(workbook: str | Path, output: str | Path, template: str | Path | None = None) -> Built:
    """Validate `workbook` and, when it has no errors, write its briefing to `output` (a .docx)
    in one step; otherwise write nothing and leave a previous `output` as it was. The look
    comes from `template` (a .docx) when given."""
    output = Path(output)
    if output.suffix.lower() != ".docx":
        raise InputError(f"the output must be a .docx file, not {output}.")
    if template is not None and Path(template).resolve() == output.resolve():
        raise InputError(f"the briefing cannot be written over its own template, {template}. Choose another output name.")
    checked = check(workbook)
    valid = checked.valid
    if valid is None:
        return Built(checked, None, output)
    from .word import render  # here: validating alone never loads python-docx

    briefing = model.build(valid)
    notes = _writing(output, render.write, briefing, output, template=Path(template) if template else None)
    return Built(checked, briefing, output, tuple(notes))


def init(path: str | Path) -> None:
    """Write a blank workbook that follows the contract at `path`, which must not exist."""
    path = Path(path)
    if path.exists():
        raise InputError(f"{path} already exists; init never overwrites a file. Choose a new name.")
    if path.suffix.lower() != ".xlsx":
        raise InputError(f"give the new workbook an .xlsx name, not {path.name}.")
    _writing(path, blank.write, path)


def _writing(path: Path, write, *args, **kwargs):
    try:
        return write(*args, **kwargs)
    except InputError:
        raise
    except OSError as exc:
        raise CannotWrite(path, exc) from exc
