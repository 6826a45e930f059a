"""The library entry point and the shape of the package: `pipeline.check`, `build` and `init`
own "errors stop the build"; the sides import one way only; one outline drives the body and
the contents list."""

from __future__ import annotations

import ast
from pathlib import Path

import docx
import pytest

import pipeline
from pipeline.briefing import model, wording
from pipeline.briefing.items import PartRole, Sourcing
from pipeline.checks.validate import ValidWorkbook
from pipeline.workbook.load import load

from .conftest import ROOT

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_check_hands_out_a_valid_workbook_only_without_errors(book, write, sample_xlsx):
    assert isinstance(pipeline.check(sample_xlsx).valid, ValidWorkbook)
    book["Figures"][0]["value"] = "lots"
    checked = pipeline.check(write(book))
    assert checked.valid is None
    assert [p.code for p in checked.errors] == ["not-a-number"]


def test_a_valid_workbook_comes_only_from_validation(sample_xlsx):
    with pytest.raises(TypeError):
        ValidWorkbook(load(sample_xlsx))
    with pytest.raises(TypeError):
        model.build(load(sample_xlsx))  # loaded but never validated


def test_build_writes_nothing_when_the_workbook_has_errors(book, write, tmp_path):
    out = tmp_path / "briefing.docx"
    out.write_bytes(b"last good report")
    book["Statements"][0]["source_id"] = "S9"
    built = pipeline.build(write(book), out)
    assert not built.written and built.briefing is None
    assert [p.code for p in built.checked.errors] == ["unknown-reference"]
    assert out.read_bytes() == b"last good report"


def test_build_returns_what_it_wrote(tmp_path, sample_xlsx):
    built = pipeline.build(sample_xlsx, tmp_path / "briefing.docx")
    assert built.written and built.output.exists()
    assert len(built.briefing.chronology) == 8  # the Kashan drone drills are one event


def test_init_refuses_to_overwrite_and_names_the_file(tmp_path):
    path = tmp_path / "new.xlsx"
    pipeline.init(path)
    assert pipeline.check(path).errors  # blank: the required fields are missing
    with pytest.raises(pipeline.InputError, match="already exists"):
        pipeline.init(path)


def _imported(module: Path) -> set[tuple[str, ...]]:
    """Every pipeline name a module imports, anywhere in it (a function's, or one for the type
    checker only, too), as a dotted path: ("pipeline", "briefing", "wording"). A name imported
    from a module is listed with and without it, as either may be the module."""
    package = list(module.relative_to(ROOT).parent.parts)  # ["pipeline", "word"]
    names = []
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name.split(".") for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            within = base + node.module.split(".") if node.module else base
            names += [within] * bool(node.module) + [within + [alias.name] for alias in node.names]
    return {tuple(name) for name in names if name[0] == "pipeline"}


def _imports(module: Path) -> set[str]:
    """The pipeline subpackages and modules a module imports, by name: `workbook`, `word`, …"""
    return {name[1] for name in _imported(module) if len(name) > 1}


def test_the_architecture_names_every_module():
    """A newcomer finds every module in the reference's "How it is built", by its path below
    `pipeline/` (`word/ooxml.py`): one added without a line there is a part nobody explains."""
    reference = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    built = reference[reference.index("## How it is built") : reference.index("### Testing")]
    modules = [path.relative_to(ROOT / "pipeline").as_posix() for path in (ROOT / "pipeline").rglob("*.py")]
    unnamed = [
        m
        for m in sorted(modules)
        if not m.endswith(("__init__.py", "__main__.py")) and f"`{m}`" not in built and f"pipeline/{m}" not in built
    ]
    assert not unnamed, f"not named in docs/reference.md's How it is built: {unnamed}"


def test_no_module_imports_one_that_imports_it_back():
    """No cycle of imports among the package's modules, not even one broken by importing late
    or for the type checker only: each module can be read knowing only those it imports."""
    paths = {path.relative_to(ROOT).with_suffix("").parts: path for path in (ROOT / "pipeline").rglob("*.py")}
    graph = {name: _imported(path) & paths.keys() - {name} for name, path in paths.items() if name[-1] != "__init__"}
    done: set[tuple[str, ...]] = set()

    def visit(name: tuple[str, ...], path: list[tuple[str, ...]]) -> None:
        assert name not in path, "import cycle: " + " -> ".join(".".join(n) for n in path[path.index(name) :] + [name])
        if name not in done:
            for imported in sorted(graph.get(name, ())):
                visit(imported, path + [name])
            done.add(name)

    for name in sorted(graph):
        visit(name, [])


# What each side may import: only the sides before it in the flow, never across.
ALLOWED = {
    "workbook": {"workbook"},
    "checks": {"checks", "workbook"},
    "briefing": {"briefing", "checks"},
    "word": {"word", "briefing"},
}


@pytest.mark.parametrize("side", sorted(ALLOWED))
def test_each_side_imports_only_the_sides_before_it(side):
    sides = set(ALLOWED)
    for module in sorted((ROOT / "pipeline" / side).glob("*.py")):
        crossed = (_imports(module) & sides) - ALLOWED[side]
        assert not crossed, f"{module.relative_to(ROOT)} imports {crossed}"


def _level_one(document) -> list[str]:
    styles = {"Heading 1", "Heading Unnumbered", "Annex Heading"}
    return [p.text for p in document.paragraphs if p.style.name in styles]


def test_the_contents_list_and_the_body_follow_one_outline(long_docx):
    document = docx.Document(long_docx)
    listed = [p.text.split("\t")[0] for p in document.paragraphs if p.style.name == "toc 1"]
    briefing = model.build(pipeline.check(long_docx.with_suffix(".xlsx")).valid)
    assert listed == [part.listed for part in briefing.outline]
    assert _level_one(document) == [part.heading for part in briefing.outline]
    chapters = [part for part in briefing.outline if part.role == PartRole.CHAPTER]
    assert [part.number for part in chapters] == [str(n) for n in range(1, len(chapters) + 1)]
    annexes = [part.number for part in briefing.outline if part.is_annex]
    assert annexes == ["A", "B"]


def test_without_events_the_sources_annex_is_annex_a(book, write):
    book["Events"] = []
    briefing = model.build(pipeline.check(write(book)).valid)
    assert [p.listed for p in briefing.outline if p.is_annex] == ["Annex A: Sources"]


def test_listing_joins_as_a_sentence_does():
    assert [wording.listing(items) for items in ([], ["a"], ["a", "b"], ["a", "b", "c"])] == ["", "a", "a and b", "a, b and c"]


def test_source_types_are_counted_in_words_from_the_contract():
    sourcing = Sourcing(
        source_types=(("news", 2), ("think_tank", 1), (None, 1)),
        reliability=(("B", 3), (None, 1)),
        reported=0,
        single_source=0,
        figures=0,
        conflicting_figures=0,
        assessments=(),
        assessment_sources=0,
    )
    first, _ = wording.sourcing_note(sourcing)  # the cited sources are counted from the tallies
    assert first.startswith("This briefing cites 4 sources: 2 news reports, 1 think-tank study and 1 source of unstated type.")
    assert "3 graded B and 1 not graded" in first


def test_the_guides_example_runs_as_written_once_an_edition_is_released(tmp_path, monkeypatch, sample_xlsx):
    """The README's own short example, as an analyst pastes it into a notebook in the project."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("## From Python and Jupyter", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    (tmp_path / "inputs").mkdir()
    (tmp_path / "inputs" / sample_xlsx.name).write_bytes(sample_xlsx.read_bytes())
    monkeypatch.chdir(tmp_path)
    assert pipeline.release(Path("inputs") / sample_xlsx.name).new
    exec(compile(example, "README.md", "exec"), {})
    assert (tmp_path / "reports" / "briefing.docx").exists()


def test_the_readme_example_runs_as_written(tmp_path, monkeypatch, sample_xlsx):
    """The reference's "Using it from Python" is code, checked against the library it shows."""
    readme = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    example = readme.split("## Using it from Python", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    (tmp_path / "inputs").mkdir()
    (tmp_path / "inputs" / sample_xlsx.name).write_bytes(sample_xlsx.read_bytes())
    monkeypatch.chdir(tmp_path)
    exec(compile(example, "docs/reference.md", "exec"), {})
    assert (tmp_path / "reports" / "briefing.docx").exists() and (tmp_path / "new.xlsx").exists()


# --- frames ---------------------------------------------------------------------------------------


def test_frames_give_each_sheet_typed_and_indexed_by_its_workbook_row(book, write):
    import pandas as pd

    book["Figures"].append(
        {
            "figure_id": "F03",
            "indicator": "Trade",
            "value": 4.5,
            "unit": "USD bn",
            "period": "2022",
            "source_id": "S1, S2",
            "locator": "p. 1; p. 2",
            "qualifier": "range",
            "value_high": 5,
        }
    )
    book["Sections"][0]["order"] = 3
    sheets = pipeline.frames(write(book))
    assert list(sheets) == ["Briefing", "Sections", "Sources", "Figures", "Statements", "Events", "Charts", "Outlook"]
    figures = sheets["Figures"]
    assert list(figures.index) == [2, 3, 4] and figures.index.name == "row"
    assert str(figures["value"].dtype) == "Float64" and figures.loc[4, "value_high"] == 5.0
    assert pd.isna(figures.loc[2, "value_high"])
    assert figures["key"].dtype == bool and list(figures["key"]) == [True, False, False]
    assert figures.loc[4, "source_id"] == ("S1", "S2") and figures.loc[2, "source_id"] == ("S1",)
    assert list(figures["qualifier"].cat.categories)[:2] == ["about", "under"] and figures.loc[4, "qualifier"] == "range"
    assert str(figures["indicator"].dtype) == "string"
    assert str(sheets["Sections"]["order"].dtype) == "Int64" and list(sheets["Sections"]["order"]) == [3, 1]
    events = sheets["Events"]  # 2022-08-09 and 2022-07: a day and a month
    assert list(events["date"]) == [pd.Timestamp("2022-08-09"), pd.Timestamp("2022-07-01")]
    assert list(events["date_precision"]) == ["day", "month"] and events["date_precision"].cat.ordered
    sources = sheets["Sources"]
    assert sources.loc[2, "published"] == pd.Timestamp("2022-08-01") and pd.isna(sources.loc[3, "published"])
    assert sources.loc[3, "accessed"] == pd.Timestamp("2022-08-30")
    assert sheets["Charts"].loc[2, "figures"] == ("F01", "F02")
    briefing = sheets["Briefing"]
    assert len(briefing) == 1 and briefing.loc[0, "as_of"] == pd.Timestamp("2022-08-31") and pd.isna(briefing.loc[0, "edition"])
    assert briefing.loc[0, "title"] == "Russia–Iran ties"


def test_frames_have_every_contract_column_even_those_a_sheet_lacks(book, write):
    for row in book["Statements"]:
        row.pop("credibility", None)
    path = write(book)
    statements = pipeline.frames(pipeline.check(path))["Statements"]
    assert "credibility" in statements and statements["credibility"].isna().all()


def test_frames_refuse_a_workbook_with_errors_naming_them(book, write):
    book["Figures"][0]["value"] = "lots"
    with pytest.raises(pipeline.WorkbookHasErrors, match=r"has 1 error: Figures!D2 \[not-a-number\]") as refused:
        pipeline.frames(write(book))
    assert [p.code for p in refused.value.checked.errors] == ["not-a-number"]


def test_frames_keep_rows_with_problems_when_asked_naming_them(book, write):
    book["Figures"][0]["value"] = "lots"
    book["Statements"][0]["kind"] = "asessment"
    sheets = pipeline.frames(write(book), errors="keep")
    figures, statements = sheets["Figures"], sheets["Statements"]
    assert len(figures) == len(book["Figures"]) and pd_isna(figures.loc[2, "value"])
    assert figures.loc[2, "problems"] == (
        'D2 [not-a-number] value holds "lots", which is not a number. Type the number alone, and put its unit in the unit column.',
    )
    assert figures.loc[3, "problems"] == ()
    assert [p.split(" ")[1] for p in statements.loc[2, "problems"]] == ["[not-allowed]"]
    assert sheets["Briefing"].loc[0, "problems"] == ()
    with pytest.raises(ValueError, match='errors is "raise" or "keep"'):
        pipeline.frames(write(book), errors="ignore")


def test_frames_of_a_released_edition_are_as_it_was_released(book, write):
    book["Briefing"]["edition"] = "1"
    path = write(book)
    released, value = pipeline.release(path), book["Figures"][0]["value"]
    book["Figures"][0]["value"] = value + 1
    write(book)
    for edition in (released.snapshot, released.briefing):
        sheets = pipeline.frames(edition)
        assert list(sheets) == ["Briefing", "Sections", "Sources", "Figures", "Statements", "Events", "Charts", "Outlook"]
        assert sheets["Figures"].loc[2, "value"] == value and str(sheets["Figures"]["value"].dtype) == "Float64"
        assert sheets["Briefing"].loc[0, "edition"] == "1"


def pd_isna(value) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def test_dir_lists_the_public_api():
    listed = dir(pipeline)
    assert {"check", "build", "frames", "release", "diff", "init", "WorkbookHasErrors"} <= set(listed)
    assert set(pipeline.__all__) <= set(listed) and "errors" not in listed and "library" not in listed


def test_neither_check_nor_build_loads_pandas(tmp_path, sample_xlsx):
    """pandas costs a third of a second to import: only frames may load it."""
    import subprocess
    import sys

    script = (
        "import sys, pipeline; pipeline.build(sys.argv[1], sys.argv[2]); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pandas'))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script, str(sample_xlsx), str(tmp_path / "b.docx")], capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "[]"
