"""The fixed WordprocessingML the briefing adds to a document, as small templates in one
place (as python-docx keeps its default parts): the document's settings, the footnotes part
and its settings entry, list definitions, and the table style. `element` fills one in and parses it into python-docx's
own element classes."""

from __future__ import annotations

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

# The footnotes part: the two separator notes Word requires before the briefing's own.
FOOTNOTES = """<w:footnotes {part}>
  <w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>
  <w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
</w:footnotes>"""

# The settings' reference to those separators.
FOOTNOTE_PROPERTIES = '<w:footnotePr {w}><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'

# The briefing's settings, whatever a template's are (python-docx's blank carries its authors'
# revision ids, a document id and a preview picture); a template adds only those of its look.
SETTINGS = """<w:settings {part}>
  <w:zoom w:percent="100"/>
  <w:defaultTabStop w:val="720"/>
  <w:characterSpacingControl w:val="doNotCompress"/>
  <w:compat>
    <w:useFELayout/>
    <w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="14"/>
    <w:compatSetting w:name="overrideTableStyleFontSizeAndJustification" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>
    <w:compatSetting w:name="enableOpenTypeFeatures" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>
    <w:compatSetting w:name="doNotFlipMirrorIndents" w:uri="http://schemas.microsoft.com/office/word" w:val="1"/>
  </w:compat>
  <w:themeFontLang w:val="en-US"/>
  <w:clrSchemeMapping w:bg1="light1" w:t1="dark1" w:bg2="light2" w:t2="dark2" w:accent1="accent1" w:accent2="accent2" w:accent3="accent3" w:accent4="accent4" w:accent5="accent5" w:accent6="accent6" w:hyperlink="hyperlink" w:followedHyperlink="followedHyperlink"/>
  <w:doNotAutoCompressPictures/>
  <w:decimalSymbol w:val="."/>
  <w:listSeparator w:val=","/>
</w:settings>"""

NUMBERING = "<w:numbering {part}/>"

# A one-level list: numbered `number_format`, shown as `text`; `layout` is LIST_INDENT (the
# text after the number at an indent) or LIST_SPACE (a space after the number).
LIST = (
    '<w:abstractNum {w} w:abstractNumId="{abstract_id}">'
    '<w:nsid w:val="{nsid:08X}"/><w:multiLevelType w:val="singleLevel"/>'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{number_format}"/>{suffix}'
    '<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>{indent}</w:lvl></w:abstractNum>'
)
LIST_INDENT = '<w:pPr><w:ind w:left="{twips}" w:hanging="{twips}"/></w:pPr>'
LIST_SPACE = '<w:suff w:val="space"/>'
LIST_INSTANCE = '<w:num {w} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'

# A table style: a rule above and below, a heading row on `accent`, rows banded with `band`,
# no inner grid.
TABLE_STYLE = """<w:style {w} w:type="table" w:customStyle="1" w:styleId="{style_id}">
  <w:name w:val="{name}"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="40"/><w:qFormat/>
  <w:tblPr>
    <w:tblStyleRowBandSize w:val="1"/>
    <w:tblBorders>
      <w:top w:val="single" w:sz="8" w:space="0" w:color="{accent}"/>
      <w:bottom w:val="single" w:sz="8" w:space="0" w:color="{accent}"/>
    </w:tblBorders>
    <w:tblCellMar>
      <w:top w:w="45" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>
      <w:bottom w:w="45" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>
    </w:tblCellMar>
  </w:tblPr>
  <w:tblStylePr w:type="firstRow"><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{accent}"/></w:tcPr></w:tblStylePr>
  <w:tblStylePr w:type="band2Horz"><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{band}"/></w:tcPr></w:tblStylePr>
</w:style>"""


def element(template: str, **values):
    """`template` filled with `values` (and the namespace declarations: `w` on an element,
    `part` on a part's root), parsed."""
    return parse_xml(template.format(w=nsdecls("w"), part=PART_NAMESPACES, **values))


# What the root of a part we write declares: besides WordprocessingML, the relationships
# namespace, as Word declares it, and as readers such as docx2python look it up on every element.
PART_NAMESPACES = nsdecls("w", "r")
