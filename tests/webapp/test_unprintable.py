"""`unprintable` finds exactly Unicode's control characters and surrogates, those allowed aside."""

from __future__ import annotations

import unicodedata

import pytest

from webapp.forms.common import MULTI_LINE, unprintable


@pytest.mark.parametrize("allowed", ["", MULTI_LINE])
def test_every_code_point_as_unicode_says(allowed: str) -> None:
    for code in range(0x110000):
        char = chr(code)
        expected = unicodedata.category(char) in ("Cc", "Cs") and char not in allowed
        assert unprintable(f"ab{char}cd", allowed=allowed) is expected, hex(code)


def test_a_megabyte_of_text_with_one_nul_at_the_end() -> None:
    assert unprintable("æøå " * 250_000 + "\x00")
    assert not unprintable("æøå " * 250_000 + "\t", allowed=MULTI_LINE)
