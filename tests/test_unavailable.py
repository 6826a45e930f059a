"""A test that needs what a machine may lack (a reader, the shared folder beside the project)
skips where it is missing, saying what, and fails in CI; none passes having checked nothing."""

from __future__ import annotations

import pytest

from . import conftest


@pytest.fixture(params=["outside CI", "in CI"])
def ci(request, monkeypatch):
    """Whether the test runs as in CI (CI=true), once each way."""
    if request.param == "in CI":
        monkeypatch.setenv("CI", "true")
    else:
        monkeypatch.delenv("CI", raising=False)
    return request.param == "in CI"


def expected(ci: bool):
    return pytest.raises(pytest.fail.Exception if ci else pytest.skip.Exception)


def test_a_missing_schema_checker_skips_or_fails_the_check(ci, tmp_path, monkeypatch):
    checker = tmp_path / "shared" / "ooxml" / "check_docx.py"
    monkeypatch.setattr(conftest, "CHECK_DOCX", checker)
    with expected(ci) as raised:
        conftest.check_docx(tmp_path / "briefing.docx")
    assert str(checker) in str(raised.value)


def test_a_missing_corpus_is_one_parameter_that_skips_or_fails(ci, tmp_path, monkeypatch):
    monkeypatch.setattr(conftest, "CORPUS", tmp_path / "shared" / "corpus" / "real-xlsx")
    [parameter] = conftest.corpus("*.xlsx")
    with expected(ci) as raised:
        conftest.from_shared(*parameter.values)
    assert "real-xlsx is missing" in str(raised.value)


def test_a_missing_reader_skips_naming_its_package_or_fails(ci):
    with expected(ci) as raised:
        conftest.need("no-such-reader-here", "no-such-package")
    assert "apt-get install no-such-package" in str(raised.value)


def test_a_test_that_runs_a_reader_must_be_marked_so():
    """make test-fast leaves out the tests marked `reader`: one that runs a reader unmarked fails."""
    with pytest.raises(pytest.fail.Exception, match="mark it @pytest.mark.reader"):
        conftest.need("pandoc", "pandoc")
