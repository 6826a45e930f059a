"""make with the paths analysts' files really have: quotes and backticks pass through as part of
the name and never run as commands, spaces are carried; what make itself cannot name is refused,
saying what to do."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT, need

# The command each dangerous name would run, were it given to a shell unquoted: it leaves MARKER
# in the folder make runs in (the project's root).
INJECTED = "`>MARKER`"


@pytest.fixture
def make(tmp_path):
    """make in the project, with an environment that is already set up: VENV names a folder
    whose python is this one, so that no test installs anything."""
    program = need("make", "make")
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text(  # and never pip: the test installs nothing anywhere
        f'#!/bin/sh\n[ "$1 $2" = "-m pip" ] && {{ echo "no installing in tests" >&2; exit 1; }}\nexec "{sys.executable}" "$@"\n'
    )
    (venv / "bin" / "python").chmod(0o755)
    (venv / ".installed").touch()
    marker = ROOT / "MARKER"

    # As the analyst runs it, from a shell: not as a sub-make of `make test`, which would tell it
    # its level and flags through the environment ("make[1]: Nothing to be done").
    environment = {k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS", "MAKEOVERRIDES")}

    def run(*arguments: str):
        return subprocess.run(
            [program, "--no-print-directory", "-C", str(ROOT), f"VENV={venv}", f"REPORTS={tmp_path / 'out'}", *arguments],
            capture_output=True,
            text=True,
            timeout=180,
            env=environment,
        )

    yield run
    injected = marker.exists()
    marker.unlink(missing_ok=True)
    assert not injected, "a file name ran as a command"


@pytest.mark.slow
def test_quotes_and_backticks_in_paths_are_part_of_the_name(make, tmp_path, sample_docx, sample_xlsx):
    workbook = tmp_path / f'it\'s_"ours"{INJECTED}.xlsx'
    template = tmp_path / f"style's{INJECTED}.docx"
    shutil.copy(sample_xlsx, workbook)
    shutil.copy(sample_docx, template)
    result = make("report", f"WORKBOOK={workbook}", f"TEMPLATE={template}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "out" / f"{workbook.stem}.docx").exists()
    assert make("report", f"WORKBOOK={workbook}", f"TEMPLATE={template}").stdout.startswith("make: Nothing to be done")


@pytest.mark.slow
def test_paths_with_spaces_are_built_and_kept_up_to_date(make, tmp_path, sample_docx, sample_xlsx):
    folder = tmp_path / "desk files"
    folder.mkdir()
    workbook, template = folder / "Russia Iran ties.xlsx", folder / "house style.docx"
    shutil.copy(sample_xlsx, workbook)
    shutil.copy(sample_docx, template)
    result = make("report", f"WORKBOOK={workbook}", f"TEMPLATE={template}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "out" / "Russia Iran ties.docx").exists()
    again = make("report", f"WORKBOOK={workbook}", f"TEMPLATE={template}")
    assert again.stdout.startswith("make: Nothing to be done"), again.stdout + again.stderr
    workbook.touch()
    assert "Wrote" in make("report", f"WORKBOOK={workbook}", f"TEMPLATE={template}").stderr


@pytest.mark.parametrize(
    "path, said",
    [
        ("inputs/$(shell touch MARKER).xlsx", "holds '$'"),
        ("inputs/ties:2022.xlsx", "holds ':'"),
        ("inputs/ties;touch.xlsx", "holds ';'"),
    ],
    ids=["make function", "colon", "semicolon"],
)
def test_paths_make_cannot_carry_are_refused_before_anything_runs(make, tmp_path, path, said):
    for variable in ("WORKBOOK", "TEMPLATE"):
        result = make("report", f"{variable}={path}")
        assert result.returncode != 0
        assert f"{variable}={path} {said}, which make cannot pass on safely. Rename the file" in result.stderr
        assert not (tmp_path / "out").exists()


def test_help_quotes_the_paths_it_shows(make):
    result = make("help", f"WORKBOOK=inputs/it's{INJECTED}.xlsx")
    assert result.returncode == 0 and f"inputs/it's{INJECTED}.xlsx" in result.stdout


@pytest.mark.slow
def test_release_then_report_with_its_redline_in_a_folder_with_spaces_and_quotes(make, tmp_path):
    """make release keeps the edition beside the workbook; make report then compares with it and
    writes the redline; SINCE names the edition to compare with, quoted as any path is."""
    from .conftest import write_workbook
    from .test_editions import first_edition, second_edition

    folder = tmp_path / f"desk's files{INJECTED}"
    folder.mkdir()
    workbook = folder / "ties.xlsx"
    write_workbook(workbook, first_edition())
    released = make("release", f"WORKBOOK={workbook}")
    assert released.returncode == 0, released.stdout + released.stderr
    assert (folder / "editions" / "ties" / "2022-08-31_edition-1.json").exists()
    write_workbook(workbook, second_edition())
    built = make("report", f"WORKBOOK={workbook}")
    assert built.returncode == 0, built.stdout + built.stderr
    assert (tmp_path / "out" / "ties.changes.docx").exists()
    since = make("report", f"WORKBOOK={workbook}", f"SINCE={folder / 'editions' / 'ties' / '2022-08-31_edition-1.docx'}")
    assert since.returncode == 0 and "Compared with edition 1 (31 August 2022)" in since.stderr


@pytest.mark.slow
def test_reports_builds_every_workbook_in_inputs_each_with_its_own_editions(make, tmp_path, sample_xlsx):
    """make -j reports: each workbook in INPUTS its own briefing, compared with its own editions
    only (a redline for the one released), Excel's lock file left alone."""
    from .conftest import write_workbook
    from .test_editions import first_edition, second_edition

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    ties, other = inputs / "ties.xlsx", inputs / "russia china.xlsx"
    write_workbook(ties, first_edition())
    shutil.copy(sample_xlsx, other)
    (inputs / "~$ties.xlsx").write_bytes(b"Excel's lock file")
    assert make("release", f"WORKBOOK={ties}").returncode == 0
    write_workbook(ties, second_edition())
    result = make("-j2", "reports", f"INPUTS={inputs}")
    assert result.returncode == 0, result.stdout + result.stderr
    out = tmp_path / "out"
    # (Beside each, the hidden record of what the build wrote: .NAME.built.)
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "russia china.docx",
        "ties.changes.docx",
        "ties.docx",
    ]
    assert result.stderr.count("Wrote ") == 2
    again = make("reports", f"INPUTS={inputs}")
    assert again.returncode == 0 and "Wrote" not in again.stderr


def test_reports_with_no_workbook_says_where_it_looked(make, tmp_path):
    result = make("reports", f"INPUTS={tmp_path}")
    assert result.returncode != 0 and f"No workbook in {tmp_path}/" in result.stderr


def test_a_failed_command_ends_with_its_exit_code_and_what_it_means(make, tmp_path):
    from .conftest import write_workbook
    from .test_editions import first_edition

    workbook = tmp_path / "ties.xlsx"
    rows = first_edition()
    rows["Sources"] = rows["Sources"][:1]  # the sources the statements cite are gone
    write_workbook(workbook, rows)
    result = make("report", f"WORKBOOK={workbook}")
    assert result.returncode != 0
    assert "make report stopped (exit 1): the workbook has errors, listed above" in result.stderr


def test_a_template_given_that_does_not_exist_stops_the_build(make, tmp_path):
    result = make("report", f"TEMPLATE={tmp_path / 'typo.docx'}")
    assert result.returncode == 2
    assert f"the template {tmp_path / 'typo.docx'} does not exist" in result.stderr
    assert not (tmp_path / "out").exists()


def test_new_writes_a_blank_workbook_and_never_over_one(make, tmp_path):
    workbook = tmp_path / "russia china ties.xlsx"
    assert make("new", f"WORKBOOK={workbook}").returncode == 0 and workbook.exists()
    again = make("new", f"WORKBOOK={workbook}")
    assert again.returncode != 0 and "already exists; init never overwrites a file" in again.stderr
