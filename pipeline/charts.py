"""Charts drawn from Figures rows, as PNG images for the briefing.

The same chart gives the same bytes: fixed size and resolution, no timestamp or software
tag in the PNG, a font shipped with matplotlib.
"""

from __future__ import annotations

import io
import textwrap

from .formats import format_number
from .model import Chart

DPI = 200
SIZE_INCHES = (6.3, 3.0)
BAR_COLOUR = "#1F4E79"
NEGATIVE_COLOUR = "#A50021"
TEXT_COLOUR = "#1F2A44"
GRID_COLOUR = "#D0D5DD"


def render_png(chart: Chart) -> io.BytesIO:
    # Imported here: matplotlib takes a moment to load, and most builds change no chart.
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    labels = [_label(f.indicator, f.period) for f in chart.figures]
    values = [f.value for f in chart.figures]
    with plt.rc_context(
        {
            "font.family": "DejaVu Sans",
            "font.size": 8.5,
            "text.color": TEXT_COLOUR,
            "axes.labelcolor": TEXT_COLOUR,
            "xtick.color": TEXT_COLOUR,
            "ytick.color": TEXT_COLOUR,
            "axes.edgecolor": GRID_COLOUR,
            "svg.hashsalt": "briefing",
        }
    ):
        figure, axes = plt.subplots(figsize=SIZE_INCHES, dpi=DPI)
        try:
            if chart.kind == "line":
                axes.plot(labels, values, color=BAR_COLOUR, marker="o", linewidth=2)
                for x, value in enumerate(values):
                    axes.annotate(format_number(value), (x, value), textcoords="offset points", xytext=(0, 6), ha="center")
            else:
                colours = [NEGATIVE_COLOUR if v < 0 else BAR_COLOUR for v in values]
                bars = axes.barh(labels, values, color=colours, height=0.55)
                axes.bar_label(bars, labels=[format_number(v) for v in values], padding=3)
                axes.invert_yaxis()
                axes.axvline(0, color=TEXT_COLOUR, linewidth=0.8)
                axes.set_xlabel(chart.unit)
                low, high = min(0, *values), max(0, *values)
                margin = (high - low) * 0.15 or 1
                axes.set_xlim(low - (margin if low < 0 else 0), high + margin)
            if chart.kind == "line":
                axes.set_ylabel(chart.unit)
            for side in ("top", "right"):
                axes.spines[side].set_visible(False)
            axes.grid(axis="x" if chart.kind != "line" else "y", color=GRID_COLOUR, linewidth=0.6)
            axes.set_axisbelow(True)
            figure.tight_layout()
            out = io.BytesIO()
            figure.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
        finally:
            plt.close(figure)
    out.seek(0)
    return out


def _label(indicator: str, period: str) -> str:
    return textwrap.fill(f"{indicator} ({period})", 40)
