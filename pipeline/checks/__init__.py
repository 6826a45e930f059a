"""Checks: the problem catalogue (`catalogue`, a leaf every side may raise from) and the
validator (`validate`), which hands out the `ValidWorkbook` the briefing is built from; with
`editions`, what the workbook does against the previous edition."""
