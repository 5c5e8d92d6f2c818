"""Re-anchoring: where each claim's quote stands in a new revision of its article.

One diff of the old and the new text (diff-match-patch) is computed per call, and every
anchor is mapped through it. Each anchor gets one of four outcomes, and nothing else:

- unchanged: the exact quote is where the diff maps it (offsets move with the text);
- moved: the exact quote is found elsewhere, and what is left of its prefix and suffix
  singles out one place (or, for a quote of a clause or more, it is the only place
  holding those words in either text);
- edited: the quote itself was edited where the diff maps it, the edited text scores at
  least EDITED_THRESHOLD against the old quote (rapidfuzz), and no other place in the new
  text comes within EDITED_MARGIN of that score;
- orphaned: anything else. Never a guess.

docs/articles.md ("How re-anchoring decides") explains the thresholds to an editor.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, pgettext_lazy
from rapidfuzz import fuzz

from annotations.anchoring import CONTEXT_LENGTH, Span, cluster_around, span_in
from annotations.offset_map import OffsetMap

# Moved: how many characters of the old context, read outwards from the quote, a place
# holding the exact quote must keep, and how many more than any other such place. Eight is
# a word or two: enough to tell "officials said" from "the mayor said", too little to be
# a coincidence of spacing and punctuation.
MOVED_CONTEXT = 8
# Moved without context: a quote of this many visible characters or more (a clause), found
# word for word at only one place of each text, is that place even when everything around
# it was rewritten. Below it ("42 percent", a name) its words alone say too little.
DISTINCT_QUOTE = 24
# Edited: the rapidfuzz ratio (Indel similarity, 0..100) of the old quote and the text the
# diff maps it to must reach EDITED_THRESHOLD, and beat the best match anywhere else in the
# new text by EDITED_MARGIN. 80 keeps a corrected figure or a fixed typo in a sentence
# (90 to 98) and an edit of a few words in a clause, and refuses a rewritten sentence (60
# or less); 10 points is about one changed word in a sentence-long quote, so a look-alike
# that differs from the new wording by a word or so is a tie, and a tie is orphaned.
EDITED_THRESHOLD = 80.0
EDITED_MARGIN = 10.0


class Outcome(models.TextChoices):
    # The labels name what became of a claim (in French, an affirmation: feminine).
    UNCHANGED = "unchanged", pgettext_lazy("claim outcome", "Unchanged")
    MOVED = "moved", pgettext_lazy("claim outcome", "Moved")
    EDITED = "edited", pgettext_lazy("claim outcome", "Edited")
    ORPHANED = "orphaned", pgettext_lazy("claim outcome", "Orphaned")


# Why a claim went where it did, by code: the sentence an editor reads, in their language,
# with the figures the placement measured (percentages as whole numbers). The record keeps
# the code and the figures, so that each reader gets the sentence in their own language.
REASONS: dict[str, Promise] = {
    "context_changed": gettext_lazy("The quote is unchanged; only the text around it changed."),
    "moved_with_context": gettext_lazy(
        "The quote was found word for word at another place, recognised by the text around it."
    ),
    "moved_alone": gettext_lazy(
        "The quote was found word for word at another place, the only one holding these "
        "words, although the text around it changed."
    ),
    "several_places": gettext_lazy(
        "The quote appears word for word at %(places)d places with the same text around it; "
        "not guessing which."
    ),
    "passage_deleted": gettext_lazy(
        "The passage that held the quote was deleted, and its exact words are nowhere else "
        "with the same context."
    ),
    "passage_rewritten": gettext_lazy(
        "The passage around the quote was rewritten; no part of it can be told to be the quote."
    ),
    "too_different": gettext_lazy(
        "The text where the quote stood now reads too differently (similarity %(score)d%%, "
        "below %(threshold)d%%)."
    ),
    "rival_passage": gettext_lazy(
        "Another passage matches about as well (%(rival)d%% against %(score)d%%); not guessing."
    ),
    "spacing_changed": gettext_lazy("Only the spacing or line breaks inside the quote changed."),
    "words_edited": gettext_lazy(
        "The quote's own words were edited (similarity %(score)d%%); the new wording takes "
        "its place."
    ),
}


def reason_text(
    code: str, values: Mapping[str, int], fallback: str = "", language: str | None = None
) -> str:
    """The sentence of reason `code` with its figures, in `language` (the active one by
    default); `fallback` for a reason with no code (one a restored file gave as text).
    Raises KeyError or TypeError when the figures do not fit the sentence."""
    if language is not None:
        with translation.override(language):
            return reason_text(code, values, fallback)
    template = REASONS.get(code)
    return fallback if template is None else str(template) % dict(values)


@dataclass(frozen=True)
class Reason:
    code: str
    values: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        return reason_text(self.code, self.values)


@dataclass(frozen=True)
class Placement:
    outcome: Outcome
    span: Span | None
    score: float | None
    reason: Reason


def _checked(old_text: str, anchors: Sequence[Span]) -> list[Span]:
    """The anchors as spans of old_text, their context taken from it."""
    checked = []
    for number, anchor in enumerate(anchors):
        try:
            checked.append(span_in(old_text, anchor.start, anchor.end, anchor.quote))
        except ValidationError as error:
            raise ValidationError({f"anchors[{number}]": error.messages}) from error
    return checked


def reanchor(old_text: str, new_text: str, anchors: Sequence[Span]) -> list[Placement]:
    """One Placement per anchor, in order. anchors are spans of old_text.

    Both texts are taken as they are (the caller normalises line endings). Each anchor's
    prefix and suffix are read from old_text, so they are the ones its claim was saved
    with. Raises ValidationError naming the anchor ("anchors[3]") when one is not a span
    of old_text: offsets outside it, a quote that is not old_text[start:end], an end that
    cuts a character in two.
    """
    spans = _checked(old_text, anchors)
    if not spans:
        return []
    mapping = OffsetMap(old_text, new_text)
    return [_place(old_text, new_text, mapping, span) for span in spans]


def _place(old_text: str, new_text: str, mapping: OffsetMap, anchor: Span) -> Placement:
    return (
        _unchanged(new_text, mapping, anchor)
        or _moved(old_text, new_text, mapping, anchor)
        or _edited(new_text, mapping, anchor)
    )


def _on_clusters(text: str, start: int, end: int) -> bool:
    return cluster_around(text, start) is None and cluster_around(text, end) is None


def _image(new_text: str, mapping: OffsetMap, start: int, end: int, quote: str) -> int | None:
    """Where the diff maps the exact quote old_text[start:end] in the new text, or None."""
    at = mapping.equal_segment(start, end)
    if at is not None:
        return at
    # The diff may align some of the quote's characters with look-alike ones nearby
    # although the quote itself is intact: what counts is that the exact quote is at the
    # place the diff maps its start or its end to, or is the only one that overlaps the
    # text the diff maps the quote to.
    size = end - start
    first, last = mapping.start(start), mapping.end(end)
    places = {p for p in (first, last - size) if p >= 0 and new_text.startswith(quote, p)}
    if not places:
        places = {
            p
            for p in _occurrences(new_text, quote, max(0, first - size + 1), last + size - 1)
            if p < last and p + size > first
        }
    return places.pop() if len(places) == 1 else None


def _unchanged(new_text: str, mapping: OffsetMap, anchor: Span) -> Placement | None:
    """The exact quote where the diff maps it, or None."""
    size = anchor.end - anchor.start
    at = _image(new_text, mapping, anchor.start, anchor.end, anchor.quote)
    # A character joined to the quote's first or last one (an accent, a skin tone) changed it.
    if at is None or not _on_clusters(new_text, at, at + size):
        return None
    return Placement(
        Outcome.UNCHANGED,
        span_in(new_text, at, at + size),
        None,
        Reason("context_changed"),
    )


_WHITE_SPACE = re.compile(r"\s+")


def _spaced(text: str) -> str:
    return _WHITE_SPACE.sub(" ", text)


def _occurrences(text: str, quote: str, start: int = 0, end: int | None = None) -> list[int]:
    """Every place `quote` starts at in text[start:end], overlapping ones included."""
    found = []
    position = text.find(quote, start, end)
    while position != -1:
        found.append(position)
        position = text.find(quote, position + 1, end)
    return found


def _kept_context(new_text: str, start: int, end: int, anchor: Span) -> int:
    """How many characters of the old prefix and suffix, counted from the quote outwards,
    are the same around new_text[start:end] (white space runs compared as one space)."""
    before = _spaced(new_text[max(0, start - 2 * len(anchor.prefix)) : start])
    after = _spaced(new_text[end : end + 2 * len(anchor.suffix)])
    return _same_start(before[::-1], _spaced(anchor.prefix)[::-1]) + _same_start(
        after, _spaced(anchor.suffix)
    )


def _same_start(one: str, other: str) -> int:
    """The length of the longest common beginning of two strings."""
    for index, (a, b) in enumerate(zip(one, other, strict=False)):
        if a != b:
            return index
    return min(len(one), len(other))


def _moved(old_text: str, new_text: str, mapping: OffsetMap, anchor: Span) -> Placement | None:
    """The exact quote at another place, singled out by its context, or None.

    The candidates are the places of the new text holding the exact quote, less those the
    diff maps another occurrence of the quote in the old text to (the same words there
    are that other passage, kept). A candidate wins when it keeps at least MOVED_CONTEXT
    characters of the old context next to the quote and every other candidate keeps at
    least MOVED_CONTEXT fewer; or when it is the only candidate, the quote occurs once in
    the old text, and it has at least DISTINCT_QUOTE visible characters (a sentence
    found word for word, whose surroundings were rewritten).
    """
    quote, size = anchor.quote, anchor.end - anchor.start
    in_old = _occurrences(old_text, quote)
    taken = {
        _image(new_text, mapping, position, position + size, quote)
        for position in in_old
        if position != anchor.start
    }
    candidates = [
        position
        for position in _occurrences(new_text, quote)
        if position not in taken and _on_clusters(new_text, position, position + size)
    ]
    if not candidates:
        return None
    kept = sorted(
        ((_kept_context(new_text, p, p + size, anchor), p) for p in candidates), reverse=True
    )
    best, at = kept[0]
    runner_up = kept[1][0] if len(kept) > 1 else 0
    if best >= MOVED_CONTEXT and best - runner_up >= MOVED_CONTEXT:
        reason = Reason("moved_with_context")
    elif best >= MOVED_CONTEXT:
        alike = sum(1 for kept_there, _ in kept if best - kept_there < MOVED_CONTEXT)
        return _orphaned(Reason("several_places", {"places": alike}))
    elif len(candidates) == 1 and len(in_old) == 1 and _visible_length(quote) >= DISTINCT_QUOTE:
        reason = Reason("moved_alone")
    else:
        return None
    return Placement(Outcome.MOVED, span_in(new_text, at, at + size), None, reason)


def _visible_length(text: str) -> int:
    return len(text) - sum(map(str.isspace, text))


def _edited(new_text: str, mapping: OffsetMap, anchor: Span) -> Placement:
    """The edited quote where the diff maps it, if it scores clearly; otherwise orphaned."""
    quote = anchor.quote
    start, end = _snapped(new_text, mapping.start(anchor.start), mapping.end(anchor.end), quote)
    try:
        span = span_in(new_text, start, end)
    except ValidationError:  # nothing, or nothing visible, where the quote stood
        return _orphaned(Reason("passage_deleted"))
    found = span.quote
    if found == quote:  # the diff split the quote, but it is whole where it maps
        return Placement(
            Outcome.UNCHANGED,
            span,
            None,
            Reason("context_changed"),
        )
    if len(found) > 2 * len(quote) + CONTEXT_LENGTH:
        # No ratio reaches the threshold against a text this much longer: the diff gave no
        # finer place for the quote than a long replaced passage.
        return _orphaned(Reason("passage_rewritten"))
    # White space alone (a re-wrapped line, a collapsed double space) costs nothing.
    score = 100.0 if _spaced(found) == _spaced(quote) else fuzz.ratio(quote, found)
    if score < EDITED_THRESHOLD:
        return _orphaned(
            Reason("too_different", {"score": round(score), "threshold": round(EDITED_THRESHOLD)})
        )
    floor = score - EDITED_MARGIN
    rival = max(
        _best_elsewhere(quote, new_text[:start], floor),
        _best_elsewhere(quote, new_text[end:], floor),
    )
    if score - rival < EDITED_MARGIN:
        return _orphaned(Reason("rival_passage", {"rival": round(rival), "score": round(score)}))
    return Placement(
        Outcome.EDITED,
        span,
        round(score, 1),
        Reason("spacing_changed")
        if score == 100
        else Reason("words_edited", {"score": round(score)}),
    )


def _snapped(text: str, start: int, end: int, quote: str) -> tuple[int, int]:
    """[start, end) without white space at an end where the quote has none, widened to whole
    characters (grapheme clusters)."""
    if not quote[:1].isspace():
        while start < end and text[start].isspace():
            start += 1
    if not quote[-1:].isspace():
        while end > start and text[end - 1].isspace():
            end -= 1
    cluster = cluster_around(text, start)
    if cluster is not None:
        start = cluster[0]
    cluster = cluster_around(text, end)
    if cluster is not None:
        end = cluster[1]
    return start, end


def _best_elsewhere(quote: str, text: str, floor: float) -> float:
    """The best score of the quote against any passage of `text`, or 0 when it is below
    `floor` (which lets rapidfuzz skip most of a long text)."""
    if not text:
        return 0.0
    if len(text) < len(quote):
        return float(fuzz.ratio(quote, text, score_cutoff=floor))
    return float(fuzz.partial_ratio(quote, text, score_cutoff=floor))


def _orphaned(reason: Reason) -> Placement:
    return Placement(Outcome.ORPHANED, None, None, reason)
