"""Checks: the validator (`validate`), which hands out the `ValidWorkbook` the briefing is built
from; with `editions`, what the workbook does against the previous edition. The problems they
report are declared in `pipeline.catalogue`, beside the contract."""
