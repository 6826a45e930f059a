"""How numbers and text read wherever the pipeline shows them."""

from __future__ import annotations

import pytest

from pipeline.formats import clipped_at_word, format_number, some, visible
from pipeline.measures import with_unit


@pytest.mark.parametrize(
    "value, shown",
    [
        (4.0, "4"),
        (14.8, "14.8"),
        (1250.0, "1,250"),
        (-6.0, "\u22126"),
        (1e-05, "0.00001"),
        (-0.0, "0"),
        (0.1 + 0.2, "0.3"),
        (1e15, "1,000,000,000,000,000"),
    ],
)
def test_numbers_read_as_a_person_writes_them(value, shown):
    assert format_number(value) == shown


def test_what_could_disguise_text_is_spelled_out():
    assert visible("a\x1b[31mb\u202ec") == "a\\x1b[31mb\\u202ec"


def test_a_list_names_a_few_and_counts_the_rest():
    assert some(["a", "b"]) == "a; b"
    assert some([str(n) for n in range(10)]) == "0; 1; 2; and 7 more"


def test_a_long_text_is_cut_at_a_word_with_an_ellipsis():
    assert clipped_at_word("Trade grew fast.", 20) == "Trade grew fast."
    assert clipped_at_word("Trade grew fast, and then slowed.", 20) == "Trade grew fast…"
    assert clipped_at_word("Antidisestablishmentarianism", 10) == "Antidises…"


def test_a_percentage_is_written_against_its_number_and_other_units_after_a_space():
    assert with_unit("about 12", "%") == "about 12%"
    assert with_unit("4.5", "USD bn") == "4.5 USD bn"
