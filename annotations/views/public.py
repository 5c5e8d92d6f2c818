"""The public page of a published claim: no sign-in, 404 for anything not approved."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe

from annotations import selectors
from annotations.anchoring import paragraph_around
from annotations.export import RatingScale, article_url, claim_review

# Inside <script>, only these could end the element or open a comment; escaped as JSON
# \\u sequences they mean the same to a JSON-LD reader and nothing to the HTML parser.
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


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
            "context": paragraph_around(claim.article.body, claim.start, claim.end),
            "sources": claim.sources.all(),
            "claim_review_json": json_ld(review),
        },
    )
