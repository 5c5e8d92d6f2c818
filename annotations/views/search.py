"""The search page: claims or articles by their words, with filters, for signed-in users,
each seeing what they may (the claims' visibility rule, the articles' selector)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from annotations import permissions, search, selectors
from annotations.models import MAX_ID, Article, Claim, Verdict
from annotations.query_params import refuse_repeats
from annotations.workflow import Status

RESULTS_PER_PAGE = 20


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Words"), required=False, max_length=search.MAX_QUERY)
    kind = forms.ChoiceField(
        choices=[("claims", gettext_lazy("Claims")), ("articles", gettext_lazy("Articles"))],
        required=False,
    )
    status = forms.ChoiceField(
        choices=[("", gettext_lazy("Any status")), *Status.choices], required=False
    )
    verdict = forms.ModelChoiceField(
        queryset=Verdict.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=gettext_lazy("Any verdict"),
    )
    claimant = forms.CharField(required=False, max_length=300)
    article = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, label=gettext_lazy("Article #")
    )
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("“Since” is after “until”."))
        return data


@dataclass(frozen=True)
class ClaimHit:
    claim: Claim
    text: SafeString
    where: str
    snippet: SafeString | None
    link: str
    claimant: str


@dataclass(frozen=True)
class ArticleHit:
    article: Article
    title: SafeString
    snippet: SafeString


def _day_start(day: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _day_end(day: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


def filtered_claims(user: Any, data: dict[str, Any]) -> QuerySet[Claim]:
    """The claims `user` may see, narrowed by the form's filters and its words."""
    claims = Claim.objects.visible_to(user)
    if data.get("status"):
        claims = claims.filter(status=data["status"])
    if data.get("verdict"):
        claims = claims.filter(verdict=data["verdict"])
    if data.get("claimant"):
        claims = claims.filter(search.claimant_named(data["claimant"].strip()))
    if data.get("article"):
        claims = claims.filter(article_id=data["article"])
    if data.get("since"):
        claims = claims.filter(created_at__gte=_day_start(data["since"]))
    if data.get("until"):
        claims = claims.filter(created_at__lte=_day_end(data["until"]))
    if data.get("q"):
        return search.search_claims(claims, data["q"])
    return claims.order_by("-created_at", "-id")


def filtered_articles(user: Any, data: dict[str, Any]) -> QuerySet[Article]:
    articles = selectors.articles_visible_to(user).defer("body")
    if data.get("article"):
        articles = articles.filter(pk=data["article"])
    if data.get("since"):
        articles = articles.filter(published_on__gte=data["since"])
    if data.get("until"):
        articles = articles.filter(published_on__lte=data["until"])
    if data.get("q"):
        return search.search_articles(articles, data["q"])
    return articles.order_by("-published_on", "-imported_at", "-id")


def _claim_hit(user: Any, claim: Claim, query: str) -> ClaimHit:
    fields = [
        (_("Quote"), claim.quote),
        (_("Claimant"), search.claimant_name(claim)),
        (_("Rationale"), claim.rationale),
        *((_("Source"), source.title) for source in claim.sources.all()),
    ]
    where, snippet = "", None
    if query and not search.matches(claim.claim_text, query):
        for label, value in fields:
            if value and search.matches(value, query):
                where, snippet = label, search.highlight(value, query)
                break
    link = reverse(
        "review-claim" if permissions.is_editor(user) else "claim-public", args=[claim.pk]
    )
    return ClaimHit(
        claim,
        search.highlight(claim.claim_text, query, width=400),
        where,
        snippet,
        link,
        search.claimant_name(claim),
    )


@login_required
@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    refuse_repeats(request.GET)
    form = SearchForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "kind": "claims", "page": None, "hits": []}
    if request.GET and not form.is_valid():
        return render(request, "annotations/search.html", context, status=400)
    data = form.cleaned_data if request.GET else {}
    kind = data.get("kind") or "claims"
    query = data.get("q", "")
    context["kind"] = kind
    context["query"] = query
    if not request.GET:
        return render(request, "annotations/search.html", context)
    page: Page[Any]
    if kind == "articles":
        page = Paginator(filtered_articles(request.user, data), RESULTS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        bodies = dict(
            Article.objects.filter(pk__in=[a.pk for a in page.object_list]).values_list(
                "pk", "body"
            )
        )
        hits: list[Any] = [
            ArticleHit(
                article,
                search.highlight(article.title, query, width=500),
                search.highlight(bodies.get(article.pk, ""), query),
            )
            for article in page.object_list
        ]
    else:
        claims = (
            filtered_claims(request.user, data)
            .select_related("article", "verdict", *search.CLAIMANT_RELATED)
            .defer("article__body")
            .prefetch_related("sources")
        )
        page = Paginator(claims, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        hits = [_claim_hit(request.user, claim, query) for claim in page.object_list]
    params = request.GET.copy()
    params.pop("page", None)
    context.update(page=page, hits=hits, params=params.urlencode(), searched=True)
    return render(request, "annotations/search.html", context)
