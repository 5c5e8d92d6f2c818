"""The public page of a published claim: no sign-in, 404 for anything not approved."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from annotations import selectors
from annotations.anchoring import paragraph_around
from annotations.encoding import script_json
from annotations.export import RatingScale, article_url, claim_review, links


def claim_public(request: HttpRequest, pk: int) -> HttpResponse:
    claim = selectors.published_claim(pk)
    # The canonical link and the JSON-LD name the address this page was asked at, unless
    # PUBLIC_BASE_URL says where the desk is published.
    with links.linking_for(request):
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
                # Safe: script_json escapes <, > and &, so user text cannot close the element.
                "claim_review_json": mark_safe(script_json(review)),  # noqa: S308
            },
        )
