from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from annotations.anchoring import CONTEXT_LENGTH, normalise_newlines, span_in

BODY = "Flags 🇫🇷🇷🇺 first. Москва и Париж восстановили контакты.\nEnd."


def test_span_counts_code_points_after_astral_characters():
    start = BODY.index("Москва")
    span = span_in(BODY, start, start + len("Москва"))
    assert span.quote == "Москва"
    assert span.prefix == BODY[max(0, start - CONTEXT_LENGTH) : start]
    assert span.suffix == BODY[start + 6 : start + 6 + CONTEXT_LENGTH]


@pytest.mark.parametrize(
    ("start", "end", "quote", "field"),
    [
        (-1, 4, None, "start"),
        (4, 4, None, "end"),
        (5, 2, None, "end"),
        (0, len(BODY) + 1, None, "end"),
        (10**12, 10**12 + 1, None, "start"),
        (0, 5, "Flag!", "quote"),
        ("0", 5, None, "start"),
        (True, 5, None, "start"),
    ],
)
def test_bad_spans_name_the_field(start, end, quote, field):
    with pytest.raises(ValidationError) as raised:
        span_in(BODY, start, end, quote)
    assert field in raised.value.message_dict


def test_white_space_only_span_is_refused():
    with pytest.raises(ValidationError) as raised:
        span_in("a   b", 1, 4)
    assert "quote" in raised.value.message_dict


def test_newlines_are_normalised():
    assert normalise_newlines("a\r\nb\rc\n") == "a\nb\nc\n"
