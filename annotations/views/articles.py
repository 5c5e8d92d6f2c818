"""The article list and the annotation page. Reads go through selectors; the page's writes go
through the REST API, which calls the same services as everything else."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from annotations import permissions, selectors
from annotations.models import Article, Claim, SourceKind, Verdict
from annotations.outputs import claim_outputs_with_author_ids
from annotations.query_params import refuse_repeats
from annotations.workflow import DELETABLE_STATUSES, EDITABLE_STATUSES, Action, Status

ARTICLES_PER_PAGE = 50
# Longer searches cannot name a title any better and only cost the database work.
MAX_SEARCH_LENGTH = 200


@login_required
def article_list(request: HttpRequest) -> HttpResponse:
    """Every article the user may see, newest first, with claim counts by status; `q` searches
    titles."""
    refuse_repeats(request.GET)
    query = request.GET.get("q", "").strip()[:MAX_SEARCH_LENGTH]
    articles = selectors.articles_with_claim_counts(request.user).order_by(
        "-published_on", "-imported_at", "-id"
    )
    if query:
        articles = articles.filter(title__icontains=query)
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(article, _status_counts(article)) for article in page.object_list]
    return render(
        request,
        "annotations/article_list.html",
        {"page": page, "rows": rows, "query": query},
    )


@login_required
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The annotation page: the whole body, every claim the user may see, and the data the
    page's script needs, all in this one response (the script makes no request on load)."""
    article = selectors.article_visible_to(request.user, pk)
    claims = selectors.claims_of_article(request.user, article)
    verdicts = list(Verdict.objects.all())
    page_data = {
        "article": {"id": article.pk, "body": article.body},
        "claims": claims_data(request.user, claims, {v.slug: v.label for v in verdicts}),
        "verdicts": [
            {"slug": v.slug, "label": v.label, "colour": v.colour, "rating": v.rating}
            for v in verdicts
        ],
        "statuses": dict(Status.choices),
        "source_kinds": dict(SourceKind.choices),
        "editable_statuses": sorted(EDITABLE_STATUSES),
        "deletable_statuses": sorted(DELETABLE_STATUSES),
        "can_create": permissions.can_create_claim(request.user),
    }
    return render(
        request,
        "annotations/article_detail.html",
        {
            "article": article,
            "verdicts": verdicts,
            "source_kinds": SourceKind.choices,
            "page_data": page_data,
            "can_create": page_data["can_create"],
        },
    )


def claims_data(
    user: Any, claims: QuerySet[Claim], verdict_labels: dict[str, str]
) -> list[dict[str, Any]]:
    """The claims in the API's claim shape (annotations.outputs), each with what `user` may do
    with it and its verdict's label."""
    # The predicates read only the claim's author and status, so they are asked once per
    # (author, status) met rather than once per claim.
    allowed: dict[tuple[int, str], dict[str, bool]] = {}
    rows = []
    for data, author_id in claim_outputs_with_author_ids(claims):
        key = (author_id, data["status"])
        if key not in allowed:
            claim = Claim(author_id=author_id, status=data["status"])
            actions = permissions.available_actions(user, claim)
            allowed[key] = {
                "can_edit": permissions.can_edit_claim(user, claim),
                "can_delete": permissions.can_delete_claim(user, claim),
                "can_submit": Action.SUBMIT in actions,
                "can_review": Action.APPROVE in actions,
            }
        data.update(allowed[key])
        data["verdict_label"] = verdict_labels.get(data["verdict"], "") if data["verdict"] else ""
        rows.append(data)
    return rows


def _status_counts(article: Article) -> list[tuple[str, str, int]]:
    """(status, label, count) for the statuses the article has visible claims in."""
    counts = []
    for status, label in Status.choices:
        count = getattr(article, f"{status}_count", 0)
        if count:
            counts.append((status, label, count))
    return counts
