"""The README's pictures of editions: `docs/changes-page.png`, the changes section of a second
edition, and `docs/redline-page.png`, a few of its statements in the redline.

The sample is released as edition 1 in a scratch folder; then a second edition, two weeks on,
changes a few things the way a desk would: a key judgement's likelihood raised, a statement
reworded, a new assessment in place of an anecdote withdrawn (kept in the workbook, marked
withdrawn, with a note saying why), a figure qualified as the article words it ("half"), with
its note. Built against edition 1, both documents are printed through LibreOffice and
the parts shown are cut from their pages. Nothing in the second edition is new reporting: the
article is still the only source.

    python -m docs.changes_preview docs   # what make preview runs
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from lxml import etree
from PIL import Image

import pipeline
from inputs.russia_iran_ties import CONTENT
from pipeline.briefing import wording
from pipeline.word import pdf
from pipeline.workbook.blank import filled


def second_edition(content: dict) -> dict:
    book = copy.deepcopy(content)
    book["Briefing"].update(edition="2", as_of=dt.datetime(2022, 9, 15))
    statements = book["Statements"]
    by_id = {row["statement_id"]: row for row in statements}
    by_id["KJ2"].update(
        likelihood="very likely",
        text="Russia will very likely receive Iranian drones for use in Ukraine, as the U.S. warns, whatever Tehran says of its plans.",
    )
    by_id["ST10"]["text"] = by_id["ST10"]["text"].replace("shops and hotels,", "shops and hotels these days,")
    statements.insert(
        statements.index(by_id["ST11"]),
        {
            "statement_id": "ST36",
            "section_id": "trade",
            "kind": "assessment",
            "likelihood": "likely",
            "confidence": "low",
            "text": "A revived nuclear deal would likely bring more Russian investment into Iran.",
            "source_id": "S1",
            "locator": "para. 8",
        },
    )
    by_id["ST11"].update(withdrawn="Y", change_note="One hotel lobby is an anecdote, not evidence of business ties.")
    figures = {row["figure_id"]: row for row in book["Figures"]}
    figures["F11"].update(qualifier="about", change_note="The seller said “half”, a round number.")
    return book


def main(folder: Path) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        workbook = scratch / "russia_iran_ties.xlsx"
        filled(CONTENT).save(workbook)
        pipeline.release(workbook)
        filled(second_edition(CONTENT)).save(workbook)
        built = pipeline.build(workbook, scratch / "briefing.docx")
        shown = (
            (built.output, wording.changes_heading("1", dt.date(2022, 8, 31)), wording.BOTTOM_LINE, "changes-page.png"),
            (
                built.redline,
                "August 2022: Russian is often heard",
                "Discussions have been held of an export corridor",
                "redline-page.png",
            ),
        )
        for document, heading, stop, name in shown:
            printed = document.with_suffix(".pdf")
            pdf.convert(document, printed)
            pieces = [_drawn(printed, page, top, bottom, scratch) for page, top, bottom in _stretches(printed, heading, stop)]
            picture = Image.new("RGB", (max(p.width for p in pieces), sum(p.height for p in pieces)), "white")
            for index, piece in enumerate(pieces):
                picture.paste(piece, (0, sum(p.height for p in pieces[:index])))
            folder.mkdir(parents=True, exist_ok=True)
            picture.save(folder / name, optimize=True)
            print(f"Wrote {folder / name}.")


# Where the picture is cut, around the text, in points; and how finely it is drawn.
MARGIN = 14
RESOLUTION = 100


def _stretches(printed: Path, heading: str, stop: str) -> list[tuple[int, float, float]]:
    """(page, top, bottom) of each stretch of the part under `heading`, in points, page by page
    until a line starting `stop`; each stretch above the page's footnotes and footer."""
    layout = etree.fromstring(
        subprocess.run(["pdftotext", "-bbox-layout", str(printed), "-"], capture_output=True, check=True).stdout
    )
    pages = [
        [
            (float(line.get("yMin")), float(line.get("yMax")), " ".join(w.text or "" for w in line.iter("{*}word")))
            for line in page.iter("{*}line")
        ]
        for page in layout.iter("{*}page")
    ]
    first = [n for n, lines in enumerate(pages) if any(text.startswith(heading) for *_, text in lines)][-1]  # not the contents
    stretches = []
    for number in range(first, len(pages)):
        lines = pages[number]
        if number == first:
            start = next(top for top, _, text in lines if text.startswith(heading))
        else:
            start = min(bottom for _, bottom, text in lines if text.startswith("TLP:"))  # below the marking
        stops = [top for top, _, text in lines if top > start and text.startswith(stop)]
        # Down to the stop, the footnotes ([1] The Portal Center…) or the footer, whichever comes first.
        end = min(
            top
            for top, _, text in lines
            if top > start and (re.match(r"(\d+\s*)?\[\d+\]", text) or text.startswith("TLP:") or text.startswith(stop))
        )
        body = [(top, bottom) for top, bottom, _ in lines if start <= top and bottom <= end]
        if body:
            top, bottom = min(t for t, _ in body), max(b for _, b in body)
            above = max((b for _, b, _ in lines if b <= top), default=top - MARGIN)
            # Half way to the lines around it, at most a margin: clear of them and of the footnotes' rule.
            stretches.append((number + 1, top - min(MARGIN, (top - above) / 2), bottom + min(MARGIN, (end - bottom) / 2)))
        if stops:
            break
    return stretches


def _drawn(printed: Path, page: int, top: float, bottom: float, folder: Path) -> Image.Image:
    stem = folder / f"{printed.stem.replace('.', '-')}-{page}"
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(RESOLUTION), "-f", str(page), "-l", str(page), "-singlefile", str(printed), str(stem)],
        check=True,
    )
    image = Image.open(stem.with_suffix(".png"))
    scale = RESOLUTION / 72
    return image.crop((0, int(top * scale), image.width, int(bottom * scale)))


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs"))
