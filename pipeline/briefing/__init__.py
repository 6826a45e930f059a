"""The briefing's content: the model built from a validated workbook (`model`) and its
English (`wording`). Neither Excel nor Word: a renderer walks what comes out."""
