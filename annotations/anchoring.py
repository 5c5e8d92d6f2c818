"""Spans of article text: offsets, quotes with context, and conversions.

Offsets count Unicode code points, as Python str indices do and as the W3C Web
Annotation TextPositionSelector requires. Browsers count UTF-16 code units; the page
converts (annotations/static/annotations/offsets.js), and these functions check what arrives.
Both ends of a span fall between user-perceived characters (extended grapheme clusters,
Unicode UAX #29), so no claim holds half a flag, half an emoji family or a letter without
its accent.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex
from django.core.exceptions import ValidationError

CONTEXT_LENGTH = 32
# No article may be longer than the import limit, so no sane offset exceeds it either.
MAX_OFFSET = 5 * 1024 * 1024

_CLUSTER = regex.compile(r"\X")
# Where a cluster certainly starts, to scan from: after "\n" (rule GB4), and before a
# character that no rule of UAX #29 joins to the one before it (Grapheme_Cluster_Break=Other,
# and neither an emoji, GB11, nor an Indic consonant, GB9c) unless that one is a Prepend
# (GB9b). A space after an ASCII character is such a place, and so is nearly every place in
# Cyrillic, Latin or CJK text, so from the nearest one a check on a 5 MB article reads a
# cluster or two, not the whole text. Searched backwards, so the nearest is found first.
_SAFE_START = regex.compile(
    r"\P{GCB=Prepend}[\p{GCB=Other}--\p{ExtPict}--\p{InCB=Consonant}]",
    flags=regex.V1 | regex.REVERSE,
)
# What a reader can see: not white space, not a format character (ZWJ, ZWNJ, bidi marks),
# not a variation selector or another default-ignorable code point, not a mark on its own.
_VISIBLE = regex.compile(r"[^\s\p{Cc}\p{Cf}\p{M}\p{Default_Ignorable_Code_Point}]")


@dataclass(frozen=True)
class Span:
    """A span of an article's body with its context: the fields of a Claim that anchor it,
    by the same names (Claim(**asdict(span), ...))."""

    start: int
    end: int
    quote: str
    prefix: str
    suffix: str


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def span_in(body: str, start: int, end: int, quote: str | None = None) -> Span:
    """The span [start, end) of `body`, with its context.

    Raises ValidationError naming the field at fault when the offsets are not a
    non-empty span inside the body, when `quote` is given and is not exactly
    body[start:end], when an offset falls inside a grapheme cluster, or when the span
    has no visible character.
    """
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError({name: f"{name} must be a whole number."})
        if value < 0:
            raise ValidationError({name: f"{name} must not be negative."})
        if value > len(body):
            raise ValidationError(
                {name: f"{name}={value} is past the end of the article ({len(body)} characters)."}
            )
    if start >= end:
        raise ValidationError({"end": "end must be greater than start: a claim needs some text."})
    exact = body[start:end]
    if quote is not None and quote != exact:
        raise ValidationError(
            {
                "quote": "The quote does not match the article text at start..end "
                f"(the article has {exact[:80]!r} there)."
            }
        )
    inside: dict[str, str] = {}
    for name, value in (("start", start), ("end", end)):
        cluster = cluster_around(body, value)
        if cluster is not None:
            inside[name] = (
                f"{name}={value} falls inside a character (a grapheme cluster such as an "
                f"emoji, a flag or an accented letter): move it to {cluster[0]} or {cluster[1]}."
            )
    if inside:
        raise ValidationError(inside)
    if not _VISIBLE.search(exact):
        raise ValidationError(
            {
                "quote": "The selected text has no visible character: only white space, "
                "joiners, variation selectors or combining marks."
            }
        )
    return Span(
        start=start,
        end=end,
        quote=exact,
        prefix=body[max(0, start - CONTEXT_LENGTH) : start],
        suffix=body[end : end + CONTEXT_LENGTH],
    )


def cluster_around(text: str, index: int) -> tuple[int, int] | None:
    """None when `index` (0 <= index <= len(text)) falls between two grapheme clusters of
    `text` or at either end; otherwise the (start, end) of the cluster it falls inside."""
    if index <= 0 or index >= len(text):
        return None
    line = text.rfind("\n", 0, index) + 1
    found = _SAFE_START.search(text, line, index + 1)
    position = found.start() + 1 if found else line
    if position == index:
        return None
    for cluster in _CLUSTER.finditer(text, position):
        if cluster.end() == index:
            return None
        if cluster.end() > index:
            return cluster.start(), cluster.end()
    raise AssertionError("the clusters of a text cover it")


PARAGRAPH_CONTEXT = 600


@dataclass(frozen=True)
class InContext:
    """A span shown inside its paragraph: before + quote + after, clipped when very long."""

    before: str
    quote: str
    after: str
    clipped_before: bool
    clipped_after: bool


def paragraph_around(body: str, start: int, end: int) -> InContext:
    """The paragraph (the lines between blank lines, or between line breaks when the text has
    no blank lines) holding body[start:end], with at most PARAGRAPH_CONTEXT characters on
    each side of the span."""
    start = max(0, min(start, len(body)))
    end = max(start, min(end, len(body)))
    separator = "\n\n" if "\n\n" in body else "\n"
    found = body.rfind(separator, 0, start)
    first = 0 if found == -1 else found + len(separator)
    found = body.find(separator, end)
    last = len(body) if found == -1 else found
    clipped_before = start - first > PARAGRAPH_CONTEXT
    clipped_after = last - end > PARAGRAPH_CONTEXT
    first = max(first, start - PARAGRAPH_CONTEXT)
    last = min(last, end + PARAGRAPH_CONTEXT)
    return InContext(
        before=body[first:start].lstrip(),
        quote=body[start:end],
        after=body[end:last].rstrip(),
        clipped_before=clipped_before,
        clipped_after=clipped_after,
    )
