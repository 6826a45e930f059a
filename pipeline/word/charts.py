"""Charts drawn from Figures rows, as PNG images for the briefing.

The same chart gives the same bytes: fixed size and resolution, no timestamp or software tag
in the PNG, and the font file the machine's fontconfig picks for the document's font (the one
LibreOffice draws the text with: Carlito for Calibri, say), or one shipped with matplotlib.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import io
import json
import os
import re
import shutil
import subprocess
import textwrap
import time
from pathlib import Path

from ..files import replacing
from ..briefing.model import Chart, Figure
from ..briefing.wording import figure_value
from ..formats import clipped

DPI = 300  # print resolution
CACHE_DAYS = 30
FALLBACK_FONT = "DejaVu Sans"  # ships with matplotlib: there on every machine
BAR_COLOUR = "#1F4E79"
NEGATIVE_COLOUR = "#A50021"
TEXT_COLOUR = "#1F2A44"
GRID_COLOUR = "#D0D5DD"
_STYLE = {
    "font.size": 9,  # as the document's table text
    "text.parse_math": False,  # labels are the analysts' text: "$ bn ($)" is not TeX
    "text.color": TEXT_COLOUR,
    "axes.labelcolor": TEXT_COLOUR,
    "xtick.color": TEXT_COLOUR,
    "ytick.color": TEXT_COLOUR,
    "axes.edgecolor": GRID_COLOUR,
}


def png(chart: Chart, cache: Path | None, font: str, width_inches: float) -> bytes:
    """The chart as PNG bytes, `width_inches` wide, its text in `font` (a family name) as
    near as this machine has it. With a `cache` folder, a chart drawn before (same values and
    labels, same font and size, same drawing code, same matplotlib) is read back instead of
    drawn: a rebuild after editing a statement, or a figure's footnote, need not load
    matplotlib at all."""
    font_file = _font_file(font)
    if cache is None:
        return _draw(chart, font_file, width_inches)
    drawn = (chart.kind, chart.unit, [(p.label, p.credit, *_span(p.figure)) for p in chart.points], font_file, round(width_inches, 3))
    name = f"chart-{hashlib.sha256(repr((drawn, _drawing_code())).encode()).hexdigest()[:32]}.png"
    index = _Index(cache)
    image = index.cached(name)
    if image is None:
        image = _draw(chart, font_file, width_inches)
        index.store(name, image)
    return image


class _Index:
    """What the cache folder holds of ours: each entry it wrote, with the SHA-256 of the bytes
    written. Nothing else in the folder is touched, however it is named; an entry swapped or
    damaged since is drawn again rather than put in a briefing."""

    FILE = "chart-cache-index.json"
    FORMAT = "briefing chart cache 1"
    ENTRY = re.compile(r"chart-[0-9a-f]{32}\.png")

    def __init__(self, folder: Path):
        self.folder = folder
        self.entries = self._read()

    def _read(self) -> dict[str, str] | None:
        """The entries, or None when a file of the index's name is not an index of ours."""
        try:
            index = json.loads((self.folder / self.FILE).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            return None
        if not isinstance(index, dict) or index.get("format") != self.FORMAT or not isinstance(index.get("entries"), dict):
            return None
        return {name: digest for name, digest in index["entries"].items() if self.ENTRY.fullmatch(name) and isinstance(digest, str)}

    def cached(self, name: str) -> bytes | None:
        """The entry's bytes, if it is ours and unchanged since it was written."""
        digest = (self.entries or {}).get(name)
        if digest is None:
            return None
        path = self.folder / name
        try:
            image = path.read_bytes()
        except OSError:
            return None
        if hashlib.sha256(image).hexdigest() != digest:
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # in use: keep it
        return image

    def store(self, name: str, image: bytes) -> None:
        """Keep `image` as entry `name`, and forget entries no build has used for CACHE_DAYS.
        A cache that cannot be written is no reason to fail a build: the chart is simply
        drawn again next time."""
        if self.entries is None:
            return
        with contextlib.suppress(OSError):
            with replacing(self.folder / name) as partial:
                partial.write_bytes(image)
            entries = {**(self._read() or {}), name: hashlib.sha256(image).hexdigest()}  # with another build's, since
            entries = self._forget_old(entries)
            with replacing(self.folder / self.FILE) as partial:
                partial.write_text(json.dumps({"format": self.FORMAT, "entries": entries}, indent=1, sort_keys=True), encoding="utf-8")

    def _forget_old(self, entries: dict[str, str]) -> dict[str, str]:
        """Charts no build has used for a month are drafts long since edited: remove them."""
        cutoff = time.time() - CACHE_DAYS * 86400
        kept = {}
        for name, digest in entries.items():
            path = self.folder / name
            try:
                if path.stat().st_mtime >= cutoff:
                    kept[name] = digest
                    continue
            except FileNotFoundError:
                continue
            path.unlink(missing_ok=True)
        return kept


@functools.cache
def _drawing_code() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest() + importlib.metadata.version("matplotlib")


@functools.cache
def _font_file(family: str) -> str | None:
    """The font file fontconfig draws `family` with here (a metric-compatible stand-in for an
    Office font where the machine has one), or None where there is no fontconfig."""
    if not shutil.which("fc-match"):
        return None
    found = subprocess.run(["fc-match", "--format=%{file}", family], capture_output=True, text=True, timeout=30)
    path = found.stdout.strip()
    return path if found.returncode == 0 and path.lower().endswith((".ttf", ".otf")) else None


@functools.cache
def _family(font_file: str) -> str:
    """Make a font file known to matplotlib, once; its family name."""
    from matplotlib import font_manager

    font_manager.fontManager.addfont(font_file)
    return font_manager.FontProperties(fname=font_file).get_name()


def _draw(chart: Chart, font_file: str | None, width_inches: float) -> bytes:
    # Imported here, so that a workbook without charts never pays for loading matplotlib.
    # The object-oriented API, not pyplot: no global state, no GUI backend to load.
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with rc_context({**_STYLE, "font.family": _family(font_file) if font_file else FALLBACK_FONT}):
        bars = chart.kind != "line"
        # Bar charts grow with their bars and the lines of their labels; a line chart keeps a
        # steady aspect.
        lines = sum(max(2, label.count("\n") + 1) for label in _labels(chart))
        height = 0.9 + 0.21 * lines if bars else 2.8
        figure = Figure(figsize=(width_inches, min(height, 7.5)), dpi=DPI)
        FigureCanvasAgg(figure)
        axes = figure.subplots()
        (_bar if bars else _line)(axes, chart)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        axes.set_axisbelow(True)
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()


def _span(figure: Figure) -> tuple[float, float, str]:
    """Where a value's bar starts and ends, and its label: a range is drawn from its low end
    to its high end; any other value from zero."""
    if figure.qualifier == "range" and figure.value_high is not None:
        return figure.value, figure.value_high, figure_value(figure)
    return 0.0, figure.value, figure_value(figure)


def _bar(axes, chart: Chart) -> None:
    """Horizontal bars: long indicator names stay readable; negative values in red."""
    spans = [_span(f) for f in chart.figures]
    starts, ends = [start for start, _, _ in spans], [end for _, end, _ in spans]
    colours = [NEGATIVE_COLOUR if end < 0 else BAR_COLOUR for end in ends]
    widths = [end - start for start, end in zip(starts, ends)]
    # Positions, not category names: two values of one measure from one source share a label,
    # and matplotlib would draw them as one bar.
    positions = range(len(spans))
    bars = axes.barh(positions, widths, left=starts, color=colours, height=0.55)
    axes.set_yticks(positions, _labels(chart))
    axes.bar_label(bars, labels=[label for _, _, label in spans], padding=3)
    axes.invert_yaxis()  # first figure on top, as listed
    axes.axvline(0, color=TEXT_COLOUR, linewidth=0.8)
    axes.set_xlabel(_axis_label(chart))
    axes.grid(axis="x", color=GRID_COLOUR, linewidth=0.6)
    low, high = min(0, *starts, *ends), max(0, *starts, *ends)
    room = (high - low) * 0.15 or 1  # space for the value labels
    axes.set_xlim(low - (room if low < 0 else 0), high + room)


def _line(axes, chart: Chart) -> None:
    """A series over time; a range is a vertical stroke from its low end to its high end."""
    spans = [_span(f) for f in chart.figures]
    positions = range(len(spans))
    axes.plot(positions, [f.value for f in chart.figures], color=BAR_COLOUR, marker="o", linewidth=2)
    axes.set_xticks(positions, _labels(chart))
    for x, (f, (start, end, label)) in enumerate(zip(chart.figures, spans)):
        if f.qualifier == "range":
            axes.vlines(x, start, end, color=BAR_COLOUR, linewidth=4, alpha=0.5)
        axes.annotate(label, (x, max(f.value, end)), textcoords="offset points", xytext=(0, 6), ha="center")
    axes.set_ylabel(_axis_label(chart))
    axes.grid(axis="y", color=GRID_COLOUR, linewidth=0.6)


def _axis_label(chart: Chart) -> str:
    """The value axis says what is measured, in what unit: `Russia–Iran trade (USD bn)`."""
    indicators = {f.indicator for f in chart.figures}
    what = indicators.pop() if len(indicators) == 1 else "Value"
    return _label(f"{what} ({chart.unit})", 100)


def _labels(chart: Chart) -> list[str]:
    """Each point's label, with who gives its value on a line of its own beneath."""
    return [
        "\n".join([textwrap.fill(_label(p.label, 120), 40), *([textwrap.fill(_label(p.credit, 120), 40)] if p.credit else [])])
        for p in chart.points
    ]


def _label(text: str, limit: int) -> str:
    """One line of at most `limit` characters: a label is not a paragraph, and matplotlib takes
    seconds to lay out a very long one. The caption and alt text keep the full wording."""
    return clipped(" ".join(text.split()), limit)
