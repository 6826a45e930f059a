"""The workbook side: everything that knows Excel. The file gate (`gate`), the streaming
reader (`reader`, the only code touching openpyxl's internals), the sheet's layout (`layout`),
the cell parsers (`cells`), `load`, the annotated copy (`annotate`) and `init`'s blank
workbook (`blank`). Nothing here knows Word."""
