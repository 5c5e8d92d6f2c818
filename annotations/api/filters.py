"""Query parameters of the lists: only the fields named here, each typed, no `__` lookups;
any other parameter is refused (StrictFilterBackend)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from annotations.models import MAX_ID, Article, Claim
from annotations.query_params import REPEATED, repeated
from annotations.search import MAX_QUERY, search_articles, search_claims
from annotations.workflow import Status


class IdFilter(django_filters.Filter):
    """A whole-number id; anything else (or an id too large to exist) is a 400."""

    field_class = forms.IntegerField

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class ArticleFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search",
        max_length=MAX_QUERY,
        label="Words the title or text holds (case and accents aside; a word ending with * "
        "also finds those that start with it); the best matches first. docs/search.md.",
    )
    ordering = django_filters.OrderingFilter(
        fields=("id", "title", "published_on", "imported_at"),
        label="Order by id, title, published_on or imported_at (prefix - to reverse).",
    )

    class Meta:
        model = Article
        fields: list[str] = []

    def filter_search(
        self, queryset: QuerySet[Article], name: str, value: str
    ) -> QuerySet[Article]:
        return search_articles(queryset, value)


class ClaimFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search",
        max_length=MAX_QUERY,
        label="Words the claim holds (restated claim, quote, claimant, rationale, sources' "
        "titles; case and accents aside; a word ending with * also finds those that start "
        "with it); the best matches first. docs/search.md.",
    )
    article = IdFilter(field_name="article_id", label="The article's id.")
    status = django_filters.ChoiceFilter(choices=Status.choices)
    verdict = django_filters.CharFilter(
        field_name="verdict__slug", max_length=100, label="The verdict's slug."
    )
    author = django_filters.CharFilter(
        field_name="author__username", max_length=150, label="The author's username."
    )
    ordering = django_filters.OrderingFilter(
        fields=("id", "start", "created_at", "updated_at", "submitted_at"),
        label="Order by id, start, created_at, updated_at or submitted_at (prefix - to reverse).",
    )

    class Meta:
        model = Claim
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        return search_claims(queryset, value)


def check_query_parameters(
    request: Request, takes: Iterable[str], also_allowed: Iterable[str] = ()
) -> None:
    """A 400 naming each query parameter that is not in `takes` (nor `also_allowed`, which
    goes unmentioned), saying what the endpoint takes, and each parameter given more than
    once: every parameter of the API takes one value (the export's status takes several,
    separated by commas), and silently using one of the repeats would answer another
    question than the one asked."""
    allowed = {*takes, *also_allowed}
    problems = {
        name: [
            _("Unknown parameter. This endpoint takes: %(names)s.")
            % {"names": ", ".join(sorted(takes)) or pgettext("query parameters", "none")}
        ]
        for name in sorted(set(request.query_params) - allowed)
    }
    for name in repeated(request.query_params):
        problems.setdefault(name, [str(REPEATED)])
    if problems:
        raise ValidationError(problems)


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter's backend, refusing query parameters that are neither a filter of the
    view nor its pagination: a misspelt filter (`stauts=draft`) would otherwise be ignored
    and list everything, which reads as an answer. The export refuses them the same way."""

    # DRF's own: `format` chooses the renderer (`?format=json`).
    ALWAYS_ALLOWED = frozenset({"format"})

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        takes: set[str] = set()
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            takes |= set(filterset_class.base_filters)
        paginator = getattr(view, "paginator", None)
        for name in ("page_query_param", "page_size_query_param"):
            if getattr(paginator, name, None):
                takes.add(getattr(paginator, name))
        check_query_parameters(request, takes, self.ALWAYS_ALLOWED)
        return super().filter_queryset(request, queryset, view)
