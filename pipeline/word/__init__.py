"""The Word side: everything that knows WordprocessingML. The renderer (`render`), the house
style (`housestyle`), the WordprocessingML helpers (`ooxml`) and their fixed XML
(`templates`), charts (`charts`), the PDF (`pdf`), the briefing's own custom XML part
(`customxml`) and the redline against the previous edition (`redline`). Nothing here knows
Excel."""
