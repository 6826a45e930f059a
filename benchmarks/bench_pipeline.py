"""How long checking and building take, as an analyst runs them (a fresh process each time),
on the sample and on generated workbooks far larger than it, against the targets.

Run with `make bench`. Prints figures; asserts nothing: targets are read off, not tested.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from pipeline.contract import KEY_VALUE_HEADERS, SHEETS

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "inputs" / "russia_iran_ties.xlsx"
# Generated workbooks are kept between runs: writing the largest takes longer than reading it.
CACHE = ROOT / "benchmarks" / ".generated"
SIZES = (1_000, 6_000, 60_000)

# (workbook, measure) -> seconds, and the peak memory of the largest, in MB.
TARGETS = {
    ("sample", "validate"): 0.3,
    ("sample", "build"): 0.6,
    (1_000, "build"): 0.5,
    (6_000, "validate"): 0.8,
    (6_000, "build"): 1.5,
    (60_000, "validate"): 4.0,
    (60_000, "build"): 8.0,
}
PEAK_MB_TARGET = {60_000: 1024}
# Ten times the rows may cost at most this many times the time.
GROWTH_TARGET = 11.0
# A build against a released edition (the briefing and its redline): seconds, and at most this
# many times the same build without one.
EDITION_TARGETS = {6_000: 1.5, 60_000: 10.0}
EDITION_GROWTH_TARGET = 1.3
# Many charts: this many two-figure charts, in a workbook of this many statements, in seconds.
CHARTS, CHARTS_STATEMENTS, CHARTS_TARGET = 2_000, 12_000, 20.0
# The redline of the smallest workbook against a previous edition of as many rows as the contract
# lets a workbook have (each sheet holds at most 100,000: this many statements, with figures,
# events and sources in proportion, give some 170,000 rows), in seconds: a minute for 200,000
# rows, the time in proportion to the previous edition's rows.
REDLINE_PREVIOUS_STATEMENTS = 99_000
REDLINE_TARGET, REDLINE_TARGET_ROWS = 60.0, 200_000


def generate(path: Path, statements: int, kind: str = "", charts: int = 0) -> None:
    """A valid workbook with `statements` statements and figures, events and sources in proportion;
    of a `kind` of workbook that `KINDS` makes from it, when given; with `charts`, that many charts
    of two figures each in place of the usual five of four."""
    from openpyxl import Workbook  # here, in a process of its own: see `run`

    sections = max(5, statements // 500)
    sources = max(3, statements // 50)
    rows = {
        "Briefing": [
            ["title", "Generated briefing"],
            ["as_of", dt.datetime(2024, 12, 31)],
            ["marking", "TLP:CLEAR"],
            ["summary", "A generated workbook for timing the pipeline."],
        ],
        "Sections": [[f"sec{i}", i, f"Section {i}", "Generated section."] for i in range(sections)],
        "Sources": [
            [f"S{i}", f"Publisher {i}", f"Report {i}", None, "2024-05", None, f"https://example.org/{i}", "news", "B"]
            for i in range(sources)
        ],
        "Figures": [_figure(i, sections, sources) for i in range(statements // 2)],
        "Statements": [
            [
                f"ST{i}",
                f"sec{i % sections}",
                f"Generated statement number {i}, likely long enough to wrap onto a second line in the briefing's body text.",
                ("fact", "quote", "claim", "assessment")[i % 4],
                "A spokesperson",
                "2024-03",
                # Information confirmed by other sources (credibility 1) names them.
                f"S{i % sources}, S{(i + 1) % sources}" if i % 6 == 0 else f"S{i % sources}",
                f"para. {i % 40}; p. {i % 90}" if i % 6 == 0 else f"para. {i % 40}",
                i % 6 + 1,
                *(("moderate", "Y" if i < 6 else "N", "likely") if i % 4 == 3 else (None, "Y" if i < 6 else "N", None)),
            ]
            for i in range(statements)
        ],
        "Events": [
            [f"E{i}", f"20{10 + i % 14}-{1 + i % 12:02d}", f"sec{i % sections}", f"Generated event {i}.", f"S{i % sources}", None]
            for i in range(statements // 5)
        ],
        "Charts": [
            [f"C{i}", f"sec{i}", f"Chart {i}", "bar", ", ".join(f"F{i * 4 + k}" for k in range(4)), "Generated."]
            for i in range(min(5, sections))
        ]
        if not charts
        else [
            [f"C{i}", f"sec{i % sections}", f"Chart {i}", "bar", f"F{first}, F{second}", None]
            for i, (first, second) in enumerate(zip(*[iter(_unrestated(charts * 2))] * 2))
        ],
    }
    if kind:
        KINDS[kind](rows, sections, sources)
    # A normal (not write-only) workbook, so that each sheet declares its dimension as Excel's do.
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in SHEETS:
        if sheet.name not in rows:  # an optional sheet these workbooks leave out
            continue
        worksheet = workbook.create_sheet(sheet.name)
        headers = list(KEY_VALUE_HEADERS) if sheet.key_value else [c.name for c in sheet.columns]
        worksheet.append(headers)
        for row in rows[sheet.name]:
            # By header, so that a column the contract adds stays blank rather than shifting the rest.
            worksheet.append(row if sheet.key_value else [dict(zip(_GENERATED_COLUMNS[sheet.name], row)).get(h) for h in headers])
    workbook.save(path)


def _figure(i: int, sections: int, sources: int) -> list:
    """Figure i, one row per measure as most are; but as a desk's workbook holds, some measures
    are given by several sources (every tenth row restates the one before it from another
    source, and every fiftieth a third time), which agree with it or, one time in three, give a
    value that cannot be true alongside it. The charts plot only the first twenty figures, which
    no other row restates, so that no chart leaves out one of a measure's values."""
    measure = i
    if i >= 20 and (i % 10 == 9 or i % 50 == 48):
        measure = i - 1 if i % 50 != 49 else i - 2
    value = measure * 1.5
    restated = measure != i
    conflicting = restated and (i // 10) % 3 == 2
    return [
        f"F{i}",
        f"sec{measure % sections}",
        f"Indicator {measure % 40}, series {measure // 200}",
        value * 1.25 if conflicting else value,
        "USD bn",
        str(2000 + measure % 25),
        f"S{i % sources}",
        "according to someone",
        f"p. {i % 90}",
        "Y" if i < 8 else "N",
        None,
        "about" if restated and (i // 10) % 3 == 1 else None,
    ]


def _unrestated(count: int) -> list[int]:
    """The first `count` figures (by number) whose measure no other row restates (see `_figure`):
    a chart of them leaves out none of a measure's values."""
    return [i for i in range(count * 2) if i % 10 < 8 and i % 50 != 47][:count]


# The columns `generate` fills, in the order its rows list them.
_GENERATED_COLUMNS = {
    "Sections": ("section_id", "order", "heading", "intro"),
    "Sources": ("source_id", "publisher", "title", "author", "published", "accessed", "url", "source_type", "reliability"),
    "Figures": (
        "figure_id",
        "section_id",
        "indicator",
        "value",
        "unit",
        "period",
        "source_id",
        "attribution",
        "locator",
        "key",
        "note",
        "qualifier",
    ),
    "Statements": (
        "statement_id",
        "section_id",
        "text",
        "kind",
        "attributed_to",
        "date",
        "source_id",
        "locator",
        "credibility",
        "confidence",
        "key",
        "likelihood",
    ),
    "Events": ("event_id", "date", "section_id", "event", "source_id", "locator"),
    "Charts": ("chart_id", "section_id", "title", "kind", "figures", "caption"),
}


def generated(statements: int, kind: str = "", charts: int = 0) -> Path:
    """The generated workbook of that size (and kind, and charts: see `generate`), written once
    per version of this generator."""
    version = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
    name = f"generated-{kind}{'-' if kind else ''}{statements}{f'-charts-{charts}' if charts else ''}"
    path = CACHE / f"{name}-{version}.xlsx"
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        for old in CACHE.glob(f"{name}-*.xlsx"):
            old.unlink()
        partial = path.with_suffix(".partial")
        # In a process of its own, as rows are counted (see `run`): writing 60,000 statements
        # takes this process's memory to hundreds of megabytes.
        write = (
            "from benchmarks.bench_pipeline import generate; from pathlib import Path; "
            f"generate(Path({str(partial)!r}), {statements}, {kind!r}, {charts})"
        )
        subprocess.run([sys.executable, "-c", write], cwd=ROOT, check=True)
        partial.rename(path)
    return path


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float


def run(*args: str) -> Run:
    """One whole process of the cli, as make runs it: its wall time and its own peak memory.
    Linux counts a process's peak from before it ran the cli, as a copy of this one: so this
    process stays small (workbooks are generated and their rows counted in processes apart)."""
    # What it says goes to a file: a pipe nobody reads while it runs would fill and stall it.
    with tempfile.TemporaryFile() as said:
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "pipeline", *args], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=said)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            said.seek(0)
            raise SystemExit(f"{' '.join(args)} failed: {said.read().decode()[-2000:]}")
    return Run(seconds, usage.ru_maxrss / 1024)


def median_run(repeats: int, *args: str) -> Run:
    runs = [run(*args) for _ in range(repeats)]
    return Run(statistics.median(r.seconds for r in runs), max(r.peak_mb for r in runs))


def verdict(value: float, target: float | None) -> str:
    if target is None:
        return ""
    return f"target {target:g}: {'met' if value <= target else f'MISSED by {value / target - 1:.0%}'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="statement counts of the generated workbooks")
    parser.add_argument("--repeats", type=int, default=3, help="runs per figure (the median is shown)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    # An analyst's Python keeps each module compiled after the first run; a machine that sets
    # PYTHONDONTWRITEBYTECODE would compile the pipeline afresh in every timed process instead.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "pipeline")], check=True)
    print(f"Whole processes, median of {args.repeats} runs.\n")
    print(f"{'workbook':>10} {'rows':>8} {'measure':>9} {'seconds':>8} {'× prev':>7} {'peak MB':>8}  against the target")
    previous: dict[str, float] = {}
    growth_misses = []
    edition_misses: list[str] = []
    misses: list[tuple[object, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        for size in ["sample", *sizes]:
            path = SAMPLE if size == "sample" else generated(size)
            rows = _rows(path)
            for measure, cli in (
                ("validate", ["validate", str(path)]),
                ("build", ["build", str(path), "-o", f"{folder}/out.docx"]),
            ):
                # The largest builds too: this machine's speed drifts by a third from one quarter of an
                # hour to the next, and a single run lands where it falls.
                result = median_run(args.repeats, *cli)
                ratio = ""
                if size != "sample" and measure in previous:
                    factor = result.seconds / previous[measure]
                    ratio = f"{factor:>6.1f}×"
                    if factor > GROWTH_TARGET * (size / previous[f"{measure}-size"]) / 10:
                        growth_misses.append(
                            f"{measure} at {size:,}: {factor:.1f}× for {size / previous[f'{measure}-size']:.0f}× the statements"
                        )
                if size != "sample":
                    previous[measure], previous[f"{measure}-size"] = result.seconds, size
                notes = [verdict(result.seconds, TARGETS.get((size, measure)))]
                if result.seconds > TARGETS.get((size, measure), float("inf")):
                    misses.append((size, measure))
                if measure == "build" and size in PEAK_MB_TARGET:
                    notes.append(f"peak {verdict(result.peak_mb, PEAK_MB_TARGET[size])}")
                label = size if size == "sample" else f"{size:,}"
                print(
                    f"{label:>10} {rows:>8,} {measure:>9} {result.seconds:>7.2f}s {ratio:>7} {result.peak_mb:>8.0f}  {'; '.join(n for n in notes if n)}"
                )
                if measure == "build" and size in EDITION_TARGETS:
                    edition_misses += _edition_rows(size, rows, path, result, args.repeats, Path(folder))
        _large_rows(sizes, Path(folder))
    print()
    for size, measure in misses:
        print(
            f"Where the time goes, {measure} at {size if size == 'sample' else f'{size:,}'} statements (one process, stage by stage):"
        )
        timed = stages(SAMPLE if size == "sample" else generated(size))
        shown = timed if measure == "build" else [(stage, seconds) for stage, seconds in timed if stage in VALIDATE_STAGES]
        print("  " + ", ".join(f"{stage} {seconds:.2f}s" for stage, seconds in shown))
    if misses:
        print()
    if growth_misses:
        print(f"Growth: more than {GROWTH_TARGET:g}× the time for 10× the rows: " + "; ".join(growth_misses))
    else:
        print(f"Growth: within {GROWTH_TARGET:g}× the time for 10× the rows at every step.")
    if edition_misses:
        print("Builds against an edition missing their targets: " + "; ".join(edition_misses))
    print()
    repeating_rows(args.repeats)
    print()
    conflicts_row()


# --- measures repeated across sources, as real desks' workbooks give them ---------------------


def _repeating(rows: dict, sections: int, sources: int) -> None:
    """The workbook as real desks' are: each measure given by about ten sources (some agreeing,
    some not), indicators and statements in Russian, Persian and English."""
    rows["Figures"] = [_repeated_figure(i, sections, sources) for i in range(len(rows["Figures"]))]
    for n, chart in enumerate(rows["Charts"]):  # a chart shows every value of a measure it plots
        chart[4] = ", ".join(f"F{n * 10 + k}" for k in range(10))
    for n, statement in enumerate(rows["Statements"]):
        statement[2] = _MULTILINGUAL[n % 3].format(n) + " " + statement[2]


_MULTILINGUAL = (
    "По данным ведомства, товарооборот вырос ({}).",
    "به گفته وزارت، حجم تجارت افزایش یافت ({}).",
    "Per the ministry ({}),",
)
_INDICATORS = ("Товарооборот", "حجم تجارت", "Trade turnover")


def _repeated_figure(i: int, sections: int, sources: int) -> list:
    """Figure i, one of ten of its measure, each from another source: the odd ones `about` the
    measure's value, the even ones a percent apart from one another, so that some agree and
    some cannot be true alongside others."""
    measure, nth = divmod(i, 10)
    base = 100 + measure % 997
    return [
        f"F{i}",
        f"sec{measure % sections}",
        f"{_INDICATORS[measure % 3]} {measure // 25}",
        base * (1 + nth / 100) if nth % 2 == 0 else base,
        "USD bn",
        str(2000 + measure % 25),
        f"S{(measure + nth) % sources}",
        "according to someone",
        f"p. {i % 90}",
        "Y" if i < 8 else "N",
        None,
        "about" if nth % 2 else None,
    ]


def _revised(rows: dict, sections: int, sources: int) -> None:
    """The next edition of the workbook, as a desk revises one between editions: a quarter later,
    every twentieth statement reworded, every fiftieth withdrawn and one new for every hundred,
    every thirtieth figure's value revised. Built against the plain workbook's briefing, its
    changes are what the redline marks, where the plain workbook's second edition has none."""
    rows["Briefing"][1][1] = dt.datetime(2025, 3, 31)
    statements = rows["Statements"]
    for n, statement in enumerate(statements):
        if n % 20 == 7:
            statement[2] = statement[2].replace("Generated statement", "Revised statement")
    new = [[f"NEW{n}", s[1], f"A statement new in this edition, number {n}.", *s[3:]] for n, s in enumerate(statements[::100])]
    rows["Statements"] = [s for n, s in enumerate(statements) if n % 50 != 11] + new
    for n, figure in enumerate(rows["Figures"]):
        if n % 30 == 5 and not any(f"F{n}" in chart[4].split(", ") for chart in rows["Charts"]):
            figure[3] = figure[3] * 1.1 + 1


KINDS = {"repeating": _repeating, "revised": _revised}
REPEATING_SIZES = (6_000, 60_000)


def repeating_rows(repeats: int) -> None:
    """Validate and build the repeating workbooks, held to the targets of the plain ones of
    their size and to the growth target."""
    print(f"{'repeating':>10} {'rows':>8} {'measure':>9} {'seconds':>8} {'× prev':>7} {'peak MB':>8}  against the target")
    previous: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in REPEATING_SIZES:
            path = generated(size, "repeating")
            rows = _rows(path)
            for measure, cli in (
                ("validate", ["validate", str(path)]),
                ("build", ["build", str(path), "-o", f"{folder}/out.docx"]),
            ):
                result = median_run(repeats, *cli)
                growth = ""
                if measure in previous:
                    factor = result.seconds / previous[measure]
                    growth = f"{factor:>6.1f}×" + (" (growth target MISSED)" if factor > GROWTH_TARGET else "")
                previous[measure] = result.seconds
                print(
                    f"{size:>10,} {rows:>8,} {measure:>9} {result.seconds:>7.2f}s {growth:>7} {result.peak_mb:>8.0f}  "
                    f"{verdict(result.seconds, TARGETS.get((size, measure)))}"
                )


# Many figures of one measure, each value another: the validator counts, not lists, conflicts.
CONFLICTING_FIGURES = 4_000
CONFLICTS_TARGET = 2.0


def conflicts_row() -> None:
    """Validate a workbook giving one measure `CONFLICTING_FIGURES` times, each value another
    (as a whole process: reading the workbook counts too)."""
    path = CACHE / f"conflicting-{CONFLICTING_FIGURES}.xlsx"
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        subprocess.run([sys.executable, "-c", _CONFLICTING, str(path), str(CONFLICTING_FIGURES)], cwd=ROOT, check=True)
    result = run("validate", str(path))
    print(
        f"{CONFLICTING_FIGURES:,} conflicting figures of one measure: validate {result.seconds:.2f}s  "
        f"{verdict(result.seconds, CONFLICTS_TARGET)}"
    )


_CONFLICTING = """
import sys
from pathlib import Path
from openpyxl import Workbook
from pipeline.contract import KEY_VALUE_HEADERS, SHEETS
n = int(sys.argv[2])
rows = {
    "Briefing": [["title", "Conflicts"], ["as_of", "2024-12-31"], ["marking", "TLP:CLEAR"], ["summary", "Many values."]],
    "Sections": [{"section_id": "s", "order": 1, "heading": "S"}],
    "Sources": [{"source_id": f"S{i}", "publisher": f"P{i}", "title": "T", "source_type": "news"} for i in range(n)],
    "Figures": [
        {"figure_id": f"F{i}", "section_id": "s", "indicator": "Trade", "value": float(i + 1), "unit": "USD bn", "period": "2022",
         "source_id": f"S{i}"}
        for i in range(n)
    ],
}
workbook = Workbook()
workbook.remove(workbook.active)
for sheet in SHEETS:
    worksheet = workbook.create_sheet(sheet.name)
    headers = list(KEY_VALUE_HEADERS) if sheet.key_value else [c.name for c in sheet.columns]
    worksheet.append(headers)
    for row in rows.get(sheet.name, []):
        worksheet.append(row if sheet.key_value else [row.get(h) for h in headers])
workbook.save(sys.argv[1])
"""


def _edition_rows(size: int, rows: int, path: Path, plain: Run, repeats: int, folder: Path) -> list[str]:
    """The build of `path` against its own briefing as the previous edition: the briefing and
    its redline, against the build without one (`plain`) and the edition targets; then the
    revised workbook's (`_revised_row`). Which of the two missed a target."""
    previous = folder / f"previous-{size}.docx"
    run("build", str(path), "-o", str(previous))
    result = median_run(repeats, "build", str(path), "-o", str(folder / "out.docx"), "--since", str(previous))
    factor = result.seconds / plain.seconds
    notes = [
        verdict(result.seconds, EDITION_TARGETS[size]),
        f"{factor:.2f}× without: {verdict(factor, EDITION_GROWTH_TARGET)}",
    ]
    if size in PEAK_MB_TARGET:
        notes.append(f"peak {verdict(result.peak_mb, PEAK_MB_TARGET[size])}")
    print(
        f"{f'{size:,}':>10} {rows:>8,} {'+edition':>9} {result.seconds:>7.2f}s {'':>7} {result.peak_mb:>8.0f}  {'; '.join(notes)}"
    )
    missed = result.seconds > EDITION_TARGETS[size] or factor > EDITION_GROWTH_TARGET
    revised_missed = _revised_row(size, previous, repeats, folder)
    return [f"{size:,} {row}" for row, was in (("+edition", missed), ("+revised", revised_missed)) if was]


def _revised_row(size: int, previous: Path, repeats: int, folder: Path) -> bool:
    """The revised workbook (`_revised`) built against the plain one's briefing as the previous
    edition: a second edition with changes to mark, against its own build without one."""
    path = generated(size, "revised")
    plain = median_run(repeats, "build", str(path), "-o", str(folder / "revised.docx"))
    result = median_run(repeats, "build", str(path), "-o", str(folder / "out.docx"), "--since", str(previous))
    factor = result.seconds / plain.seconds
    print(
        f"{f'{size:,}':>10} {_rows(path):>8,} {'+revised':>9} {result.seconds:>7.2f}s {'':>7} {result.peak_mb:>8.0f}  "
        f"{verdict(result.seconds, EDITION_TARGETS[size])}; {factor:.2f}× its build without ({plain.seconds:.2f}s): "
        f"{verdict(factor, EDITION_GROWTH_TARGET)} (a second edition with changes: statements reworded, withdrawn and new, figures revised)"
    )
    return result.seconds > EDITION_TARGETS[size] or factor > EDITION_GROWTH_TARGET


def _large_rows(sizes: list[int], folder: Path) -> None:
    """Many charts, and a redline against a large previous edition (the largest workbook's
    briefing, for the smallest workbook), once each."""
    charts = generated(CHARTS_STATEMENTS, charts=CHARTS)
    result = run("build", str(charts), "-o", str(folder / "charts.docx"))
    print(
        f"{f'{CHARTS:,} ch':>10} {_rows(charts):>8,} {'build':>9} {result.seconds:>7.2f}s {'':>7} {result.peak_mb:>8.0f}  "
        f"{verdict(result.seconds, CHARTS_TARGET)}"
    )
    if len(sizes) < 2:
        return
    previous = folder / f"previous-{REDLINE_PREVIOUS_STATEMENTS}.docx"
    run("build", str(generated(REDLINE_PREVIOUS_STATEMENTS)), "-o", str(previous))
    rows = _rows(generated(REDLINE_PREVIOUS_STATEMENTS))
    target = round(REDLINE_TARGET * rows / REDLINE_TARGET_ROWS, 1)
    result = run("build", str(generated(min(sizes))), "-o", str(folder / "out.docx"), "--since", str(previous))
    print(
        f"{'redline':>10} {rows:>8,} {'vs prev':>9} {result.seconds:>7.2f}s {'':>7} {result.peak_mb:>8.0f}  "
        f"{verdict(result.seconds, target)} ({REDLINE_TARGET:g} s for {REDLINE_TARGET_ROWS:,} rows, in proportion; "
        f"{min(sizes):,} statements against a previous edition of {REDLINE_PREVIOUS_STATEMENTS:,}; "
        "the rows are the previous edition's)"
    )


# A build, stage by stage, timed in a process of its own (see `run`): it prints one line per
# stage, "name seconds".
_STAGES = """
import gc, sys, time
start = time.perf_counter()
from pathlib import Path
from pipeline.briefing import editions, model
from pipeline.checks.validate import check
from pipeline.workbook.load import load
from pipeline.word import render
gc.disable()  # as the library does while it builds
def timed(name, step, *args):
    global start
    result = step(*args)
    now = time.perf_counter()
    print(name, now - start)
    start = now
    return result
timed("imports", lambda: None)
loaded = timed("reading", load, Path(sys.argv[1]))
valid = timed("checking", check, loaded).valid
briefing = timed("model", model.build, valid, None)
snapshot = timed("snapshot", editions.snapshot, valid, None, None)
timed("rendering and saving", render.write, briefing, Path(sys.argv[2]), None, lambda: snapshot)
"""


# The stages a validation goes through: the rest are building's.
VALIDATE_STAGES = ("imports", "reading", "checking")


def stages(path: Path) -> list[tuple[str, float]]:
    """How long each stage of a build of `path` takes: where a missed target's time goes."""
    with tempfile.TemporaryDirectory() as folder:
        said = subprocess.run(
            [sys.executable, "-c", _STAGES, str(path), f"{folder}/out.docx"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
    return [(name, float(seconds)) for name, seconds in (line.rsplit(" ", 1) for line in said.splitlines())]


def _rows(path: Path) -> int:
    """Data rows in the workbook, as the pipeline reads them: counted in a process of its own,
    as a process's peak memory is at least its parent's when it was started, and loading the
    largest workbook here would count in every figure after it (see `run`)."""
    count = "import sys; from pipeline.workbook.load import load; print(sum(len(d.records) for d in load(sys.argv[1]).sheets.values()))"
    return int(
        subprocess.run([sys.executable, "-c", count, str(path)], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    )


if __name__ == "__main__":
    main()
