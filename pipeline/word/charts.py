"""Charts as native Word charts: a DrawingML chart part (`word/charts/chartN.xml`) that Word
and LibreOffice draw themselves, with its data in an embedded workbook.

A chart is numbers and text, not a picture: it is drawn in the document's fonts, a reader can
restyle it, read its values or open its data (Word: Chart Design, Edit Data), and no font of
the building machine goes into the file, so the same workbook gives the same bytes anywhere.
The points come from `model.Chart` alone (`points`), so whatever the model decides a chart
shows is what the chart part and its data hold.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part, XmlPart
from docx.oxml.ns import nsmap, qn
from docx.shared import Emu, Inches, Length
from lxml import etree
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from ..briefing.model import Chart
from ..formats import clipped
from . import ooxml

BAR_COLOUR = "1F4E79"
NEGATIVE_COLOUR = "A50021"
TEXT_COLOUR = "1F2A44"
GRID_COLOUR = "D0D5DD"
TEXT_SIZE = 900  # hundredths of a point: as the document's table text
DATA_SHEET = "Data"
# Numbers as the tables print them: as many decimals as each needs, and a true minus sign.
NUMBER_FORMAT = 'General;"\u2212"General'
_CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"
# Labels are the analysts' text: one line each, however long the cell.
LABEL_LIMIT = 120


@dataclass(frozen=True)
class Point:
    label: str
    value: float


@dataclass(frozen=True)
class Look:
    """What a chart takes from the document: its fonts and language."""

    font: str  # Latin and Cyrillic text
    complex_font: str  # Arabic-script text
    language: str  # a tag such as en-GB


def points(chart: Chart) -> list[Point]:
    """What the chart plots, in the order the workbook lists it: the period alone when every
    figure measures the same indicator (a series over time), else indicator and period."""
    one_indicator = len({f.indicator for f in chart.figures}) == 1
    return [
        Point(_label(f.period if one_indicator else f"{f.indicator} ({f.period})"), f.value)
        for f in chart.figures
    ]


def axis_title(chart: Chart) -> str:
    """The value axis says what is measured, in what unit: `Russia–Iran trade (USD bn)`. Over
    several indicators, the words they end with in common (`Real GDP growth (%)`), or the unit."""
    indicators = [f.indicator.split() for f in chart.figures]
    shared = []
    for words in zip(*(reversed(i) for i in indicators)):
        if len({w.casefold() for w in words}) > 1:
            break
        shared.insert(0, words[0])
    what = " ".join(shared)
    return _label(f"{what[:1].upper()}{what[1:]} ({chart.unit})" if what else chart.unit)


def height(chart: Chart) -> Length:
    """Bar charts grow with their bars; a line chart keeps a steady aspect."""
    if chart.kind == "line":
        return Inches(2.8)
    return Inches(min(0.9 + 0.42 * len(chart.figures), 7.5))


def add(run, chart: Chart, width: Length, look: Look, description: str, number: int, timestamp) -> None:
    """Put `chart` into `run` (a python-docx run) as an inline chart `width` wide, its data
    in an embedded workbook and `description` as its alt text."""
    document_part = run.part
    package = document_part.package
    space = chart_space(chart, look)
    chart_part = XmlPart(package.next_partname("/word/charts/chart%d.xml"), CT.DML_CHART, space, package)
    relationship = document_part.relate_to(chart_part, RT.CHART)
    data = Part(
        package.next_partname("/word/embeddings/Microsoft_Excel_Worksheet%d.xlsx"), CT.SML_SHEET,
        workbook(chart, timestamp), package,
    )
    space.find(qn("c:externalData")).set(qn("r:id"), chart_part.relate_to(data, RT.PACKAGE))
    drawing = etree.SubElement(run._r, qn("w:drawing"))
    drawing.append(_inline(relationship, width, height(chart), document_part.next_id, number, description))


_NAMESPACES = {prefix: nsmap[prefix] for prefix in ("c", "a", "r")}


def _el(parent, tag: str, val=None, **attributes):
    """A child element; `val` is the `val` attribute nearly every chart element has."""
    element = etree.SubElement(parent, qn(tag))
    if val is not None:
        element.set("val", str(val))
    for name, value in attributes.items():
        element.set(name, str(value))
    return element


def chart_space(chart: Chart, look: Look):
    """The chart part's XML: one series, no legend (the caption names the chart), values
    labelled, the value axis titled, text in the document's fonts. Its link to the embedded
    data (`c:externalData`) is left for `add` to point at the workbook part."""
    plotted = points(chart)
    root = etree.Element(qn("c:chartSpace"), nsmap=_NAMESPACES)
    _el(root, "c:date1904", 0)
    _el(root, "c:lang", look.language)
    _el(root, "c:roundedCorners", 0)
    body = _el(root, "c:chart")
    _el(body, "c:autoTitleDeleted", 1)
    area = _el(body, "c:plotArea")
    _el(area, "c:layout")
    bars = chart.kind != "line"
    if bars:
        group = _el(area, "c:barChart")
        _el(group, "c:barDir", "bar")  # horizontal: long indicator names stay readable
        _el(group, "c:grouping", "clustered")
    else:
        group = _el(area, "c:lineChart")
        _el(group, "c:grouping", "standard")
    _el(group, "c:varyColors", 0)
    _series(group, chart, plotted, look, bars)
    if bars:
        _el(group, "c:gapWidth", 80)
    else:
        _el(group, "c:marker", 1)
    _el(group, "c:axId", 1)
    _el(group, "c:axId", 2)
    _category_axis(area, look, bars)
    _value_axis(area, axis_title(chart), look, bars)
    _el(body, "c:plotVisOnly", 1)
    _el(body, "c:dispBlanksAs", "gap")
    _no_box(root)
    root.append(_text(look, TEXT_SIZE))
    _el(_el(root, "c:externalData"), "c:autoUpdate", 0)
    return root


def _series(group, chart: Chart, plotted: list[Point], look: Look, bars: bool) -> None:
    series = _el(group, "c:ser")
    _el(series, "c:idx", 0)
    _el(series, "c:order", 0)
    name = _el(_el(series, "c:tx"), "c:strRef")
    _el(name, "c:f").text = f"{DATA_SHEET}!$B$1"
    _strings(name, [chart.unit])
    if bars:
        _fill(_el(series, "c:spPr"), BAR_COLOUR)
        _el(series, "c:invertIfNegative", 0)
        for index, point in enumerate(plotted):
            if point.value < 0:  # a fall stands out from the rises
                colour = _el(series, "c:dPt")
                _el(colour, "c:idx", index)
                _el(colour, "c:invertIfNegative", 0)
                _el(colour, "c:bubble3D", 0)
                _fill(_el(colour, "c:spPr"), NEGATIVE_COLOUR)
    else:
        line = _el(_el(series, "c:spPr"), "a:ln", w=28575, cap="rnd")
        _fill(line, BAR_COLOUR)
        marker = _el(series, "c:marker")
        _el(marker, "c:symbol", "circle")
        _el(marker, "c:size", 6)
        _fill(_el(marker, "c:spPr"), BAR_COLOUR)
    labels = _el(series, "c:dLbls")
    _el(labels, "c:numFmt", formatCode=NUMBER_FORMAT, sourceLinked=0)
    _no_box(labels)
    labels.append(_text(look, TEXT_SIZE))
    _el(labels, "c:dLblPos", "outEnd" if bars else "t")
    for flag, on in (("showLegendKey", 0), ("showVal", 1), ("showCatName", 0), ("showSerName", 0),
                     ("showPercent", 0), ("showBubbleSize", 0)):
        _el(labels, f"c:{flag}", on)
    last = len(plotted) + 1
    categories = _el(_el(series, "c:cat"), "c:strRef")
    _el(categories, "c:f").text = f"{DATA_SHEET}!$A$2:$A${last}"
    _strings(categories, [p.label for p in plotted])
    values = _el(_el(series, "c:val"), "c:numRef")
    _el(values, "c:f").text = f"{DATA_SHEET}!$B$2:$B${last}"
    cache = _el(values, "c:numCache")
    _el(cache, "c:formatCode").text = "General"
    _el(cache, "c:ptCount", len(plotted))
    for index, point in enumerate(plotted):
        _el(_el(cache, "c:pt", idx=index), "c:v").text = repr(float(point.value))
    if not bars:
        _el(series, "c:smooth", 0)


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


def _value_axis(area, title: str, look: Look, bars: bool) -> None:
    axis = _el(area, "c:valAx")
    _el(axis, "c:axId", 2)
    _el(_el(axis, "c:scaling"), "c:orientation", "minMax")
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
    """The chart's data as an .xlsx, which Word opens for Edit Data: labels in column A,
    values in column B under the unit. Dated `timestamp`, so the same chart is the same bytes."""
    book = Workbook()
    sheet = book.active
    sheet.title = DATA_SHEET
    sheet.append(["Figure", chart.unit])
    for point in points(chart):
        sheet.append([point.label, point.value])
    sheet.column_dimensions["A"].width = min(max(len(p.label) for p in points(chart)) + 2, 80)
    book.properties.created = book.properties.modified = timestamp
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).write_data()
    return ooxml.fixed_zip(buffer.getvalue(), timestamp)


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
