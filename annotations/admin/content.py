"""Articles and the verdict scale: reviewers look, admins change them through the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from annotations import services
from annotations.admin.base import AdminsManage
from annotations.models import ARTICLE_METADATA_FIELDS, Article, Claim, Publication, Verdict
from annotations.request_user import acting_user
from annotations.services.revisions import article_edit_text, describe_revision
from annotations.services.verdicts import verdict_in_use


@admin.register(Article)
class ArticleAdmin(AdminsManage):
    list_display = ("title", "publisher", "published_on", "language", "imported_at")
    search_fields = ("title", "publisher", "byline", "source_url")
    # The text changes only by a new revision (services.revisions.article_edit_text), which
    # re-anchors the claims; the rest of the record is read-only.
    readonly_fields = (
        "body_sha256",
        "current_revision",
        "imported_by",
        "imported_at",
        "source_file",
    )

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        body = form.base_fields.get("body")
        if isinstance(body, forms.CharField):
            # The text as typed, its last line break included: a new text is a revision.
            body.strip = False
        return form

    # Articles arrive through the import (command or API), which normalises, hashes and
    # deduplicates the text; a blank admin form would bypass all of that.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        changes = {
            name: value for name, value in changes.items() if name in ARTICLE_METADATA_FIELDS
        }
        if changes:
            services.article_update(article=obj, actor=acting_user(request), changes=changes)
        if "body" in form.changed_data:
            outcome = article_edit_text(
                article_id=obj.pk, body=form.cleaned_data["body"], actor=acting_user(request)
            )
            if outcome.revision is not None:
                self.message_user(
                    request,
                    _("The text is now %(revision)s.") % {"revision": describe_revision(outcome)},
                    messages.SUCCESS,
                )


@admin.register(Verdict)
class VerdictAdmin(AdminsManage):
    list_display = ("label", "slug", "rating", "colour", "order", "claims_using", "published_with")
    prepopulated_fields = {"slug": ("label",)}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Verdict]:
        # Subqueries, not two joined counts, which would multiply each other.
        claims = (
            Claim.objects.filter(verdict=OuterRef("pk"))
            .order_by()
            .values("verdict")
            .annotate(n=Count("pk"))
            .values("n")
        )
        published = (
            Publication.objects.filter(verdict=OuterRef("pk"))
            .order_by()
            .values("verdict")
            .annotate(n=Count("claim", distinct=True))
            .values("n")
        )
        verdicts: QuerySet[Verdict] = super().get_queryset(request)
        return verdicts.annotate(
            claims_using=Coalesce(Subquery(claims), 0),
            published_with=Coalesce(Subquery(published), 0),
        )

    @admin.display(description=gettext_lazy("claims"), ordering="claims_using")
    def claims_using(self, obj: Verdict) -> int:
        return int(getattr(obj, "claims_using", 0))

    @admin.display(description=gettext_lazy("published fact-checks"), ordering="published_with")
    def published_with(self, obj: Verdict) -> int:
        return int(getattr(obj, "published_with", 0))

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # The browser's colour picker; the model's rule still checks what arrives.
        if db_field.name == "colour":
            kwargs["widget"] = forms.TextInput(attrs={"type": "color"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Verdict, form: Any, change: bool) -> None:
        services.verdict_save(verdict=obj, actor=acting_user(request))

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        # A verdict in use is refused with the reason (services.verdict_delete), rather
        # than with a list of every claim and record that holds it.
        deleted, counts, perms_needed, _ = super().get_deleted_objects(objs, request)
        protected = [reason for verdict in objs if (reason := verdict_in_use(verdict))]
        return deleted, counts, perms_needed, protected

    def delete_model(self, request: HttpRequest, obj: Verdict) -> None:
        services.verdict_delete(verdict=obj, actor=acting_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Verdict]) -> None:
        for verdict in queryset:
            try:
                services.verdict_delete(verdict=verdict, actor=acting_user(request))
            except ValidationError as refusal:
                self.message_user(request, " ".join(refusal.messages), messages.ERROR)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        # A claim may take the verdict between the confirmation page and the POST.
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as refusal:
            self.message_user(request, " ".join(refusal.messages), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:annotations_verdict_changelist"))
