"""Query parameters of the lists: only the fields named here, each typed, no `__` lookups."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet

from annotations.api.serializers import MAX_ID
from annotations.models import Article, Claim
from annotations.workflow import Status


class IdFilter(django_filters.Filter):
    """A whole-number id; anything else (or an id too large to exist) is a 400."""

    field_class = forms.IntegerField

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


class ArticleFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search", max_length=200, label="Words the title contains."
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
        return queryset.filter(title__icontains=value.strip()) if value.strip() else queryset


class ClaimFilter(django_filters.FilterSet):
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
