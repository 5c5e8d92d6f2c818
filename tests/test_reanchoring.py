"""Re-anchoring claims onto a new revision of their article (annotations.reanchoring)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from annotations.anchoring import Span, span_in
from annotations.reanchoring import Outcome, reanchor

OLD = (
    "Intro paragraph here.\n\n"
    "The minister said unemployment fell to 5.2 percent in March. More text follows.\n\nEnd."
)
QUOTE = "unemployment fell to 5.2 percent"


def anchor() -> Span:
    start = OLD.index(QUOTE)
    return span_in(OLD, start, start + len(QUOTE))


def test_a_paragraph_inserted_before_moves_the_offsets_with_the_text():
    new = "A new first paragraph.\n\n" + OLD
    [placement] = reanchor(OLD, new, [anchor()])
    assert placement.outcome == Outcome.UNCHANGED
    assert placement.span is not None
    assert new[placement.span.start : placement.span.end] == QUOTE


def test_an_anchor_outside_the_old_text_is_refused_naming_it():
    with pytest.raises(ValidationError) as raised:
        reanchor(OLD, OLD, [anchor(), Span(len(OLD), len(OLD) + 3, "abc", "", "")])
    assert "anchors[1]" in raised.value.message_dict
