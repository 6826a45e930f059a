"""Turn the analysts' Russia–Iran workbook into a sourced Word briefing.

The stages, one module each: `load` (workbook -> records) -> `validate` (records -> problems)
-> `model` (records -> the briefing's content) -> `render` (content -> .docx). `contract`
declares the workbook's sheets and columns; `cli` ties the stages together.
"""
