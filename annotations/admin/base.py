"""What the desk's admin pages share: who may open them, read-only inlines, and deletions
blocked by claims that still use an object."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import models
from django.db.models import ProtectedError, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from annotations import permissions

# Stored URLs always carry their scheme; say so rather than rely on a changing default.
URL_FIELDS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    formfield_overrides = URL_FIELDS
    extra = 0
    can_delete = False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.is_reviewer(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReviewersSee:
    """Reviewers and admins may open these pages of the admin."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.is_reviewer(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.is_reviewer(request.user)


class ReviewersReadOnly(ReviewersSee):
    """Look, never touch: claims are created and edited by their authors through the service,
    and the history is append-only."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AdminsManage(ReviewersSee, admin.ModelAdmin):  # type: ignore[type-arg]
    """Reviewers may look; only admins change. A deletion blocked by a protected reference
    is reported, not a server error."""

    formfield_overrides = URL_FIELDS

    def has_add_permission(self, request: HttpRequest) -> bool:
        return permissions.is_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.is_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.is_admin(request.user)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            # Claims are never deleted in the admin, so Django would blame a missing
            # permission; the claims that use the object are the real reason, shown instead.
            perms_needed = set()
        return deleted, counts, perms_needed, protected

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        # The confirmation page already lists protected claims; this covers a claim that
        # started using the object between that page and the POST.
        try:
            return super().delete_view(request, object_id, extra_context)
        except ProtectedError as blocked:
            self.message_user(request, _in_use_message(blocked), messages.ERROR)
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            )

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        try:
            super().delete_queryset(request, queryset)
        except ProtectedError as blocked:
            self.message_user(request, _in_use_message(blocked), messages.ERROR)


def _in_use_message(blocked: ProtectedError) -> str:
    count = len(blocked.protected_objects)
    return (
        f"Not deleted: {count} claim(s) still use it. Change their verdict or article first, "
        "or keep it."
    )
