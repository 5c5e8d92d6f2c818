"""Claimants: the desk's reviewers and admins correct them here (kind, description, same-as
links), and admins merge two that are one, all through services.claimants. A claimant is
never deleted: it leaves by a merge, which keeps it, pointing at the one it went into."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from annotations import permissions, services
from annotations.admin.base import DeclaredFiltersOnly, ServiceRefusalsShown
from annotations.errors import refusal_message
from annotations.models import Claimant
from annotations.request_user import acting_user


class SameAsField(forms.CharField):
    """The same-as links as a text box, one URL a line; the model validates each."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class ClaimantForm(forms.ModelForm[Claimant]):
    same_as = SameAsField(
        required=False,
        label=gettext_lazy("same as"),
        help_text=gettext_lazy(
            "Pages that identify the claimant, one URL a line: its Wikidata item, an official page."
        ),
    )

    class Meta:
        model = Claimant
        fields = ("name", "kind", "description", "same_as")


class MergedFilter(admin.SimpleListFilter):
    title = gettext_lazy("merged")
    parameter_name = "merged"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("no", _("In use")), ("yes", _("Merged into another"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "no":
            return queryset.filter(merged_into__isnull=True)
        if self.value() == "yes":
            return queryset.filter(merged_into__isnull=False)
        return queryset


@admin.register(Claimant)
class ClaimantAdmin(ServiceRefusalsShown, DeclaredFiltersOnly):
    form = ClaimantForm
    list_display = ("name", "kind", "kind_unconfirmed", "claim_count", "merged_into")
    list_filter = ("kind", "kind_unconfirmed", MergedFilter)
    search_fields = ("name", "description")
    readonly_fields = ("merged_into", "kind_unconfirmed", "created_at", "updated_at")
    actions = ["merge_claimants"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Claimant]:
        claimants: QuerySet[Claimant] = super().get_queryset(request)
        return claimants.select_related("merged_into").annotate(claim_count=Count("claims"))

    @admin.display(description=gettext_lazy("claims"), ordering="claim_count")
    def claim_count(self, obj: Claimant) -> int:
        return int(getattr(obj, "claim_count", 0))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.is_reviewer(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.is_reviewer(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return permissions.is_reviewer(request.user) and permissions.can_manage_claimants(
            request.user
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_merged:
            return False
        return self.has_add_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        if not permissions.can_merge_claimants(request.user):
            actions.pop("merge_claimants", None)
        return actions

    def save_model(self, request: HttpRequest, obj: Claimant, form: Any, change: bool) -> None:
        if change:
            changes = {name: form.cleaned_data[name] for name in form.changed_data}
            if changes:
                services.claimant_update(
                    claimant_id=obj.pk, actor=acting_user(request), changes=changes
                )
            return
        created = services.claimant_create(
            actor=acting_user(request),
            name=obj.name,
            kind=obj.kind,
            description=obj.description,
            same_as=obj.same_as,
        )
        obj.pk = created.pk

    @admin.action(description=gettext_lazy("Merge the selected claimants into one of them"))
    def merge_claimants(
        self, request: HttpRequest, queryset: QuerySet[Claimant]
    ) -> HttpResponse | None:
        """First a page asking which claimant stays; then each other selected claimant is
        merged into it (services.claimant_merge)."""
        chosen = list(queryset.filter(merged_into__isnull=True).order_by("name_key", "id"))
        if len(chosen) < 2:
            self.message_user(
                request,
                _("Select at least two claimants in use to merge them."),
                messages.WARNING,
            )
            return None
        keep = request.POST.get("keep")
        if keep is not None:
            kept = next((c for c in chosen if str(c.pk) == keep), None)
            if kept is None:
                self.message_user(request, _("Choose the claimant that stays."), messages.ERROR)
                return None
            try:
                for claimant in chosen:
                    if claimant.pk != kept.pk:
                        services.claimant_merge(
                            merged_id=claimant.pk, kept_id=kept.pk, actor=acting_user(request)
                        )
            except ValidationError as refusal:
                self.message_user(request, refusal_message(refusal), messages.ERROR)
                return None
            merged = ", ".join(f"“{c.name}”" for c in chosen if c.pk != kept.pk)
            self.message_user(
                request,
                _("Merged %(merged)s into “%(kept)s”.") % {"merged": merged, "kept": kept.name},
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/annotations/claimant/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Merge claimants"),
                "opts": self.model._meta,
                "claimants": chosen,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )
