from __future__ import annotations

import pytest
import regex
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.anchoring import CONTEXT_LENGTH, cluster_around, normalise_newlines, span_in

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


# --- Grapheme clusters ----------------------------------------------------------------------

FAMILY = "\U0001f469\u200d\U0001f469\u200d\U0001f467"  # woman, ZWJ, woman, ZWJ, girl
FLAGS = "\U0001f1eb\U0001f1f7\U0001f1fa\U0001f1e6"  # FR, UA
CAFE = "cafe\u0301"  # "café" with a combining acute accent
CLUSTERED = f"Families {FAMILY} and flags {FLAGS} at the {CAFE}.\n\u200d\ufe0f joined.\n"


@pytest.mark.parametrize(
    ("start", "end", "field", "outer"),
    [
        (CLUSTERED.index(FAMILY), CLUSTERED.index(FAMILY) + 2, "end", FAMILY),
        (CLUSTERED.index(FAMILY) + 2, CLUSTERED.index(" and"), "start", FAMILY),
        (CLUSTERED.index(FLAGS), CLUSTERED.index(FLAGS) + 1, "end", FLAGS[:2]),
        (CLUSTERED.index(FLAGS) + 3, CLUSTERED.index(" at"), "start", FLAGS[2:]),
        (CLUSTERED.index("the"), CLUSTERED.index(CAFE) + 4, "end", CAFE[3:]),
        (CLUSTERED.index(CAFE) + 4, CLUSTERED.index(CAFE) + 5, "start", CAFE[3:]),
    ],
    ids=[
        "end-in-family",
        "start-in-family",
        "end-in-flag",
        "start-in-second-flag",
        "end-before-accent",
        "accent-alone",
    ],
)
def test_an_offset_inside_a_grapheme_cluster_is_refused_with_its_edges(
    start: int, end: int, field: str, outer: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        span_in(CLUSTERED, start, end, CLUSTERED[start:end])
    (message,) = raised.value.message_dict[field]
    cluster_start = CLUSTERED.index(outer)
    assert "falls inside a character" in message
    assert f"move it to {cluster_start} or {cluster_start + len(outer)}." in message


def test_both_ends_inside_clusters_are_named_at_once() -> None:
    start = CLUSTERED.index(FAMILY) + 1
    with pytest.raises(ValidationError) as raised:
        span_in(CLUSTERED, start, CLUSTERED.index(FLAGS) + 1)
    assert set(raised.value.message_dict) == {"start", "end"}


@pytest.mark.parametrize(
    "whole", [FAMILY, FLAGS, FLAGS[:2], CAFE, "Families", "\n\u200d\ufe0f joined"]
)
def test_whole_clusters_are_accepted(whole: str) -> None:
    start = CLUSTERED.index(whole)
    assert span_in(CLUSTERED, start, start + len(whole)).quote == whole


@pytest.mark.parametrize("invisible", ["\u200d", "\ufe0f", "\u200d\ufe0f", " \u200c\u200b\t"])
def test_a_span_with_no_visible_character_is_refused(invisible: str) -> None:
    body = f"Line one.\n{invisible}\nLine two.\n"
    start = body.index(invisible)
    with pytest.raises(ValidationError) as raised:
        span_in(body, start, start + len(invisible), invisible)
    assert "no visible character" in raised.value.message_dict["quote"][0]


def test_a_mark_on_its_own_after_a_line_break_is_refused() -> None:
    body = "Line one.\n\u0301\u0308 after.\n"
    with pytest.raises(ValidationError) as raised:
        span_in(body, 10, 12)
    assert "no visible character" in raised.value.message_dict["quote"][0]


# Code points that exercise every rule of UAX #29: CR LF and controls (GB3-5), Hangul (GB6-8),
# marks and joiners (GB9), spacing marks (GB9a), Prepend (GB9b), Indic conjuncts (GB9c),
# emoji ZWJ sequences (GB11), regional indicators (GB12-13); and the places the scan starts
# from (line breaks, spaces, letters) next to the characters that must not be taken for one.
TRICKY = [
    *"aZ1,.   \n\n\r\t",  # ASCII, spaces (several, to be drawn often), line breaks
    *"мЖé中か\u0e01\u0e40",  # Cyrillic, CJK, kana, Thai KO KAI and the leading vowel E
    *"\u0301\u0308\u20dd\u3099\U000e0067",  # marks: acute, diaeresis, circle, voicing, a tag
    *"\u200d\u200c\u200b\ufe0f\ufe0e",  # ZWJ, ZWNJ, zero-width space, variation selectors
    *"\U0001f469\U0001f467\u2764\u00a9\U0001f3fb",  # woman, girl, heart, (c), skin tone
    *"\U0001f1eb\U0001f1f7\U0001f1fa",  # regional indicators F, R, U
    *"\u1100\u1161\u11a8\uac00\uac01",  # Hangul L, V, T, LV, LVT
    *"\u0915\u0937\u094d\u093c\u093f",  # Devanagari KA, SSA, virama, nukta, vowel sign I
    *"\u0600\u0e33",  # Arabic number sign (Prepend), Thai SARA AM (SpacingMark)
    # Sequences that a rule joins, so that each is drawn often, and next to anything.
    "\r\n",
    "e\u0301",
    "\U0001f469\u200d",
    "\U0001f469\u200d\U0001f467",
    "\u2764\ufe0f",
    "\U0001f1eb\U0001f1f7",
    "\u1100\u1161\u11a8",
    "\u0915\u094d",
    "\u0915\u094d\u0937",
    "\u0600a",
]


def all_clusters(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in regex.finditer(r"\X", text)]


@given(st.lists(st.sampled_from(TRICKY), max_size=30).map("".join))
@settings(max_examples=2000, deadline=None)
def test_cluster_around_agrees_with_segmenting_the_whole_text(text: str) -> None:
    inside = {
        index: (start, end) for start, end in all_clusters(text) for index in range(start + 1, end)
    }
    for index in range(len(text) + 1):
        assert cluster_around(text, index) == inside.get(index), (text, index)
