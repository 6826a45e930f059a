"""The .docx's document properties say what the desk wrote on the Briefing sheet, and nothing
about the machine, the program or the template it was built with."""

from __future__ import annotations

import getpass
import zipfile

import docx
from lxml import etree

from pipeline.cli import main

CUSTOM = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}"


def parts(path):
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist() if name.startswith("docProps/")}


def test_the_properties_come_from_the_briefing_sheet(sample_docx):
    core = docx.Document(sample_docx).core_properties
    assert core.title == "Russia and Iran: Tighter Ties Than Ever"
    assert core.subject.startswith("Diplomacy, trade, wheat")
    assert core.author == core.last_modified_by == "Russia–Iran Desk"
    assert core.keywords == "TLP:CLEAR"
    assert core.created.date().isoformat() == core.modified.date().isoformat() == "2022-08-31"
    assert core.last_printed is None and core.comments == "" and core.content_status == ""
    custom = etree.fromstring(parts(sample_docx)["docProps/custom.xml"])
    assert {p.get("name"): p[0].text for p in custom.iter(f"{CUSTOM}property")} == {"Marking": "TLP:CLEAR"}


def test_no_property_names_the_program_the_machine_or_its_user(sample_docx):
    found = parts(sample_docx)
    app = found["docProps/app.xml"]
    for said in (b"Microsoft Macintosh Word", b"<Pages>", b"<Words>", b"<Template>", b"python-docx", b"lastPrinted"):
        assert all(said not in data for data in found.values()), said
    assert b"<Application>" not in app
    user = getpass.getuser()
    core = docx.Document(sample_docx).core_properties
    assert user not in (core.author, core.last_modified_by)


def test_without_prepared_by_the_author_is_blank(book, write, tmp_path):
    del book["Briefing"]["subtitle"]
    out = tmp_path / "briefing.docx"
    assert main(["build", str(write(book)), "-o", str(out)]) == 0
    core = docx.Document(out).core_properties
    assert (core.author, core.last_modified_by, core.subject) == ("", "", "")
    assert core.title == "Russia–Iran ties"


def test_the_template_gives_no_property(tmp_path, sample_docx, sample_xlsx):
    template = docx.Document()
    template.core_properties.author = "Template Author"
    template.core_properties.title = "Template Title"
    template.core_properties.content_status = "Template Draft"
    template.save(tmp_path / "template.docx")
    out = tmp_path / "briefing.docx"
    assert main(["build", str(sample_xlsx), "-o", str(out), "--template", str(tmp_path / "template.docx")]) == 0
    assert parts(out) == parts(sample_docx)
