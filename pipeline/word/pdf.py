"""The briefing as PDF, through LibreOffice run headless.

`python -m pipeline.word.pdf BRIEFING.docx OUT.pdf` (what `make pdf` runs). LibreOffice's
own `--convert-to pdf` prints a contents field as the .docx holds it, which is without page
numbers where the build had no LibreOffice to lay the pages out; so the conversion is a small
LibreOffice Basic macro that refreshes the contents first. The build's own layout pass
(`part_pages`) is a plain conversion, read back for the page of each heading. Each run has a
private LibreOffice profile and temporary folder inside a folder of the run's own, so that runs
side by side (tests, make, builds) never share one and nothing of the document is left behind
however the run ends, and a time limit. On Linux LibreOffice dies with the run even when the
run is killed outright (SIGKILL); its folder, which only the run could remove, goes at the
next run's start.
"""

from __future__ import annotations

import html
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from docx.oxml.ns import qn
from lxml import etree

from ..errors import InputError
from ..files import Stopped, reading, replacing, scratch_folder, stopping_on_sigterm

TIMEOUT_SECONDS = 180
INSTALL_HINT = "install LibreOffice Writer (Debian and Ubuntu: apt-get install libreoffice-writer-nogui)"

# Opens the document hidden, refreshes every index (the contents) and every field, gives each
# chart its description (LibreOffice drops a .docx drawing's alt text when it opens it; the
# file `descriptions` holds them, a line each, in the charts' order, which is the order
# LibreOffice names them in), saves a tagged PDF/UA.
_MACRO = """Sub ExportPdf(source As String, target As String, descriptions As String)
  Dim opening(0) As New com.sun.star.beans.PropertyValue
  opening(0).Name = "Hidden"
  opening(0).Value = True
  document = StarDesktop.loadComponentFromURL(ConvertToURL(source), "_blank", 0, opening())
  indexes = document.getDocumentIndexes()
  For i = 0 To indexes.getCount() - 1
    indexes.getByIndex(i).update()
  Next
  document.getTextFields().refresh()
  lines = createUnoService("com.sun.star.io.TextInputStream")
  lines.setInputStream(createUnoService("com.sun.star.ucb.SimpleFileAccess").openFileRead(ConvertToURL(descriptions)))
  lines.setEncoding("UTF-8")
  objects = document.getEmbeddedObjects()
  n = 0
  Do While Not lines.isEOF()
    n = n + 1
    description = lines.readLine()
    If objects.hasByName("Object" & n) Then objects.getByName("Object" & n).Description = description
  Loop
  lines.closeInput()
  Dim options(1) As New com.sun.star.beans.PropertyValue
  options(0).Name = "UseTaggedPDF"
  options(0).Value = True
  options(1).Name = "PDFUACompliance"
  options(1).Value = True
  Dim saving(1) As New com.sun.star.beans.PropertyValue
  saving(0).Name = "FilterName"
  saving(0).Value = "writer_pdf_Export"
  saving(1).Name = "FilterData"
  saving(1).Value = options()
  document.storeToURL(ConvertToURL(target), saving())
  document.close(True)
End Sub
"""


class ConversionFailed(Exception):
    """LibreOffice is missing, or did not produce the PDF."""


class LayoutFailed(InputError):
    """LibreOffice is installed but did not lay the briefing out: the build stops, the same way
    every time, rather than write a contents list whose page numbers depend on its luck."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(docx: Path, pdf: Path) -> None:
    """Write `pdf` from `docx`, in one step: a failed conversion leaves a previous PDF as it was."""
    program = soffice()
    if program is None:
        raise ConversionFailed(f"LibreOffice is not installed: {INSTALL_HINT}.")
    # The PDF's place is taken first, so that an output refused (the briefing itself, say) is
    # refused before LibreOffice has spent seconds on it.
    with reading(docx), replacing(pdf) as partial, scratch_folder("briefing-pdf-") as work:
        profile = work / "profile"
        # The macro goes into the profile's own Basic library, which LibreOffice writes
        # when it first starts: so start it once, then put the macro in.
        _run([program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--terminate_after_init"], work)
        module = profile / "user" / "basic" / "Standard" / "Module1.xba"
        if not module.exists():
            raise ConversionFailed(f"LibreOffice did not set up its profile in {profile}.")
        module.write_text(_module_xml(), encoding="utf-8")
        # Plain file names: the macro call takes them as quoted Basic strings.
        source, target, described = work / "briefing.docx", work / "briefing.pdf", work / "descriptions.txt"
        shutil.copyfile(docx, source)
        # No newline after the last: LibreOffice's reader would keep it as part of the line.
        described.write_text("\n".join(chart_descriptions(source)), encoding="utf-8")
        call = f'macro:///Standard.Module1.ExportPdf("{source}","{target}","{described}")'
        _run([program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", call], work)
        if not target.exists() or target.stat().st_size == 0:
            raise ConversionFailed(f"LibreOffice wrote no PDF for {docx}.")
        shutil.copyfile(target, partial)


def chart_descriptions(docx: Path) -> list[str]:
    """Each chart's alt text in `docx`, in the document's order, on one line."""
    with zipfile.ZipFile(docx) as package:
        body = etree.fromstring(package.read("word/document.xml"), etree.XMLParser(resolve_entities=False, huge_tree=True))
    return [
        " ".join((inline.find(qn("wp:docPr")).get("descr") or "").split())
        for inline in body.iter(qn("wp:inline"))
        if inline.find(f".//{qn('c:chart')}") is not None
    ]


def part_pages(docx: bytes, timeout: float = TIMEOUT_SECONDS) -> list[int] | None:
    """The page each level-1 heading of `docx` (a .docx's bytes) starts on, in order, as
    LibreOffice lays the pages out: one conversion to PDF, whose outline (bookmarks) poppler's
    `pdftohtml` reads back. None where LibreOffice or poppler is missing: the contents list then
    goes without page numbers. LayoutFailed where they are installed but the layout fails or
    takes longer than `timeout` seconds: whether the list has numbers never depends on how
    busy the machine was."""
    program, reader = soffice(), shutil.which("pdftohtml")
    if program is None or reader is None:
        return None
    with scratch_folder("briefing-layout-") as work:
        source = work / "briefing.docx"
        source.write_bytes(docx)
        try:
            _run(
                [
                    program,
                    f"-env:UserInstallation={(work / 'profile').as_uri()}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(work),
                    str(source),
                ],
                work,
                timeout,
            )
            # The outline is printed whatever the pages asked for: ask for the first alone.
            found = subprocess.run(
                [reader, "-xml", "-i", "-q", "-stdout", "-f", "1", "-l", "1", str(work / "briefing.pdf")],
                capture_output=True,
                timeout=timeout,
                stdin=subprocess.DEVNULL,
            )
        except (ConversionFailed, subprocess.TimeoutExpired, OSError) as exc:
            raise LayoutFailed(_NOT_LAID_OUT.format(why=exc or "it did not finish")) from None
    if found.returncode != 0:
        raise LayoutFailed(_NOT_LAID_OUT.format(why=f"poppler could not read its PDF (exit {found.returncode})"))
    return _top_level_pages(found.stdout)


_NOT_LAID_OUT = (
    "the briefing could not be laid out to number its contents list ({why}); nothing was written. "
    "If the machine was busy, run again; otherwise report it, with the workbook."
)


def _top_level_pages(xml: bytes) -> list[int] | None:
    try:
        root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True, recover=True))
    except etree.XMLSyntaxError:
        return None
    outline = root.find("outline") if root is not None else None
    if outline is None:
        return None
    return [int(item.get("page")) for item in outline.findall("item") if (item.get("page") or "").isdigit()]


def _run(command: list[str], work: Path, timeout: float = TIMEOUT_SECONDS) -> None:
    """Run LibreOffice (`command`: soffice and its arguments) and wait for it. It runs in a
    process group of its own, which is stopped whole when time runs out or the user interrupts
    (Ctrl-C, SIGTERM): `soffice` starts `soffice.bin`, which would otherwise go on working,
    unseen, long after the build has given up on it. On Linux it also dies with the build
    killed outright (`_dying_with_build`). Its temporary files (`lu*.tmp`, holding the
    document) go in `work`, which the caller removes, never in the machine's temporary folder."""
    temporary = work / "tmp"
    temporary.mkdir(exist_ok=True)
    started = [*_dying_with_build(command[0]), *command[1:]]
    # SAL_ENABLE_FILE_LOCKING: as the soffice script sets it for soffice.bin.
    environment = {**os.environ, "TMPDIR": str(temporary), "TMP": str(temporary), "TEMP": str(temporary)}
    environment["SAL_ENABLE_FILE_LOCKING"] = "1"
    deadline = time.monotonic() + timeout
    while True:
        with subprocess.Popen(
            started,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
            env=environment,
        ) as process:
            try:
                _, errors = process.communicate(timeout=max(deadline - time.monotonic(), 0))
            except subprocess.TimeoutExpired:
                _stop(process)
                raise ConversionFailed(f"LibreOffice did not finish within {timeout:g} s.") from None
            except BaseException:
                _stop(process)
                raise
        if process.returncode != _RESTART:
            break
    if process.returncode != 0:
        raise ConversionFailed(f"LibreOffice failed (exit {process.returncode}): {errors.strip()}")


# soffice.bin's exit status asking to be started again, as a new profile's first start does;
# the soffice script's launcher restarts it, and so does `_run`, which starts it directly.
_RESTART = 81


def _dying_with_build(program: str) -> list[str]:
    """How to start LibreOffice's `program` so that it dies with the build, however the build
    ends. On Linux: its soffice.bin, started directly (the soffice script's launcher would
    start it as a child of its own, which outlives a killed build), through
    `dying_with_parent.py`, which has the kernel kill it when the build dies. Elsewhere, or
    with no soffice.bin beside soffice, `program` itself."""
    binary = Path(os.path.realpath(program)).with_name("soffice.bin")
    if not sys.platform.startswith("linux") or not sys.executable or not binary.is_file():
        return [program]
    # -I -S: none of the user's or the site's Python set-up, only the standard library.
    return [sys.executable, "-I", "-S", str(Path(__file__).parent.parent / "dying_with_parent.py"), str(os.getpid()), str(binary)]


def _stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:  # it ended meanwhile
        pass
    process.communicate()


def _module_xml() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">\n'
        '<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">'
        f"{html.escape(_MACRO, quote=False).replace(chr(34), '&quot;')}</script:module>\n"
    )


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m pipeline.word.pdf BRIEFING.docx OUT.pdf", file=sys.stderr)
        return 2
    docx, pdf = Path(argv[0]), Path(argv[1])
    kept = f" {pdf} is unchanged." if pdf.exists() else ""
    try:
        with stopping_on_sigterm():  # so that LibreOffice and its files go with the run, as on Ctrl-C
            convert(docx, pdf)
    except ConversionFailed as exc:
        print(f"error: {exc}{kept}", file=sys.stderr)
        return 1
    except InputError as exc:
        print(f"error: {exc}{kept}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, Stopped):
        print(f"Stopped; LibreOffice was stopped too.{kept}", file=sys.stderr)
        return 130
    print(f"Wrote {pdf}.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
