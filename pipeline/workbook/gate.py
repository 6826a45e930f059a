"""The file gate: what is refused before the package is read, and what is noted about a file
that passes. Every package the pipeline opens (the workbook, its annotated copy's source)
comes through here first."""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from ..checks import catalogue
from ..checks.catalogue import Rule
from ..errors import WorkbookUnreadable
from .reader import declares_dtd


@dataclass(frozen=True)
class Issue:
    """A catalogue entry raised by the workbook side, and what it says in this case."""

    rule: Rule
    message: str

    @property
    def code(self) -> str:
        return self.rule.code


_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Limits checked on the zip's own directory before anything is decompressed, so that a small
# file that inflates to gigabytes (a zip bomb) is refused. Real workbooks compress 5–30 times.
MAX_UNPACKED_BYTES = 1 << 30
MAX_RATIO = 200
_RATIO_APPLIES_ABOVE = 10 << 20


def check_file(path: Path) -> list[Issue]:
    """Refuse what is not an .xlsx package, before any XML is parsed; note what is odd about
    one that is."""
    if not path.exists():
        raise WorkbookUnreadable(f"{path} does not exist. Check the path, or create a blank workbook with `init`.")
    if path.is_dir():
        raise WorkbookUnreadable(f"{path} is a folder, not a workbook. Give the path of the .xlsx file.")
    suffix = path.suffix.lower()
    if suffix in {".xls", ".xlsb", ".ods", ".csv"}:
        raise WorkbookUnreadable(
            f"{path} is a {suffix} file; the pipeline reads Excel workbooks (.xlsx). "
            "Open it in Excel or LibreOffice and save it as 'Excel Workbook (.xlsx)'."
        )
    with path.open("rb") as handle:
        head = handle.read(8)
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
        notes.append(Issue(catalogue.MACROS_IGNORED, "The workbook holds macros (.xlsm). Its data is read; its macros are never run."))
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
    try:
        with zipfile.ZipFile(path) as package:
            entries = package.infolist()
            unpacked = sum(entry.file_size for entry in entries)
            inflated = [
                e for e in entries if e.file_size > _RATIO_APPLIES_ABOVE and e.file_size > MAX_RATIO * max(e.compress_size, 1)
            ]
            if unpacked > MAX_UNPACKED_BYTES or inflated:
                raise WorkbookUnreadable(
                    f"{path} would unpack to {unpacked / (1 << 20):,.0f} MB"
                    f"{' and is compressed far more than real workbooks are' if inflated else ''}; "
                    "it is refused unread, as it looks like a zip bomb. If it is a real workbook, delete unused sheets and rows."
                )
            if "xl/workbook.xml" not in {entry.filename for entry in entries}:
                raise WorkbookUnreadable(f"{path} is a zip file but not an Excel workbook (it has no xl/workbook.xml).")
            with package.open("xl/workbook.xml") as workbook_part:
                workbook_xml = workbook_part.read(4096)
            _refuse_dtds(path, package, entries)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
        raise WorkbookUnreadable(f"{path} is damaged (its zip package cannot be read: {exc}). Save it again from Excel.") from exc
    if b"purl.oclc.org/ooxml/spreadsheetml" in workbook_xml:
        raise WorkbookUnreadable(
            f"{path} is saved as 'Strict Open XML Spreadsheet', which cannot be read. "
            "In Excel, use Save As and choose 'Excel Workbook (.xlsx)'."
        )


def _refuse_dtds(path: Path, package: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> None:
    """Refuse a package any part of which declares a DTD: Excel never writes one, and it is
    the way into entity attacks. Every part, not only those loading reads: openpyxl reads
    them all for the annotated copy. Each is read only as far as its first element."""
    for entry in entries:
        with package.open(entry) as part:
            if declares_dtd(part):
                raise WorkbookUnreadable(
                    f"{path} could not be read: its part {entry.filename} declares a DTD, which Excel never writes, "
                    "so it is refused as a possible XML attack. Open the workbook in Excel and save it again."
                )
