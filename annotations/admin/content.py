"""Articles and the verdict scale: reviewers look, admins change them through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from annotations import services
from annotations.admin.base import AdminsManage
from annotations.models import ARTICLE_METADATA_FIELDS, Article, Verdict
from annotations.request_user import acting_user


@admin.register(Article)
class ArticleAdmin(AdminsManage):
    list_display = ("title", "publisher", "published_on", "language", "imported_at")
    search_fields = ("title", "publisher", "byline", "source_url")
    # The body is what every claim's offsets point into: it never changes once imported.
    readonly_fields = (
        "body",
        "body_sha256",
        "revision_of",
        "imported_by",
        "imported_at",
        "source_file",
    )

    # Articles arrive through the import (command or API), which normalises, hashes and
    # deduplicates the text; a blank admin form would bypass all of that.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        changes = {
            name: value for name, value in changes.items() if name in ARTICLE_METADATA_FIELDS
        }
        services.article_update(article=obj, actor=acting_user(request), changes=changes)


@admin.register(Verdict)
class VerdictAdmin(AdminsManage):
    list_display = ("label", "slug", "rating", "colour", "order")
    prepopulated_fields = {"slug": ("label",)}

    def save_model(self, request: HttpRequest, obj: Verdict, form: Any, change: bool) -> None:
        services.verdict_save(verdict=obj, actor=acting_user(request))
