"""The command line as an analyst meets it: exit codes, messages, and files left alone."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import zipfile

import pytest

from pipeline.cli import main

from .conftest import (
    ROOT,
    UNSHOWABLE,
    as_at_a_terminal,
    corpus,
    figures_sheet,
    from_shared,
    long_book,
    repacked,
    run_in_process,
    with_unshowable_text,
    write_workbook,
)


def run(*args):
    """The cli in a subprocess, as make runs it."""
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], capture_output=True, text=True, cwd=ROOT)


def test_validate_the_sample_exits_0(sample_xlsx):
    result = run("validate", sample_xlsx)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors, 1 warning" in result.stdout and "[second-hand]" in result.stdout


def test_validate_json_lists_located_issues(book, write):
    book["Figures"][0]["value"] = "4,0"
    book["Briefing"]["titel"] = "typo"
    result = run_in_process("validate", write(book), "--format", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert set(report) == {"workbook", "errors", "warnings", "issues"}
    assert (report["errors"], report["warnings"]) == (1, 1)
    assert {
        "severity": "error",
        "sheet": "Figures",
        "cell": "D2",
        "row": 2,
        "column": "value",
        "code": "not-a-number",
    }.items() <= report["issues"][1].items()


def test_text_report_names_the_cell_and_the_count(book, write):
    book["Figures"][0]["source_id"] = "S9"
    result = run("validate", write(book))
    assert result.returncode == 1
    assert "Figures!G2: error [unknown-reference] source_id names S9, which is not in the Sources sheet." in result.stdout
    assert "1 error, 0 warnings." in result.stdout


def test_a_deleted_source_is_told_once_with_its_count_and_every_cell_listed(book, write, tmp_path):
    """Deleting a Sources row its statements cite: one line says how often it is cited and asks
    whether its row was deleted; the JSON report and the annotated copy still hold every cell."""
    from openpyxl import load_workbook

    for statement in book["Statements"]:
        statement["source_id"] = "S2"
    book["Statements"] += [dict(book["Statements"][0], statement_id=f"ST{n}", text=f"Drill {n} was held.") for n in range(10, 20)]
    book["Sources"] = [s for s in book["Sources"] if s["source_id"] != "S2"]
    book["Figures"] = [f for f in book["Figures"] if "S2" not in str(f["source_id"])]
    book.pop("Charts")
    path, annotated = write(book), tmp_path / "annotated.xlsx"
    report = json.loads(run_in_process("validate", path, "--format", "json").stdout)
    citing = [issue for issue in report["issues"] if issue["code"] == "unknown-reference"]
    assert len(citing) == report["errors"] > len(book["Statements"])  # the statements, and a section and an event
    said = f"S2 is cited {len(citing)} times and is not in the Sources sheet: was its row deleted?"
    assert all(said in issue["message"] for issue in citing)
    text = run_in_process("validate", path, "--annotate", annotated)
    assert text.returncode == 1
    lines = [line for line in text.stdout.splitlines() if said in line]
    assert len(lines) == 1 and lines[0].startswith(f"Sections!E2 and {len(citing) - 1} more cells (Statements!G2; Statements!G3;")
    assert f"{len(citing)} errors, 0 warnings" in text.stdout
    copy = load_workbook(annotated)
    assert all(said in copy[issue["sheet"]][issue["cell"]].comment.text for issue in citing)


QUOTED_VISIBLY = [
    'Figures!D2: error [not-a-number] value holds "\\x1b[31m4", which is not a number.',
    'Figures!D3: error [not-a-number] value holds "14.8\\x0b", which is not a number. Did you mean 14.8?',
    "Row 1 has no column headed 'publisher', which the Sources sheet needs. Did you mean 'publisher\\x1b[31m'?",
    "field 'sub\\x9btitle' is not a Briefing field and is ignored.",
    'statement_id is "ST01\\u200b"; an identifier uses only',
    "Events\\x85!E2: error [unknown-reference]",
]


def test_text_a_message_quotes_is_shown_with_its_controls_spelled_out(book, tmp_path):
    """An escape sequence in a cell must not turn the analyst's terminal red, nor a
    right-to-left override reorder a message: what a message quotes from a header, a field's
    name, a number or id cell, a sheet's name or a file's name shows its invisible characters
    as escapes."""
    result = run("validate", with_unshowable_text(book, tmp_path / "book\x1b[31m.xlsx"))
    assert result.returncode == 1, result.stderr
    assert not UNSHOWABLE.search(result.stdout + result.stderr), repr(result.stdout)
    for line in QUOTED_VISIBLY:
        assert line in result.stdout, line
    assert "book\\x1b[31m.xlsx: 5 errors, 1 warning." in result.stdout
    missing = run("validate", tmp_path / "missing\x1b[31m.xlsx")
    assert missing.returncode == 2 and "missing\\x1b[31m.xlsx does not exist." in missing.stderr
    assert not UNSHOWABLE.search(missing.stderr.replace("\n", ""))


def test_json_shows_controls_spelled_out_and_keeps_the_sheet_name_exact(book, tmp_path):
    result = run("validate", with_unshowable_text(book, tmp_path / "book.xlsx"), "--format", "json")
    assert result.returncode == 1, result.stderr
    assert not UNSHOWABLE.search(result.stdout), repr(result.stdout)
    issues = json.loads(result.stdout)["issues"]
    messages = "\n".join(i["message"] for i in issues)
    assert 'value holds "\\x1b[31m4", which is not a number.' in messages
    assert "Did you mean 'publisher\\x1b[31m'?" in messages and "field 'sub\\x9btitle'" in messages
    assert '"ST01\\u200b"' in messages
    # The sheet's name is data a program looks the sheet up by: exact once the JSON is read.
    assert [i["sheet"] for i in issues if i["code"] == "unknown-reference"] == ["Events\x85"]


def test_build_writes_the_briefing_and_reports_what_it_holds(tmp_path, sample_xlsx):
    out = tmp_path / "out" / "briefing.docx"
    result = run("build", sample_xlsx, "-o", out)
    assert result.returncode == 0, result.stderr
    assert zipfile.is_zipfile(out)
    assert "39 statements" in result.stderr


def test_build_says_when_the_contents_list_has_no_page_numbers(monkeypatch, capsys, tmp_path):
    from pipeline.word import pdf

    monkeypatch.setattr(pdf, "part_pages", lambda docx, timeout: None)  # as on a machine without LibreOffice
    workbook = write_workbook(tmp_path / "long.xlsx", long_book())
    assert main(["build", str(workbook), "-o", str(tmp_path / "long.docx")]) == 0
    assert "note: The contents list has no page numbers" in capsys.readouterr().err


def test_build_with_errors_writes_nothing_and_keeps_the_last_report(book, write, tmp_path):
    out = tmp_path / "briefing.docx"
    out.write_bytes(b"last good report")
    book["Figures"][0]["value"] = "lots"
    result = run("build", write(book), "-o", out)
    assert result.returncode == 1
    assert out.read_bytes() == b"last good report"
    assert "is unchanged" in result.stderr
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_build_from_an_unreadable_file_keeps_the_last_report_and_says_so(tmp_path, sample_xlsx):
    out = tmp_path / "briefing.docx"
    out.write_bytes(b"last good report")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(sample_xlsx.read_bytes()[:4000])
    result = run("build", broken, "-o", out)
    assert result.returncode == 2 and f"{out} is unchanged" in result.stderr
    assert out.read_bytes() == b"last good report"


def test_the_workbook_is_never_written(book, write, tmp_path):
    path = write(book)
    before = (hashlib.sha256(path.read_bytes()).hexdigest(), os.stat(path).st_mtime_ns)
    assert main(["build", str(path), "-o", str(tmp_path / "b.docx")]) == 0
    assert main(["validate", str(path)]) == 0
    assert (hashlib.sha256(path.read_bytes()).hexdigest(), os.stat(path).st_mtime_ns) == before


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("missing.xlsx", None, "does not exist"),
        ("empty.xlsx", b"", "is empty"),
        ("notes.xlsx", b"just some text, not a workbook", "not an Excel workbook"),
        ("table.csv", b"a,b\n1,2\n", "save it as 'Excel Workbook (.xlsx)'"),
        ("binary.xlsb", b"PK\x03\x04" + b"\0" * 100, "is a .xlsb file"),
        ("calc.ods", b"PK\x03\x04" + b"\0" * 100, "is a .ods file"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "save it as 'Excel Workbook (.xlsx)'"),
        ("secret.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "password-protected"),
    ],
)
def test_unreadable_input_exits_2_with_a_clear_message(tmp_path, name, content, expected):
    """In this process: a truncated workbook, a folder and an entity attack are refused with
    exit 2 in a subprocess, as a user runs the command."""
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = run_in_process("validate", path)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_a_folder_is_not_a_workbook(tmp_path):
    result = run("build", tmp_path, "-o", tmp_path / "x.docx")
    assert (result.returncode, "is a folder" in result.stderr) == (2, True)


def test_truncated_workbook(tmp_path, sample_xlsx):
    path = tmp_path / "cut.xlsx"
    path.write_bytes(sample_xlsx.read_bytes()[:5000])
    result = run("validate", path)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_wrong_command_exits_2(sample_xlsx):
    assert run("publish", sample_xlsx).returncode == 2
    assert run("build", sample_xlsx).returncode == 2  # no -o


# A build that stops for a minute as it starts reading a sheet, the workbook open: however
# fast the build or loaded the machine, it is still reading when the test presses Ctrl-C.
_PAUSED_WHILE_READING = """
import sys, time
from pipeline import cli
from pipeline.workbook import reader
rows = reader.SheetStream.rows
def paused(self):
    print("reading", flush=True)
    time.sleep(60)
    yield from rows(self)
reader.SheetStream.rows = paused
sys.exit(cli.main(sys.argv[1:]))
"""


def test_ctrl_c_exits_130_and_leaves_the_last_report(tmp_path):
    """Ctrl-C is the analyst's choice, not a fault in the pipeline (exit 3): a build interrupted
    while it reads a large workbook says so, exits as a shell reports Ctrl-C, and writes nothing."""
    from benchmarks.bench_pipeline import generate

    workbook, out = tmp_path / "large.xlsx", tmp_path / "briefing.docx"
    generate(workbook, 2000)
    out.write_bytes(b"last good report")
    build = subprocess.Popen(
        [sys.executable, "-c", _PAUSED_WHILE_READING, "build", str(workbook), "-o", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        preexec_fn=as_at_a_terminal,
    )
    try:
        assert build.stdout.readline() == "reading\n"
        build.send_signal(signal.SIGINT)
        stdout, stderr = build.communicate(timeout=60)
    finally:
        build.kill()
    assert (build.returncode, stderr, stdout) == (130, "Interrupted; nothing was written.\n", "")
    assert out.read_bytes() == b"last good report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefing.docx", "large.xlsx"]  # no temporary file left


def test_build_refuses_an_output_that_is_not_docx(tmp_path, sample_xlsx):
    result = run("build", sample_xlsx, "-o", tmp_path / "briefing.pdf")
    assert result.returncode == 2


def test_init_writes_a_blank_workbook_and_never_overwrites(tmp_path):
    """In this process: make new runs init in a subprocess (test_make)."""
    path = tmp_path / "new.xlsx"
    assert run_in_process("init", path).returncode == 0
    from openpyxl import load_workbook

    sheets = load_workbook(path).sheetnames
    assert sheets[0] == "Instructions"
    before = path.read_bytes()
    again = run_in_process("init", path)
    assert again.returncode == 2 and "never overwrites" in again.stderr
    assert path.read_bytes() == before
    # A blank workbook is readable and asks for the briefing's required fields.
    blank = json.loads(run_in_process("validate", path, "--format", "json").stdout)
    assert {i["code"] for i in blank["issues"]} == {"required"}
    assert sorted(i["message"].split()[0] for i in blank["issues"]) == ["as_of", "marking", "summary", "title"]


@pytest.fixture
def time_limit():
    """Fail a test that runs past `seconds` instead of letting it hang the suite."""

    def expire(signum, frame):
        raise TimeoutError("took too long: the pipeline must answer every file in bounded time")

    previous = signal.signal(signal.SIGALRM, expire)
    yield lambda seconds: signal.alarm(seconds)
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("path", corpus("*.xls*", "*.xlt*", "*.ods"), ids=lambda p: p.name)
@pytest.mark.slow
def test_real_files_from_many_producers_get_a_report_or_a_clear_error(path, capsys, time_limit):
    """None of these is a briefing workbook: each must end in a located report (exit 1)
    or a one-paragraph error (exit 2), never a traceback or a hang."""
    time_limit(60)
    code = main(["validate", str(from_shared(path))])
    out, err = capsys.readouterr()
    assert code in (1, 2), out + err
    assert "internal error" not in err
    if code == 2:
        assert err.startswith("error: ") and err.count("\n") == 1
    else:
        assert "missing-sheet" in out


_ENTITY_BOMB = (
    b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
    b"&c;",
)
_EXTERNAL_ENTITY = (b'<!DOCTYPE worksheet [<!ENTITY secret SYSTEM "file:///etc/passwd">]>', b"&secret;")


@pytest.mark.parametrize("attack", [_ENTITY_BOMB, _EXTERNAL_ENTITY], ids=["entity-expansion", "external-entity"])
def test_xml_entity_attacks_are_refused(book, write, tmp_path, attack):
    import openpyxl

    assert openpyxl.DEFUSEDXML, "defusedxml must be installed: openpyxl relies on it to refuse entities"
    doctype, reference = attack

    def title_as_entity(sheet: bytes) -> bytes:  # the Briefing sheet: its title becomes the entity
        assert b"Russia&#8211;Iran ties" in sheet
        return doctype + sheet.replace(b"Russia&#8211;Iran ties", reference, 1)

    attacked = repacked(write(book), tmp_path / "attacked.xlsx", {"xl/worksheets/sheet1.xml": title_as_entity})
    result = run("validate", attacked)
    assert result.returncode == 2, result.stdout
    assert "could not be read" in result.stderr and "Traceback" not in result.stderr
    assert "root:" not in result.stdout + result.stderr


# --- packages built to break the reader -----------------------------------------------------


def validate_in_process(path, capsys):
    code = main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err
    return code, out, err


def test_zip_bomb_is_refused_before_anything_is_unpacked(book, write, tmp_path, capsys, time_limit):
    time_limit(20)
    bomb = repacked(write(book), tmp_path / "bomb.xlsx", {"xl/media/image1.png": b"\0" * (64 << 20)})
    code, _, err = validate_in_process(bomb, capsys)
    assert code == 2 and "zip bomb" in err


def test_strict_open_xml_is_named(book, write, tmp_path, capsys):
    def strict(workbook_xml: bytes) -> bytes:
        return workbook_xml.replace(
            b"http://schemas.openxmlformats.org/spreadsheetml/2006/main", b"http://purl.oclc.org/ooxml/spreadsheetml/main"
        )

    code, _, err = validate_in_process(repacked(write(book), tmp_path / "strict.xlsx", {"xl/workbook.xml": strict}), capsys)
    assert code == 2 and "Strict Open XML" in err


def test_a_sheet_declared_as_the_whole_grid_is_read_by_its_cells(book, write, tmp_path, capsys, time_limit):
    time_limit(10)
    rows = '<row r="2"><c r="A2" t="inlineStr"><is><t>F01</t></is></c></row>'
    path = repacked(write(book), tmp_path / "grid.xlsx", {"xl/worksheets/sheet4.xml": figures_sheet(rows)})
    code, out, _ = validate_in_process(path, capsys)
    assert code == 1 and "Figures!C2: error [required]" in out


@pytest.mark.slow
def test_a_million_rows_of_data_are_refused_in_bounded_time(book, write, tmp_path, capsys, time_limit):
    time_limit(30)
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>F{n}</t></is></c></row>' for n in range(2, 1_000_002))
    path = repacked(write(book), tmp_path / "million.xlsx", {"xl/worksheets/sheet4.xml": figures_sheet(rows)})
    code, _, err = validate_in_process(path, capsys)
    assert code == 2 and "more than 100,000 rows" in err


@pytest.mark.slow
def test_a_sheet_formatted_to_its_last_row_is_read_in_bounded_time(book, write, tmp_path, capsys, time_limit):
    time_limit(40)
    del book["Charts"]  # the rewritten Figures sheet holds no figures to chart
    rows = "".join(f'<row r="{n}" s="0" customFormat="1" ht="15"/>' for n in range(2, 1_048_577))
    path = repacked(write(book), tmp_path / "formatted.xlsx", {"xl/worksheets/sheet4.xml": figures_sheet(rows)})
    code, out, _ = validate_in_process(path, capsys)
    assert (code, out.strip().endswith("no problems found.")) == (0, True), out


def with_shared_strings(source, target):
    """`source` rewritten as Excel writes text: in a shared-strings part rather than inline,
    the first string as rich-text runs and with a phonetic guide, which is not part of it."""
    strings: list[str] = []

    def to_shared(match):
        strings.append(match.group(2).decode())
        return f'<c r="{match.group(1).decode()}" t="s"><v>{len(strings) - 1}</v></c>'.encode()

    inline = re.compile(rb'<c r="([A-Z]+\d+)" t="inlineStr"><is><t>(.*?)</t></is></c>', re.S)
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for name in original.namelist():
            data = original.read(name)
            if name.startswith("xl/worksheets/"):
                data = inline.sub(to_shared, data)
            elif name == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            elif name == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
                )
            copy.writestr(name, data)
        first, *rest = strings
        half = len(first) // 2
        items = [
            f'<si><r><rPr><b/></rPr><t>{first[:half]}</t></r><r><t>{first[half:]}</t></r><rPh sb="0" eb="1"><t>guide</t></rPh></si>'
        ]
        items += [f"<si><t>{text}</t></si>" for text in rest]
        copy.writestr(
            "xl/sharedStrings.xml",
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + "".join(items) + "</sst>",
        )
    return target


def test_text_in_shared_strings_reads_as_inline_text_does(book, write, tmp_path):
    """Excel keeps text in a shared-strings part, with rich-text runs and phonetic guides;
    openpyxl (and so the test workbooks) writes it inline. Both read the same."""
    from pipeline.checks.validate import validate
    from pipeline.workbook.load import load

    inline = write(book)
    shared = with_shared_strings(inline, tmp_path / "shared.xlsx")
    read = [load(path) for path in (inline, shared)]

    def content(workbook):
        return {
            name: [(r.row, {column: cell.value for column, cell in r.cells.items()}) for r in data.records]
            for name, data in workbook.sheets.items()
        }

    assert content(read[1]) == content(read[0])
    assert read[1].sheets["Briefing"].columns == {"field": "A", "value": "B"}  # "field" was split in runs
    assert validate(read[1]) == []


def test_an_entity_attack_in_the_shared_strings_is_refused(book, write, tmp_path, capsys):
    shared = with_shared_strings(write(book), tmp_path / "shared.xlsx")

    def attacked(strings: bytes) -> bytes:
        return strings.replace(b"<sst ", _ENTITY_BOMB[0] + b"<sst ", 1).replace(
            b"<t>title</t>", b"<t>" + _ENTITY_BOMB[1] + b"</t>"
        )

    path = repacked(shared, tmp_path / "attacked.xlsx", {"xl/sharedStrings.xml": attacked})
    code, _, err = validate_in_process(path, capsys)
    assert code == 2 and "DTD" in err


def test_ctrl_c_while_the_libraries_load_says_so_too(tmp_path, sample_xlsx):
    """Ctrl-C can come before the cli's own handler is in place: the libraries take a moment to
    load. A stand-in lxml that is interrupted as it loads stands for that moment (lxml, as reading
    a workbook loads it; openpyxl only writes them)."""
    (tmp_path / "lxml").mkdir()
    (tmp_path / "lxml" / "__init__.py").write_text("raise KeyboardInterrupt\n")
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "validate", str(sample_xlsx)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}"},
    )
    assert (result.returncode, result.stderr) == (130, "Interrupted; nothing was written.\n")
