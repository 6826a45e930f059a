"""Turn the analysts' Russia–Iran workbook into a sourced Word briefing.

The flow runs one way, a subpackage per side: `contract` (the workbook's sheets and columns,
as data) and `catalogue` (the problems any side may report) -> `workbook` (the file gate, the
streaming reader, cell parsers, load) -> `checks` (the validator) -> `briefing` (the content
model and its wording)
-> `word` (the .docx). `library` ties them together as `check`, `build`, `init`, `release` and
`diff`, and gives the sheets as pandas DataFrames (`frames`); `cli` is a thin shell over it.

    import pipeline
    checked = pipeline.check("inputs/russia_iran_ties.xlsx")
    built = pipeline.build("inputs/russia_iran_ties.xlsx", "reports/briefing.docx")
    sheets = pipeline.frames(checked)                      # errors="keep": every row, with its problems
    released = pipeline.frames("inputs/editions/russia_iran_ties/2022-08-31_edition-1.json")
"""

from .errors import CannotWrite, InputError, TemplateUnreadable, WorkbookUnreadable

__all__ = [
    "Built",
    "CannotWrite",
    "Compared",
    "InputError",
    "Released",
    "TemplateUnreadable",
    "WorkbookHasErrors",
    "WorkbookUnreadable",
    "build",
    "check",
    "diff",
    "frames",
    "init",
    "release",
]
# The library's names load on first use, so that running any part of the package (the cli,
# `python -m pipeline.word.pdf`) first sets up what it needs, Ctrl-C's handler included.
_LIBRARY = {"Built", "Compared", "Released", "WorkbookHasErrors", "build", "check", "diff", "frames", "init", "release"}


def __dir__() -> list[str]:
    """The public API, for tab completion and `dir(pipeline)`, though most of it loads on first use."""
    return sorted({*__all__, *(name for name in globals() if name.startswith("__"))})


def __getattr__(name: str):
    if name in _LIBRARY:
        from . import library

        return getattr(library, name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
