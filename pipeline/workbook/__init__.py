"""The workbook side: everything that knows Excel. The file gate (`gate`), the streaming
reader (`reader`, with what Excel's stored forms mean in `excel`), the sheet's layout
(`layout`), the cell parsers (`cells`), `load`, and, written with openpyxl, the annotated copy
(`annotate`) and `init`'s blank workbook (`blank`).
Nothing here knows Word."""
