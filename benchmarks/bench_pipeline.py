"""How long checking and building take, on the sample and on generated workbooks far larger than it.

Run with `make bench`. Prints figures; asserts nothing: targets are read off, not tested.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

import pipeline
from pipeline.contract import KEY_VALUE_HEADERS, SHEETS

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "inputs" / "russia_iran_ties.xlsx"


def generate(path: Path, statements: int) -> None:
    """A valid workbook with `statements` statements and figures, events and sources in proportion."""
    sections = max(5, statements // 500)
    sources = max(3, statements // 50)
    rows = {
        "Briefing": [
            ["title", "Generated briefing"], ["as_of", dt.datetime(2024, 12, 31)], ["marking", "TLP:CLEAR"],
            ["summary", "A generated workbook for timing the pipeline."],
        ],
        "Sections": [[f"sec{i}", i, f"Section {i}", "Generated section."] for i in range(sections)],
        "Sources": [[f"S{i}", f"Publisher {i}", f"Report {i}", None, "2024-05", None, f"https://example.org/{i}", "news", "B"] for i in range(sources)],
        "Figures": [
            [f"F{i}", f"sec{i % sections}", f"Indicator {i % 40}", i * 1.5, "USD bn", str(2000 + i % 25), f"S{i % sources}", "according to someone", f"p. {i % 90}", "Y" if i < 8 else "N", None]
            for i in range(statements // 2)
        ],
        "Statements": [
            [f"ST{i}", f"sec{i % sections}", f"Generated statement number {i}, long enough to wrap onto a second line in the briefing's body text.",
             ("fact", "quote", "claim", "assessment")[i % 4], "A spokesperson", "2024-03", f"S{i % sources}", f"para. {i % 40}", i % 6 + 1,
             "moderate", "Y" if i < 6 else "N"]
            for i in range(statements)
        ],
        "Events": [[f"E{i}", f"20{10 + i % 14}-{1 + i % 12:02d}", f"sec{i % sections}", f"Generated event {i}.", f"S{i % sources}", None] for i in range(statements // 5)],
        "Charts": [[f"C{i}", f"sec{i}", f"Chart {i}", "bar", ", ".join(f"F{i * 4 + k}" for k in range(4)), "Generated."] for i in range(min(5, sections))],
    }
    # A normal (not write-only) workbook, so that each sheet declares its dimension as Excel's do:
    # without one, openpyxl reads a whole sheet just to open it.
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in SHEETS:
        worksheet = workbook.create_sheet(sheet.name)
        worksheet.append(list(KEY_VALUE_HEADERS) if sheet.key_value else [c.name for c in sheet.columns])
        for row in rows[sheet.name]:
            worksheet.append(row)
    workbook.save(path)


def timed(path: Path, out: Path) -> dict[str, float]:
    """Seconds to check the workbook, and to build its briefing (which checks it again), through
    the library as a notebook or the cli calls it."""
    timings = {}
    start = time.perf_counter()
    checked = pipeline.check(path)
    timings["check"] = time.perf_counter() - start
    assert not checked.problems, checked.problems[:3]
    start = time.perf_counter()
    pipeline.build(path, out)
    timings["build"] = time.perf_counter() - start
    return timings


def cli_seconds(path: Path, out: Path) -> float:
    start = time.perf_counter()
    command = [sys.executable, "-m", "pipeline", "build", str(path), "-o", str(out)]
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000", help="statement counts of the generated workbooks")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        print("make report on the sample, as the analyst runs it (a fresh process):")
        print(f"  {cli_seconds(SAMPLE, folder / 'sample.docx'):.2f} s")
        print()
        print(f"{'statements':>10} {'xlsx KB':>8} {'check':>7} {'build':>7} {'docx KB':>8}")
        for size in (int(s) for s in args.sizes.split(",")):
            path = folder / f"generated-{size}.xlsx"
            generate(path, size)
            out = folder / f"generated-{size}.docx"
            t = timed(path, out)
            print(f"{size:>10} {path.stat().st_size // 1024:>8} {t['check']:>6.2f}s {t['build']:>6.2f}s {out.stat().st_size // 1024:>8}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory of this process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
