from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from annotations.anchoring import (
    CONTEXT_LENGTH,
    index_to_utf16_offset,
    normalise_newlines,
    reanchor,
    span_in,
    utf16_offset_to_index,
)

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


def test_utf16_offset_inside_a_surrogate_pair_is_refused():
    text = "a😀b"
    assert utf16_offset_to_index(text, 1) == 1
    assert utf16_offset_to_index(text, 3) == 2
    with pytest.raises(ValueError, match="splits"):
        utf16_offset_to_index(text, 2)
    with pytest.raises(ValueError, match="past the end"):
        utf16_offset_to_index(text, 9)


@given(st.text(), st.data())
def test_utf16_and_code_point_offsets_round_trip(text, data):
    index = data.draw(st.integers(min_value=0, max_value=len(text)))
    assert utf16_offset_to_index(text, index_to_utf16_offset(text, index)) == index


def test_reanchor_prefers_matching_context_then_nearest():
    body = "He said yes. Later he said yes again. She said yes."
    second = body.index("yes", 20)
    prefix, suffix = body[second - 10 : second], body[second + 3 : second + 10]
    assert reanchor(body, "yes", prefix, suffix, hint=0) == (second, second + 3)
    assert reanchor(body, "maybe", "", "", hint=0) is None
