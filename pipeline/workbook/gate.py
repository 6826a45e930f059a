"""The file gate: what is refused before the package is read, and what is noted about a file
that passes. Every workbook the pipeline opens (to read it, or as its annotated copy's source)
comes through here first; the limits every input package shares are in `packages`."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from .. import catalogue
from ..catalogue import Rule
from ..errors import WorkbookUnreadable
from ..packages import InputKind, declares_dtd, opened, read_head


@dataclass(frozen=True)
class Issue:
    """A catalogue entry raised by the workbook side, and what it says in this case."""

    rule: Rule
    message: str

    @property
    def code(self) -> str:
        return self.rule.code


_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORKBOOK = InputKind(
    noun="workbook",
    error=WorkbookUnreadable,
    program="Excel",
    missing="Check the path, or create a blank workbook with `init`.",
    too_big="If it is a real workbook, delete unused sheets and rows.",
)


def check_file(path: Path) -> list[Issue]:
    """Refuse what is not an .xlsx package, before any XML is parsed; note what is odd about
    one that is."""
    suffix = path.suffix.lower()
    if suffix in {".xls", ".xlsb", ".ods", ".csv"} and path.is_file():
        raise WorkbookUnreadable(
            f"{path} is a {suffix} file; the pipeline reads Excel workbooks (.xlsx). "
            "Open it in Excel or LibreOffice and save it as 'Excel Workbook (.xlsx)'."
        )
    head = read_head(path, WORKBOOK)
    if not head:
        raise WorkbookUnreadable(f"{path} is empty (0 bytes). Save the workbook again from Excel.")
    if head == _OLE2_SIGNATURE:
        raise WorkbookUnreadable(
            f"{path} is password-protected or an old-format (.xls) workbook. "
            "Remove the password, or save it as 'Excel Workbook (.xlsx)', and try again."
        )
    if not zipfile.is_zipfile(path):
        raise WorkbookUnreadable(f"{path} is not an Excel workbook (an .xlsx file is a zip package, and this is not one).")
    _check_package(path)
    notes = []
    if suffix == ".xlsm":
        notes.append(
            Issue(catalogue.MACROS_IGNORED, "The workbook holds macros (.xlsm). Its data is read; its macros are never run.")
        )
    lock = path.with_name("~$" + path.name)
    if lock.exists():
        notes.append(
            Issue(
                catalogue.WORKBOOK_OPEN,
                f"{lock.name} exists, so the workbook is probably open in Excel. Edits not yet saved are not included: "
                "save in Excel and run again.",
            )
        )
    return notes


def _check_package(path: Path) -> None:
    with opened(path, WORKBOOK) as package:
        if "xl/workbook.xml" not in package.namelist():
            raise WorkbookUnreadable(f"{path} is a zip file but not an Excel workbook (it has no xl/workbook.xml).")
        with package.open("xl/workbook.xml") as workbook_part:
            workbook_xml = workbook_part.read(4096)
        _refuse_dtds(path, package)
    if b"purl.oclc.org/ooxml/spreadsheetml" in workbook_xml:
        raise WorkbookUnreadable(
            f"{path} is saved as 'Strict Open XML Spreadsheet', which cannot be read. "
            "In Excel, use Save As and choose 'Excel Workbook (.xlsx)'."
        )


def _refuse_dtds(path: Path, package: zipfile.ZipFile) -> None:
    """Refuse a package any part of which declares a DTD: Excel never writes one, and it is
    the way into entity attacks. Every part, not only those loading reads: openpyxl reads
    them all for the annotated copy. Each is read only as far as its first element."""
    for entry in package.infolist():
        with package.open(entry) as part:
            if declares_dtd(part):
                raise WorkbookUnreadable(
                    f"{path} could not be read: its part {entry.filename} declares a DTD, which Excel never writes, "
                    "so it is refused as a possible XML attack. Open the workbook in Excel and save it again."
                )
