"""The public page of a fact-check: no sign-in, read from the claim's public record
(annotations.public_record), so that it shows the last approved version while a correction
is under way, each correction with its note, and a retraction's notice in place of the
fact-check. A claim never approved is a 404."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from annotations import public_record
from annotations.anchoring import paragraph_around
from annotations.encoding import script_json
from annotations.export import links, public_review, published_rating
from annotations.models import Claim
from annotations.workflow import Status


@require_GET
def claim_public(request: HttpRequest, pk: int) -> HttpResponse:
    records = public_record.records_of(pk)
    latest = records[-1]
    changes = public_record.changes_of(records)
    if latest.is_retraction:
        return render(
            request,
            "annotations/public_retracted.html",
            {"record": latest, "first": records[0], "changes": changes},
        )
    status = Claim.objects.filter(pk=pk).values_list("status", flat=True).first()
    changed = public_record.article_changed_since(latest)
    # The canonical link and the JSON-LD name the address this page was asked at, unless
    # PUBLIC_BASE_URL says where the desk is published.
    with links.linking_for(request):
        review = public_review(latest)
        return render(
            request,
            "annotations/public_claim.html",
            {
                "record": latest,
                "rating": published_rating(latest),
                "first": records[0],
                "changes": changes,
                "under_correction": status != Status.APPROVED,
                # The article was edited after the check: the page says so, and shows the
                # quote as it read in the text that was checked.
                "article_changed": changed,
                "claim_url": review["url"],
                # Only where the article was published: the desk's own article pages are
                # for signed-in users.
                "article_url": latest.article.source_url,
                "context": paragraph_around(latest.revision.body, latest.start, latest.end),
                "sources": [_source(source) for source in latest.sources],
                # Safe: script_json escapes <, > and &, so user text cannot close the element.
                "claim_review_json": mark_safe(script_json(review)),  # noqa: S308
            },
        )


def _source(stored: dict[str, Any]) -> dict[str, Any]:
    """A source as the record holds it, its dates read back from YYYY-MM-DD."""
    source = dict(stored)
    for name in ("accessed_on", "published_on"):
        if source.get(name):
            source[name] = date.fromisoformat(source[name])
    return source
