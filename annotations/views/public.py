"""The public page of a published claim: no sign-in, 404 for anything not approved."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe

from annotations import selectors
from annotations.export import RatingScale, article_url, claim_review

# How much of the surrounding paragraph to show on each side of the quote, at most.
CONTEXT_LIMIT = 400

# Inside <script>, only these could end the element or open a comment; escaped as JSON
# \\u sequences they mean the same to a JSON-LD reader and nothing to the HTML parser.
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


@dataclass(frozen=True)
class QuoteInContext:
    before: str
    quote: str
    after: str
    clipped_before: bool
    clipped_after: bool


def quote_in_context(body: str, start: int, end: int) -> QuoteInContext:
    """The quote with the rest of its paragraph(s) around it, clipped to CONTEXT_LIMIT."""
    first = body.rfind("\n\n", 0, start)
    first = 0 if first == -1 else first + 2
    last = body.find("\n\n", end)
    last = len(body) if last == -1 else last
    first_shown = max(first, start - CONTEXT_LIMIT)
    last_shown = min(last, end + CONTEXT_LIMIT)
    return QuoteInContext(
        before=body[first_shown:start].lstrip(),
        quote=body[start:end],
        after=body[end:last_shown].rstrip(),
        clipped_before=first_shown > first,
        clipped_after=last_shown < last,
    )


def json_ld(data: object) -> SafeString:
    """JSON for a <script type="application/ld+json"> element that user text cannot close."""
    text = json.dumps(data, ensure_ascii=False, indent=2).translate(_SCRIPT_ESCAPES)
    return mark_safe(text)  # noqa: S308 - every <, > and & is escaped above


def claim_public(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.published_claim(pk)
    review = claim_review(claim, RatingScale.current())
    return render(
        request,
        "annotations/public_claim.html",
        {
            "claim": claim,
            "claim_url": review["url"],
            "article_url": article_url(claim.article),
            "context": quote_in_context(claim.article.body, claim.start, claim.end),
            "sources": claim.sources.all(),
            "claim_review_json": json_ld(review),
        },
    )
