"""The briefing's content: the model built from a validated workbook (`model`), its English
(`wording`), and its editions (`editions`: the snapshot a briefing carries, and what changed
since the last). Neither Excel nor Word: a renderer walks what comes out."""
