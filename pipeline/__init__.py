"""Turn the analysts' Russia–Iran workbook into a sourced Word briefing.

The flow runs one way, a subpackage per side: `contract` (the workbook's sheets and columns,
as data) -> `workbook` (the file gate, the streaming reader, cell parsers, load) -> `checks`
(the problem catalogue and the validator) -> `briefing` (the content model and its wording)
-> `word` (the .docx). `library` ties them together as `check`, `build`, `init`, `release` and
`diff`; `cli` is a thin shell over it.

    import pipeline
    checked = pipeline.check("inputs/russia_iran_ties.xlsx")
    built = pipeline.build("inputs/russia_iran_ties.xlsx", "reports/briefing.docx")
"""

from .errors import InputError, TemplateUnreadable, WorkbookUnreadable
from .library import Built, CannotWrite, Compared, Released, build, check, diff, init, release

__all__ = [
    "Built", "CannotWrite", "Compared", "InputError", "Released", "TemplateUnreadable", "WorkbookUnreadable",
    "build", "check", "diff", "init", "release",
]
