"""Charts as native Word charts: a DrawingML chart part (`word/charts/chartN.xml`) that Word
and LibreOffice draw themselves, with its data in an embedded workbook.

A chart is numbers and text, not a picture: it is drawn in the document's fonts, a reader can
restyle it, read its values or open its data (Word: Chart Design, Edit Data), and no font of
the building machine goes into the file, so the same workbook gives the same bytes anywhere.
The points come from `items.Chart` alone (`points`), so whatever the model decides a chart
shows is what the chart part and its data hold.
"""

from __future__ import annotations

import io
import math
import re
import sys
import zipfile
from dataclasses import dataclass
from enum import StrEnum

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part, XmlPart
from docx.oxml.ns import nsmap, qn
from docx.shared import Emu, Inches, Length
from lxml import etree

from ..briefing.items import Chart, Qualifier
from ..briefing.wording import figure_value
from ..formats import clipped, format_number
from . import ooxml

BAR_COLOUR = "1F4E79"
NEGATIVE_COLOUR = "A50021"
# A range's bar: a pale fill inside the bar colour's outline, so that it reads as a span, not an amount.
RANGE_COLOUR = "C9DAEC"
TEXT_COLOUR = "1F2A44"
GRID_COLOUR = "D0D5DD"
TEXT_SIZE = 900  # hundredths of a point: as the document's table text
DATA_SHEET = "Data"
# Numbers as the tables print them: as many decimals as each needs, and a true minus sign.
NUMBER_FORMAT = 'General;"\u2212"General'
_CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"
# Labels are the analysts' text: one line each, however long the cell.
LABEL_LIMIT = 120
# What a value label adds where the value cannot be true alongside another the chart's figures are given.
CONFLICT_MARK = "(conflicting)"


class Drawn(StrEnum):
    """How a bar is drawn, by what its value claims; the names head the data sheet's columns."""

    EXACT = "Value"  # an exact value, or one said to be about it: its label says which
    BOUND = "Bound"
    RANGE = "Range"


# What the axis title adds, where a chart draws a value other than as an exact one: the key to how.
_KEYS = {
    ("bar", Drawn.BOUND): "dashed outline: a bound (<, \u2264, >, \u2265)",
    ("bar", Drawn.RANGE): "pale bar: a range, low to high",
    ("line", Drawn.BOUND): "open triangle: a bound (<, \u2264, >, \u2265)",
    ("line", Drawn.RANGE): "stroke: a range, up from its low end",
}


_DRAWN: dict[Qualifier | None, Drawn] = {
    Qualifier.UNDER: Drawn.BOUND,
    Qualifier.OVER: Drawn.BOUND,
    Qualifier.AT_LEAST: Drawn.BOUND,
    Qualifier.AT_MOST: Drawn.BOUND,
}


@dataclass(frozen=True)
class Look:
    """What a chart takes from the document: its fonts and language."""

    font: str  # Latin and Cyrillic text
    complex_font: str  # Arabic-script text
    language: str  # a tag such as en-GB


@dataclass(frozen=True)
class Bar:
    """One value as the chart draws it: its category label (what, and whose where the model
    says so), where its bar or point starts and ends, how it is drawn, and its value as the
    tables write it (`72.6`, `about 4`, `< 5`, `3.1–3.4`), marked where it conflicts with
    another value given for its measure."""

    label: str
    low: float  # a plain value runs from zero; a range from its low end
    high: float
    value: float  # the figure's value: where a line chart's point sits
    negative: bool
    drawn: Drawn
    written: str
    conflicting: bool

    @property
    def plain(self) -> bool:
        """Whether the number alone says the value, as a line chart's labels print it unasked."""
        return not self.conflicting and self.written == format_number(self.value)

    @property
    def far_text(self) -> str:
        """What a bar's far end is labelled: the value, or a range's end away from zero."""
        text = format_number(self.low if self.negative else self.high) if self.drawn == Drawn.RANGE else self.written
        return f"{text} {CONFLICT_MARK}" if self.conflicting else text

    @property
    def near_text(self) -> str:
        """A range's other end: nearer zero, or below it where the range spans zero."""
        return format_number(self.high if self.negative else self.low)


def bars(chart: Chart) -> list[Bar]:
    """What the chart plots, from `items.Chart`'s points in the workbook's order: each value
    with the label and credit the model gives it, so that a value from a disagreeing source is
    plotted, and named, as the model decided."""
    plotted = []
    for point in chart.points:
        figure = point.figure
        high = figure.value_high if figure.qualifier == Qualifier.RANGE else None
        ends = (figure.value, high) if high is not None else (0.0, figure.value)
        plotted.append(
            Bar(
                label=_label(point.label) + (f"\n{_label(point.credit)}" if point.credit else ""),
                low=min(ends),
                high=max(ends),
                value=figure.value,
                negative=(high if high is not None else figure.value) < 0,
                drawn=Drawn.RANGE if high is not None else _DRAWN.get(figure.qualifier, Drawn.EXACT),
                written=figure_value(figure),
                conflicting=bool(figure.differing or figure.same_origin_values),
            )
        )
    return plotted


def axis_title(chart: Chart, start: float = 0.0) -> str:
    """The value axis says what is measured, in what unit: `Russia–Iran trade (USD bn)`. Over
    several indicators, the words they end with in common (`Real GDP growth (%)`), or the unit.
    An axis that does not start at zero (a line chart's) says so, and a chart drawing bounds or
    ranges says how it draws them."""
    indicators = [f.indicator.split() for f in chart.figures]
    shared: list[str] = []
    for words in zip(*(reversed(i) for i in indicators)):
        if len({w.casefold() for w in words}) > 1:
            break
        shared.insert(0, words[0])
    what = " ".join(shared)
    title = _label(f"{what[:1].upper()}{what[1:]} ({chart.unit})" if what else chart.unit)
    notes = [f"axis starts at {format_number(start)}, not zero"] if start else []
    drawn = {b.drawn for b in bars(chart)}
    notes += [key for (kind, way), key in _KEYS.items() if kind == chart.kind and way in drawn]
    return "; ".join([title, *notes])


def axis_scale(chart: Chart) -> tuple[float, float | None]:
    """Where the value axis starts, and its step between gridlines where the start is not zero
    (None: the reader's own). A bar's length is its value, so a bar chart's axis always takes
    in zero. A line shows change: it may start nearer its values, where they lie far from zero
    (all above half the highest)."""
    plotted = bars(chart)
    lowest, highest = min(b.low for b in plotted), max(b.high for b in plotted)
    points = [b.value for b in plotted]  # a line's, where a bar starts at zero
    if chart.kind == "line" and min(points) > 0 and min(points) > highest / 2:
        start = min(points)
    elif lowest >= 0:
        return 0.0, None
    else:  # room on the left for the label at the end of the lowest bar
        start = lowest - 0.15 * (max(highest, 0.0) - lowest)
    size = (max(highest, 0.0) - start) / 8
    if not size >= sys.float_info.min:  # a span no float can step through (a value such as -5e-324): the reader's own
        return 0.0, None
    step = _round_step(size)
    return math.floor(start / step) * step, step


def _round_step(size: float) -> float:
    """The round step (1, 2 or 5 of a power of ten) nearest `size`."""
    power = 10.0 ** math.floor(math.log10(size))
    return min((m * power for m in (1, 2, 5, 10)), key=lambda step: abs(math.log(step / size)))


def height(chart: Chart) -> Length:
    """Bar charts grow with their bars and the lines of their labels; a line chart keeps a
    steady aspect."""
    if chart.kind == "line":
        return Inches(2.8)
    lines = sum(max(2, b.label.count("\n") + 1) for b in bars(chart))
    return Inches(min(0.9 + 0.21 * lines, 7.5))


def add(
    run,
    chart: Chart,
    width: Length,
    look: Look,
    description: str,
    number: int,
    timestamp,
    shape_id: int,
    names: ooxml.PackageNames,
) -> None:
    """Put `chart` into `run` (a python-docx run) as an inline chart `width` wide, its data
    in an embedded workbook and `description` as its alt text. Its drawing's id is
    `shape_id`; its parts and relationships are named from `names`, the package's."""
    document_part = run.part
    package = document_part.package
    space = chart_space(chart, look)
    chart_part = XmlPart(names.next("/word/charts/chart%d.xml"), CT.DML_CHART, space, package)
    relationship = names.relate(document_part, chart_part, RT.CHART)
    data = Part(
        names.next("/word/embeddings/Microsoft_Excel_Worksheet%d.xlsx"), CT.SML_SHEET, workbook(chart, timestamp), package
    )
    space.find(qn("c:externalData")).set(qn("r:id"), names.relate(chart_part, data, RT.PACKAGE))
    drawing = etree.SubElement(run._r, qn("w:drawing"))
    drawing.append(_inline(relationship, width, height(chart), shape_id, number, description))


_NAMESPACES = {prefix: nsmap[prefix] for prefix in ("c", "a", "r")}


def _el(parent, tag: str, val=None, **attributes):
    """A child element; `val` is the `val` attribute nearly every chart element has."""
    element = etree.SubElement(parent, qn(tag))
    if val is not None:
        element.set("val", str(val))
    for name, value in attributes.items():
        element.set(name, str(value))
    return element


class Role(StrEnum):
    """What a column of a bar chart's data does: draws bars, or carries them or their labels unseen."""

    OFFSET = "offset"  # undrawn, from zero to a range's near end; labels that end
    DRAWN = "drawn"
    BELOW = "below"  # a range's part below zero, where it spans zero: drawn as ranges are; labels its low end
    END = "end"  # undrawn and all but empty, just past each bar's far end: carries the label there


@dataclass(frozen=True)
class Series:
    """A column of the data sheet the chart draws: its heading, its values (None: no bar
    there), what it does in the chart, and how its bars are drawn."""

    name: str
    values: tuple[float | None, ...]
    role: Role = Role.DRAWN
    drawn: Drawn = Drawn.EXACT


def series(chart: Chart) -> list[Series]:
    """The series that draw `chart`'s values. A line chart: one, the values themselves. A bar
    chart's bars are stacked, which lets a range float from its low end to its high end: an
    undrawn offset, then a series for each way of drawing a bar that the chart uses (exact,
    bound, range), then an undrawn sliver past each bar's far end that carries its label there,
    outside the bar as a label on a stacked bar cannot otherwise be."""
    plotted = bars(chart)
    if chart.kind == "line":
        return [Series(chart.unit, tuple(b.value for b in plotted))]
    span = max(max(b.high for b in plotted), 0.0) - min(min(b.low for b in plotted), 0.0) or 1.0
    offset: list[float | None] = []
    length: list[float | None] = []
    below: list[float | None] = []
    for b in plotted:
        ends: tuple[float, float, float | None]
        if b.low >= 0 or b.high <= 0:
            near, far = (b.low, b.high) if b.low >= 0 else (b.high, b.low)
            ends = (near, far - near, None)
        else:  # a range across zero: a length each side
            ends = (0.0, b.high, b.low)
        offset.append(ends[0])
        length.append(ends[1])
        below.append(ends[2])
    kinds = [kind for kind in Drawn if any(b.drawn == kind for b in plotted)]
    columns = [Series("Offset", tuple(offset), Role.OFFSET)] if Drawn.RANGE in kinds else []
    for kind in kinds:
        columns.append(Series(kind.value, tuple(n if b.drawn == kind else None for n, b in zip(length, plotted)), drawn=kind))
    if any(n is not None for n in below):
        columns.append(Series(f"{Drawn.RANGE.value}, below zero", tuple(below), Role.BELOW, Drawn.RANGE))
    # The sliver is a millionth of the axis: nothing to see, and on the side the bar ends.
    sliver = span / 1e6
    columns.append(Series("Label", tuple(-sliver if b.negative else sliver for b in plotted), Role.END))
    return columns


def categories(chart: Chart) -> list[str]:
    """Each value's label along the category axis: what it is, and whose."""
    return [b.label for b in bars(chart)]


def chart_space(chart: Chart, look: Look):
    """The chart part's XML: every value labelled, the value axis titled and starting where
    `axis_scale` says, text in the document's fonts. Its link to the embedded data (`c:externalData`) is left for `add` to point at the
    workbook part."""
    plotted, drawn = bars(chart), series(chart)
    root = etree.Element(qn("c:chartSpace"), nsmap=_NAMESPACES)
    _el(root, "c:date1904", 0)
    _el(root, "c:lang", look.language)
    _el(root, "c:roundedCorners", 0)
    body = _el(root, "c:chart")
    _el(body, "c:autoTitleDeleted", 1)
    area = _el(body, "c:plotArea")
    _el(area, "c:layout")
    horizontal = chart.kind != "line"
    if horizontal:
        group = _el(area, "c:barChart")
        _el(group, "c:barDir", "bar")  # horizontal: long indicator names stay readable
        _el(group, "c:grouping", "stacked")
    else:
        group = _el(area, "c:lineChart")
        _el(group, "c:grouping", "standard")
    _el(group, "c:varyColors", 0)
    names = categories(chart)
    for index, column in enumerate(drawn):
        _series(group, index, column, plotted, names, look, horizontal)
    if horizontal:
        _el(group, "c:gapWidth", 80)
        _el(group, "c:overlap", 100)
    else:
        _el(group, "c:marker", 1)
    _el(group, "c:axId", 1)
    _el(group, "c:axId", 2)
    _category_axis(area, look, horizontal)
    start, step = axis_scale(chart)
    # All below zero, a bar chart's axis ends at zero, as it starts there when all are above.
    end = 0.0 if horizontal and max(b.high for b in plotted) <= 0 else None
    _value_axis(area, axis_title(chart, max(start, 0.0)), look, horizontal, (start, end, step))
    _el(body, "c:plotVisOnly", 1)
    _el(body, "c:dispBlanksAs", "gap")
    _no_box(root)
    root.append(_text(look, TEXT_SIZE))
    _el(_el(root, "c:externalData"), "c:autoUpdate", 0)
    return root


def _series(group, index: int, column: Series, plotted: list[Bar], names: list[str], look: Look, horizontal: bool) -> None:
    series = _el(group, "c:ser")
    _el(series, "c:idx", index)
    _el(series, "c:order", index)
    data_column = chr(ord("B") + index)
    name = _el(_el(series, "c:tx"), "c:strRef")
    _el(name, "c:f").text = f"{DATA_SHEET}!${data_column}$1"
    _strings(name, [column.name])
    if not horizontal:
        _fill(_el(_el(series, "c:spPr"), "a:ln", w=28575, cap="rnd"), BAR_COLOUR)
        _marker(_el(series, "c:marker"), "circle", BAR_COLOUR)
        for at, bar in enumerate(plotted):
            if bar.drawn == Drawn.BOUND:  # a bound: an open triangle, unlike the exact values' dots
                point = _el(series, "c:dPt")
                _el(point, "c:idx", at)
                _marker(_el(point, "c:marker"), "triangle", "FFFFFF")
        _line_labels(series, plotted, look)
        _range_strokes(series, plotted)
    elif column.role in (Role.OFFSET, Role.END):
        _no_box(series)
        _el(series, "c:invertIfNegative", 0)
        _bar_labels(series, column, plotted, look)
    else:
        _bar_look(series, column.drawn, BAR_COLOUR)
        _el(series, "c:invertIfNegative", 0)
        for at, bar in enumerate(plotted):
            if bar.negative and column.values[at] is not None:  # a fall stands out from the rises
                colour = _el(series, "c:dPt")
                _el(colour, "c:idx", at)
                _el(colour, "c:invertIfNegative", 0)
                _el(colour, "c:bubble3D", 0)
                _bar_look(colour, column.drawn, NEGATIVE_COLOUR)
        _bar_labels(series, column, plotted, look)
    last = len(plotted) + 1
    categories = _el(_el(series, "c:cat"), "c:strRef")
    _el(categories, "c:f").text = f"{DATA_SHEET}!$A$2:$A${last}"
    _strings(categories, names)
    values = _el(_el(series, "c:val"), "c:numRef")
    _el(values, "c:f").text = f"{DATA_SHEET}!${data_column}$2:${data_column}${last}"
    cache = _el(values, "c:numCache")
    _el(cache, "c:formatCode").text = "General"
    _el(cache, "c:ptCount", len(plotted))
    for at, value in enumerate(column.values):
        if value is not None:
            _el(_el(cache, "c:pt", idx=at), "c:v").text = repr(float(value))
    if not horizontal:
        _el(series, "c:smooth", 0)


def _bar_look(parent, drawn: Drawn, colour: str) -> None:
    """An exact value's bar is filled; a range's is pale inside an outline; a bound's is an
    outline alone, dashed: open, as the value is at one end."""
    properties = _el(parent, "c:spPr")
    if drawn == Drawn.EXACT:
        _fill(properties, colour)
        return
    if drawn == Drawn.RANGE:
        _fill(properties, RANGE_COLOUR)
    else:
        _el(properties, "a:noFill")
    outline = _el(properties, "a:ln", w=12700)
    _fill(outline, colour)
    if drawn == Drawn.BOUND:
        _el(outline, "a:prstDash", "dash")


def _marker(marker, symbol: str, fill: str) -> None:
    _el(marker, "c:symbol", symbol)
    _el(marker, "c:size", 7 if symbol == "triangle" else 6)
    properties = _el(marker, "c:spPr")
    _fill(properties, fill)
    _fill(_el(properties, "a:ln", w=12700), BAR_COLOUR)


def _bar_labels(series, column: Series, plotted: list[Bar], look: Look) -> None:
    """The labels a bar chart's series carries, each its own text: the undrawn sliver past
    each bar its far end's (`72.6`, `about 3.3`, `< 5`, a range's high end), the offset a
    range's near end, inside its undrawn length and so just before the bar, and a range's
    part below zero its low end. Drawn bars carry none: a label on a stacked bar could only
    stand inside it."""
    texts: list[str | None] = [None] * len(plotted)
    for at, bar in enumerate(plotted):
        if column.role == Role.END:
            texts[at] = bar.far_text
        elif bar.drawn == Drawn.RANGE and column.role in (Role.OFFSET, Role.BELOW):
            spans_zero = bar.low < 0 < bar.high
            texts[at] = bar.near_text if spans_zero == (column.role == Role.BELOW) else None
    if not any(texts):
        return
    position = "inBase" if column.role == Role.END else "inEnd"
    labels = _el(series, "c:dLbls")
    for at, text in enumerate(texts):
        label = _el(labels, "c:dLbl")
        _el(label, "c:idx", at)
        if text is None:
            _el(label, "c:delete", 1)
            continue
        _rich(_el(label, "c:tx"), text, look)
        _label_flags(label, position)
    _no_box(labels)
    labels.append(_text(look, TEXT_SIZE))
    _label_flags(labels, position)


def _line_labels(series, plotted: list[Bar], look: Look) -> None:
    """Each point's value above it: the number, in the tables' format, or the words a
    qualified value, a range or a conflict needs (`about 4`, `< 5`, `4–5`), which the number
    alone would misstate. A range's label stands to the right of its stroke."""
    labels = _el(series, "c:dLbls")
    for at, bar in enumerate(plotted):
        if bar.plain:
            continue  # the number, as the series' labels print it
        label = _el(labels, "c:dLbl")
        _el(label, "c:idx", at)
        _rich(_el(label, "c:tx"), f"{bar.written} {CONFLICT_MARK}" if bar.conflicting else bar.written, look)
        _label_flags(label, "r" if bar.drawn == Drawn.RANGE else "t")
    _el(labels, "c:numFmt", formatCode=NUMBER_FORMAT, sourceLinked=0)
    _no_box(labels)
    labels.append(_text(look, TEXT_SIZE))
    _label_flags(labels, "t")


def _rich(text, words: str, look: Look) -> None:
    rich = _el(text, "c:rich")
    _el(rich, "a:bodyPr")
    _el(rich, "a:lstStyle")
    run = _el(_el(rich, "a:p"), "a:r")
    _el(run, "a:rPr", lang=look.language)
    _el(run, "a:t").text = words


def _label_flags(labels, position: str) -> None:
    _el(labels, "c:dLblPos", position)
    for flag, on in (
        ("showLegendKey", 0),
        ("showVal", 1),
        ("showCatName", 0),
        ("showSerName", 0),
        ("showPercent", 0),
        ("showBubbleSize", 0),
    ):
        _el(labels, f"c:{flag}", on)


def _range_strokes(series, plotted: list[Bar]) -> None:
    """A range on a line chart: its point at the low end, a stroke up to the high end."""
    reach = [b.high - b.value if b.drawn == Drawn.RANGE else 0.0 for b in plotted]
    if not any(reach):
        return
    strokes = _el(series, "c:errBars")
    _el(strokes, "c:errDir", "y")
    _el(strokes, "c:errBarType", "plus")
    _el(strokes, "c:errValType", "cust")
    _el(strokes, "c:noEndCap", 1)
    literal = _el(_el(strokes, "c:plus"), "c:numLit")
    _el(literal, "c:formatCode").text = "General"
    _el(literal, "c:ptCount", len(reach))
    for at, value in enumerate(reach):
        _el(_el(literal, "c:pt", idx=at), "c:v").text = repr(float(value))
    _fill(_el(_el(strokes, "c:spPr"), "a:ln", w=38100), BAR_COLOUR)


def _strings(reference, texts: list[str]) -> None:
    """The cached text of a reference into the data sheet, which readers draw from."""
    cache = _el(reference, "c:strCache")
    _el(cache, "c:ptCount", len(texts))
    for index, text in enumerate(texts):
        _el(_el(cache, "c:pt", idx=index), "c:v").text = text


def _category_axis(area, look: Look, bars: bool) -> None:
    axis = _el(area, "c:catAx")
    _el(axis, "c:axId", 1)
    # Bars: first figure on top, as the workbook lists them.
    _el(_el(axis, "c:scaling"), "c:orientation", "maxMin" if bars else "minMax")
    _el(axis, "c:delete", 0)
    _el(axis, "c:axPos", "l" if bars else "b")
    _el(axis, "c:numFmt", formatCode="General", sourceLinked=0)
    _el(axis, "c:majorTickMark", "none")
    _el(axis, "c:minorTickMark", "none")
    _el(axis, "c:tickLblPos", "low")  # beside the axis even when values are negative
    _fill(_el(_el(axis, "c:spPr"), "a:ln", w=9525), TEXT_COLOUR)
    axis.append(_text(look, TEXT_SIZE))
    _el(axis, "c:crossAx", 2)
    _el(axis, "c:crosses", "autoZero")
    _el(axis, "c:auto", 1)
    _el(axis, "c:lblAlgn", "ctr")
    _el(axis, "c:lblOffset", 100)
    _el(axis, "c:noMultiLvlLbl", 0)


def _value_axis(area, title: str, look: Look, bars: bool, scale: tuple[float, float | None, float | None]) -> None:
    """The value axis, from its start (and to its end, and in its steps, where given): set, not
    left to a reader's autoscale, which may start a bar chart's axis near its shortest bar and
    so multiply the differences it shows."""
    start, end, step = scale
    axis = _el(area, "c:valAx")
    _el(axis, "c:axId", 2)
    scaling = _el(axis, "c:scaling")
    _el(scaling, "c:orientation", "minMax")
    if end is not None:
        _el(scaling, "c:max", repr(float(end)))
    _el(scaling, "c:min", repr(float(start)))
    _el(axis, "c:delete", 0)
    _el(axis, "c:axPos", "b" if bars else "l")
    _fill(_el(_el(_el(axis, "c:majorGridlines"), "c:spPr"), "a:ln", w=6350), GRID_COLOUR)
    _axis_title(axis, title, look, vertical=not bars)
    _el(axis, "c:numFmt", formatCode=NUMBER_FORMAT, sourceLinked=0)
    _el(axis, "c:majorTickMark", "none")
    _el(axis, "c:minorTickMark", "none")
    _el(axis, "c:tickLblPos", "nextTo")
    _el(_el(_el(axis, "c:spPr"), "a:ln"), "a:noFill")
    axis.append(_text(look, TEXT_SIZE))
    _el(axis, "c:crossAx", 1)
    # With the bars' categories top to bottom, the value axis stays at the foot of the chart.
    _el(axis, "c:crosses", "max" if bars else "autoZero")
    _el(axis, "c:crossBetween", "between")
    if step is not None:
        _el(axis, "c:majorUnit", repr(step))


def _axis_title(axis, text: str, look: Look, vertical: bool) -> None:
    title = _el(axis, "c:title")
    rich = _el(_el(title, "c:tx"), "c:rich")
    _el(rich, "a:bodyPr", rot=-5400000 if vertical else 0, vert="horz")
    _el(rich, "a:lstStyle")
    paragraph = _el(rich, "a:p")
    _character_properties(_el(_el(paragraph, "a:pPr"), "a:defRPr"), look, TEXT_SIZE)
    run = _el(paragraph, "a:r")
    _el(run, "a:rPr", lang=look.language, sz=TEXT_SIZE, b=0)
    _el(run, "a:t").text = text
    _el(title, "c:overlay", 0)


def _text(look: Look, size: int):
    """A `c:txPr`: the fonts, size and colour of an element's text."""
    text = etree.Element(qn("c:txPr"))
    _el(text, "a:bodyPr")
    _el(text, "a:lstStyle")
    paragraph = _el(text, "a:p")
    _character_properties(_el(_el(paragraph, "a:pPr"), "a:defRPr"), look, size)
    _el(paragraph, "a:endParaRPr", lang=look.language)
    return text


def _character_properties(properties, look: Look, size: int) -> None:
    properties.set("sz", str(size))
    properties.set("b", "0")
    _fill(properties, TEXT_COLOUR)
    _el(properties, "a:latin", typeface=look.font)
    _el(properties, "a:cs", typeface=look.complex_font)


def _fill(parent, colour: str) -> None:
    _el(_el(parent, "a:solidFill"), "a:srgbClr", colour)


def _no_box(parent) -> None:
    """No fill and no border: the chart sits on the page as the text does."""
    properties = _el(parent, "c:spPr")
    _el(properties, "a:noFill")
    _el(_el(properties, "a:ln"), "a:noFill")


def workbook(chart: Chart, timestamp) -> bytes:
    """The chart's data as an .xlsx, which Word opens for Edit Data: labels in column A, each
    series in a column beside it under its name. Dated `timestamp`, so the same chart is the
    same bytes. Written from small templates: one sheet of text and numbers needs none of a
    spreadsheet library, whose loading alone took a fifth of a small briefing's build."""
    drawn = series(chart)
    names = categories(chart)
    rows: list[list[str | float | None]] = [["Figure", *(column.name for column in drawn)]]
    rows += [[name, *(column.values[at] for column in drawn)] for at, name in enumerate(names)]
    width = min(max(len(line) for name in names for line in name.split("\n")) + 2, 80)
    sheet = "".join(
        f'<row r="{number}">' + "".join(_cell(f"{chr(ord('A') + at)}{number}", value) for at, value in enumerate(row)) + "</row>"
        for number, row in enumerate(rows, start=1)
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in (*_DATA_PACKAGE, ("xl/worksheets/sheet1.xml", _DATA_SHEET_XML.format(width=width, rows=sheet))):
            archive.writestr(name, _XML_DECLARATION + xml)
    return ooxml.fixed_zip(buffer.getvalue(), timestamp)


def _cell(reference: str, value) -> str:
    """A cell of the data sheet: a number, or text written in the cell itself."""
    if value is None:
        return ""
    if isinstance(value, str):
        # A spreadsheet reads _x0041_ in a cell's text as the character it escapes: one the
        # text really holds is escaped itself (_x005F_ is the underscore). White space at
        # either end would be dropped unless the text says to keep it.
        cell = etree.Element("c", r=reference, t="inlineStr")  # in the sheet's own namespace, its default
        text = etree.SubElement(etree.SubElement(cell, "is"), "t")
        if value != value.strip():
            text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        text.text = ooxml.xml_text(_ESCAPE_LIKE.sub("_x005F_x", value))
        return etree.tostring(cell, encoding="unicode")
    return f'<c r="{reference}"><v>{value!r}</v></c>'


_ESCAPE_LIKE = re.compile("_x(?=[0-9A-Fa-f]{4}_)")
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_SPREADSHEET = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOCUMENT_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SPREADSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
# The parts of a one-sheet workbook besides its sheet: what a spreadsheet program needs to open it.
_DATA_PACKAGE = (
    (
        "[Content_Types].xml",
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_SPREADSHEET_TYPE}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_SPREADSHEET_TYPE}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_SPREADSHEET_TYPE}.styles+xml"/></Types>',
    ),
    (
        "_rels/.rels",
        f'<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">'
        f'<Relationship Id="rId1" Type="{_DOCUMENT_RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    ),
    (
        "xl/workbook.xml",
        f'<workbook xmlns="{_SPREADSHEET}" xmlns:r="{_DOCUMENT_RELATIONSHIPS}">'
        f'<sheets><sheet name="{DATA_SHEET}" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    (
        "xl/_rels/workbook.xml.rels",
        f'<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">'
        f'<Relationship Id="rId1" Type="{_DOCUMENT_RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_DOCUMENT_RELATIONSHIPS}/styles" Target="styles.xml"/></Relationships>',
    ),
    (
        "xl/styles.xml",
        f'<styleSheet xmlns="{_SPREADSHEET}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>',
    ),
)
_DATA_SHEET_XML = (
    f'<worksheet xmlns="{_SPREADSHEET}"><cols><col min="1" max="1" width="{{width}}" customWidth="1"/></cols>'
    "<sheetData>{rows}</sheetData></worksheet>"
)


def _inline(relationship: str, width: Length, height: Length, shape_id: int, number: int, description: str):
    """The `wp:inline` that places the chart in the text, with its alt text."""
    inline = etree.Element(qn("wp:inline"), nsmap={p: nsmap[p] for p in ("wp", "a", "c", "r")})
    for side in ("distT", "distB", "distL", "distR"):
        inline.set(side, "0")
    _el(inline, "wp:extent", cx=Emu(width), cy=Emu(height))
    _el(inline, "wp:effectExtent", l=0, t=0, r=0, b=0)
    _el(inline, "wp:docPr", id=shape_id, name=f"Chart {number}", descr=description)
    _el(inline, "wp:cNvGraphicFramePr")
    data = _el(_el(inline, "a:graphic"), "a:graphicData", uri=_CHART_URI)
    _el(data, "c:chart").set(qn("r:id"), relationship)
    return inline


def _label(text: str) -> str:
    return clipped(" ".join(text.split()), LABEL_LIMIT)
