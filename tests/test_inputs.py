"""Inputs that are not what they seem: special files, unreadable files, a stale copy of a sheet,
text that displays as other text, and links that say one thing and point at another."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SAMPLE

PYTHON = [sys.executable, "-m", "pipeline"]


def run(*args, stdin=None, timeout=5, **options):
    """The cli in a subprocess, as make runs it; every answer must come within `timeout` seconds."""
    return subprocess.run(
        [*PYTHON, *map(str, args)], capture_output=True, text=True, cwd=ROOT, stdin=stdin, timeout=timeout, **options
    )


def refused(result, *words):
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    for word in words:
        assert word in result.stderr
    return result.stderr


# --- special files ------------------------------------------------------------------------------


def test_a_fifo_is_refused_at_once_naming_what_it_is(tmp_path):
    fifo = tmp_path / "book.xlsx"
    os.mkfifo(fifo)
    refused(run("validate", fifo), str(fifo), "is a pipe (FIFO)", "save it to a file")


def test_a_device_is_refused_at_once_rather_than_read_forever():
    refused(run("validate", "/dev/zero"), "/dev/zero is a character device, not a workbook")


def test_a_socket_is_refused(tmp_path):
    path = tmp_path / "book.xlsx"
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(path))
        refused(run("validate", path), "is a socket")


def test_stdin_redirected_from_a_workbook_is_read_as_the_workbook():
    with SAMPLE.open("rb") as workbook:
        result = run("validate", "/dev/stdin", stdin=workbook)
    assert result.returncode == 0, result.stderr
    assert "no problems found" in result.stdout


def test_a_workbook_piped_to_stdin_is_refused_with_what_to_do():
    """A zip package is read from its end, so it cannot come through a pipe: say so, at once."""
    with subprocess.Popen(["cat", str(SAMPLE)], stdout=subprocess.PIPE) as cat:
        result = run("validate", "/dev/stdin", stdin=cat.stdout)
    refused(result, "/dev/stdin is a pipe (FIFO)", "save it to a file first")


def test_a_workbook_named_without_xlsx_is_read_by_its_content(tmp_path):
    path = tmp_path / "book-from-mail"
    shutil.copy(SAMPLE, path)
    assert run("validate", path).returncode == 0


# --- files this user may not read ----------------------------------------------------------------


@pytest.fixture
def unprivileged():
    """The command line run so that file permissions bind it: as itself when the tests do not
    run as root; as root without the capabilities that let root read anything, when they do."""
    if os.geteuid() != 0:
        return PYTHON
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root, and setpriv (util-linux) is not here to drop root's right to read any file")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", *PYTHON]


def test_a_workbook_without_read_permission_exits_2_naming_it(tmp_path, unprivileged):
    workbook = tmp_path / "book.xlsx"
    shutil.copy(SAMPLE, workbook)
    workbook.chmod(0)
    result = subprocess.run([*unprivileged, "validate", workbook], capture_output=True, text=True, cwd=ROOT, timeout=10)
    refused(result, str(workbook), "permission denied")


def test_a_template_without_read_permission_exits_2_naming_it(tmp_path, unprivileged, sample_docx):
    template = tmp_path / "style.docx"
    shutil.copy(sample_docx, template)
    template.chmod(0)
    out = tmp_path / "briefing.docx"
    result = subprocess.run(
        [*unprivileged, "build", SAMPLE, "-o", out, "--template", template], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    refused(result, str(template), "permission denied")
    assert not out.exists()
