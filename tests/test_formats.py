"""How numbers and text read wherever the pipeline shows them."""

from __future__ import annotations

import pytest

from pipeline.formats import format_number, some, visible


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
