"""Spans of article text: offsets, quotes with context, and conversions.

Offsets count Unicode code points, as Python str indices do and as the W3C Web
Annotation TextPositionSelector requires. Browsers count UTF-16 code units; the page
converts (annotations/static/annotations/offsets.js), and these functions check what arrives.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError

CONTEXT_LENGTH = 32
# No article may be longer than the import limit, so no sane offset exceeds it either.
MAX_OFFSET = 5 * 1024 * 1024


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
    non-empty span inside the body, or when `quote` is given and is not exactly
    body[start:end].
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
    if not exact.strip():
        raise ValidationError({"quote": "The selected text is only white space."})
    return Span(
        start=start,
        end=end,
        quote=exact,
        prefix=body[max(0, start - CONTEXT_LENGTH) : start],
        suffix=body[end : end + CONTEXT_LENGTH],
    )


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
