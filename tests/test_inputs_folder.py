"""inputs/russia_iran_ties.xlsx is the desk's working workbook, which the README tells analysts
to edit: the tests must pass whatever it holds, reading their own copy of the sample instead."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest
from openpyxl import load_workbook

import pipeline

from .conftest import ROOT, shared

# A plugin for the copy's run: only the tests that read the sample, its records or its briefing
# themselves (those that hand it to a helper, to build with a template or in a subprocess, are
# many and slow, and check the template or the process, not what the sample holds).
ON_THE_SAMPLE_FIXTURES = ("sample_xlsx", "sample_records", "sample_docx")
ON_THE_SAMPLE = f"""
import inspect

def pytest_collection_modifyitems(config, items):
    def reads(item):
        return set({ON_THE_SAMPLE_FIXTURES!r}) & set(inspect.signature(item.function).parameters)

    reading = [item for item in items if reads(item)]
    config.hook.pytest_deselected(items=[item for item in items if item not in reading])
    items[:] = reading
"""


def edited_as_an_analyst_would(workbook):
    """A title reworded, a statement and an event added: the workbook stays valid, its counts change."""
    book = load_workbook(workbook)
    briefing = book["Briefing"]
    title = next(row for row in briefing.iter_rows(min_row=2) if row[0].value == "title")
    title[1].value = "Russia and Iran: the desk's own draft"
    statements = book["Statements"]
    headers = [cell.value for cell in statements[1]]
    row = statements.max_row + 1
    for column, value in {
        "statement_id": "ST99",
        "section_id": "trade",
        "text": "A statement the desk added this morning.",
        "kind": "fact",
        "source_id": "S1",
    }.items():
        statements.cell(row, headers.index(column) + 1, value)
    events = book["Events"]
    headers = [cell.value for cell in events[1]]
    row = events.max_row + 1
    for column, value in {
        "event_id": "E99",
        "date": "2022-08-30",
        "section_id": "trade",
        "event": "A call.",
        "source_id": "S1",
    }.items():
        events.cell(row, headers.index(column) + 1, value)
    book.save(workbook)


@pytest.mark.slow
def test_the_tests_pass_after_an_analyst_edits_the_working_workbook(tmp_path):
    project = tmp_path / "project"
    # Compiled modules are copied with their sources, whose times copytree keeps: Python and
    # pytest take them as compiled from the copy's own, which they are, where compiling every
    # module and rewriting every test's asserts afresh took a second.
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(".git", ".venv", "reports", "*.egg-info", ".pytest_cache"))
    if shared().exists():  # the checker and the corpus, beside the copy as beside the project
        (tmp_path / "shared").symlink_to(shared())
    workbook = project / "inputs" / "russia_iran_ties.xlsx"
    before = pipeline.check(workbook).valid
    edited_as_an_analyst_would(workbook)
    after = pipeline.check(workbook).valid
    assert before is not None and after is not None, "the edits are an analyst's: the workbook stays valid"
    assert len(after.records("Statements")) == len(before.records("Statements")) + 1
    assert len(after.records("Events")) == len(before.records("Events")) + 1
    # The copy's own tests, with its own code (python -m pytest puts the folder it runs in first).
    (tmp_path / "plugin").mkdir()
    (tmp_path / "plugin" / "on_the_sample.py").write_text(ON_THE_SAMPLE)
    environment = {name: value for name, value in os.environ.items() if not name.startswith("PYTEST_")}
    environment["PYTHONPATH"] = str(tmp_path / "plugin")
    # Only the modules that name those fixtures are collected: importing the others (hypothesis's
    # among them) and rewriting their asserts was a third of the run.
    modules = [
        str(path.relative_to(project))
        for path in sorted((project / "tests").glob("test_*.py"))
        if any(name in path.read_text() for name in ON_THE_SAMPLE_FIXTURES)
    ]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "-p", "on_the_sample", *modules]
        + ["-m", "not slow and not reader and not shipped", "--basetemp", str(tmp_path / "basetemp")],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    passed = re.search(r"(\d+) passed", result.stdout)
    assert passed and int(passed.group(1)) >= 40, result.stdout[-3000:]
