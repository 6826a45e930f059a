"""The Word side: everything that knows WordprocessingML. The renderer (`render`), the house
style (`housestyle`), the WordprocessingML helpers (`ooxml`) and their fixed XML
(`templates`), charts (`charts`) and the PDF (`pdf`). Nothing here knows Excel."""
