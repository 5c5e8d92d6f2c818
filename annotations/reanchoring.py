"""Re-anchoring: where each claim's quote stands in a new revision of its article.

One diff of the old and the new text (diff-match-patch) is computed per call, and every
anchor is mapped through it. Each anchor gets one of four outcomes, and nothing else:

- unchanged: the exact quote is where the diff maps it (offsets move with the text);
- moved: the exact quote is found elsewhere, and its prefix and suffix single out one place;
- edited: the quote itself was edited where the diff maps it, the edited text scores at
  least EDITED_THRESHOLD against the old quote (rapidfuzz), and no other place in the new
  text comes within EDITED_MARGIN of that score;
- orphaned: anything else. Never a guess.

docs/articles.md ("How re-anchoring decides") explains the thresholds to an editor.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from diff_match_patch import diff_match_patch  # type: ignore[import-untyped]
from django.core.exceptions import ValidationError
from django.db import models
from rapidfuzz import fuzz

from annotations.anchoring import Span, span_in

EDITED_THRESHOLD = 80.0
EDITED_MARGIN = 10.0
# A diff that has not converged by then falls back to a coarser one (whole blocks deleted
# and inserted): still correct, only fewer quotes are found where the diff maps them.
DIFF_TIMEOUT_SECONDS = 1.0


class Outcome(models.TextChoices):
    UNCHANGED = "unchanged"
    MOVED = "moved"
    EDITED = "edited"
    ORPHANED = "orphaned"


@dataclass(frozen=True)
class Placement:
    outcome: Outcome
    span: Span | None
    score: float | None
    reason: str


_EQUAL = 0
_DELETE = -1
_INSERT = 1


class _Map:
    """Old offsets to new offsets through one diff."""

    def __init__(self, old_text: str, new_text: str) -> None:
        dmp = diff_match_patch()
        dmp.Diff_Timeout = DIFF_TIMEOUT_SECONDS
        diffs = dmp.diff_main(old_text, new_text, True)
        # Segments of the old text, in order: (old start, old end, new start, new end, op).
        # An insertion is attached to the deletion before it (a replacement), or stands alone
        # as an empty old segment.
        self.segments: list[tuple[int, int, int, int, int]] = []
        old = new = 0
        for op, text in diffs:
            size = len(text)
            if op == _EQUAL:
                self.segments.append((old, old + size, new, new + size, _EQUAL))
                old += size
                new += size
            elif op == _DELETE:
                self.segments.append((old, old + size, new, new, _DELETE))
                old += size
            else:
                if (
                    self.segments
                    and self.segments[-1][4] == _DELETE
                    and self.segments[-1][3] == new
                ):
                    o1, o2, n1, _, _ = self.segments[-1]
                    self.segments[-1] = (o1, o2, n1, new + size, _DELETE)
                else:
                    self.segments.append((old, old, new, new + size, _INSERT))
                new += size
        self.starts = [segment[0] for segment in self.segments]

    def equal_segment(self, start: int, end: int) -> int | None:
        """The new offset of `start` when [start, end) lies inside one unchanged run."""
        index = bisect_right(self.starts, start) - 1
        if index < 0:
            return None
        o1, o2, n1, _, op = self.segments[index]
        return n1 + start - o1 if op == _EQUAL and end <= o2 else None

    def start(self, position: int) -> int:
        """Where an old start offset lands: after any insertion at that place."""
        index = bisect_right(self.starts, position) - 1
        # Several segments may start at `position` (an insertion, then what follows it):
        # the last of them is the one that holds the position.
        o1, _, n1, n2, op = self.segments[index] if index >= 0 else (0, 0, 0, 0, _EQUAL)
        if op == _EQUAL:
            return n1 + position - o1
        if op == _INSERT:
            return n2
        return n1

    def end(self, position: int) -> int:
        """Where an old end offset lands: before any insertion at that place."""
        index = bisect_right(self.starts, position - 1) - 1 if position > 0 else 0
        if index < 0:
            return 0
        o1, _, n1, n2, op = self.segments[index]
        if op == _EQUAL:
            return n1 + position - o1
        return n2


def _checked(old_text: str, anchors: Sequence[Span]) -> list[Span]:
    checked = []
    for number, anchor in enumerate(anchors):
        try:
            checked.append(span_in(old_text, anchor.start, anchor.end, anchor.quote))
        except ValidationError as error:
            raise ValidationError(
                {f"anchors[{number}]": [message for message in error.messages]}
            ) from error
    return checked


def reanchor(old_text: str, new_text: str, anchors: Sequence[Span]) -> list[Placement]:
    """One Placement per anchor, in order. anchors are spans of old_text.

    Raises ValidationError naming the anchor when one is not a span of old_text (offsets
    outside it, a quote that is not old_text[start:end], a cut inside a character).
    """
    spans = _checked(old_text, anchors)
    mapping = _Map(old_text, new_text)
    return [_place(old_text, new_text, mapping, span) for span in spans]


def _place(old_text: str, new_text: str, mapping: _Map, anchor: Span) -> Placement:
    size = anchor.end - anchor.start
    at = mapping.equal_segment(anchor.start, anchor.end)
    if at is None:
        mapped = mapping.start(anchor.start)
        if new_text[mapped : mapped + size] == anchor.quote:
            at = mapped
    if at is not None:
        return Placement(
            Outcome.UNCHANGED,
            span_in(new_text, at, at + size),
            None,
            "The quote is where it was; only the text around it changed.",
        )
    found = []
    position = new_text.find(anchor.quote)
    while position != -1:
        before = new_text[:position].endswith(anchor.prefix)
        after = new_text.startswith(anchor.suffix, position + size)
        if before and after:
            found.append(position)
        position = new_text.find(anchor.quote, position + 1)
    if len(found) == 1:
        return Placement(
            Outcome.MOVED,
            span_in(new_text, found[0], found[0] + size),
            None,
            "The quote and its context were found, unchanged, at another place.",
        )
    start = mapping.start(anchor.start)
    end = mapping.end(anchor.end)
    if end > start:
        score = fuzz.ratio(anchor.quote, new_text[start:end])
        rival = max(
            fuzz.partial_ratio(anchor.quote, new_text[:start]) if start else 0.0,
            fuzz.partial_ratio(anchor.quote, new_text[end:]) if end < len(new_text) else 0.0,
        )
        if score >= EDITED_THRESHOLD and score - rival >= EDITED_MARGIN:
            try:
                span = span_in(new_text, start, end)
            except ValidationError:
                pass
            else:
                return Placement(
                    Outcome.EDITED,
                    span,
                    round(score, 1),
                    "The quote was edited where it stood; the new wording is shown.",
                )
    return Placement(Outcome.ORPHANED, None, None, "The quote could not be found in the new text.")
