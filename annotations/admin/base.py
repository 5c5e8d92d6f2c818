"""What the desk's admin pages share: lists filtered by their declared filters alone, who
may open them, read-only inlines, and deletions blocked by claims that still use an object."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.filters import FieldListFilter, ListFilter
from django.contrib.admin.utils import get_fields_from_path
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import ProtectedError, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from annotations import permissions
from annotations.errors import refusal_message

# Stored URLs always carry their scheme; say so rather than rely on a changing default.
URL_FIELDS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


class DeclaredFiltersOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    """A list filters by what its own list_filter and date_hierarchy offer, nothing else.

    Django's admin also accepts, by design, a lookup on any field of the model and on the
    primary key of any related model, so a list would answer questions it never offers:
    `?auth_token__key__startswith=` on the users reads a token a character at a time,
    `?claims__id__gte=` on the verdicts tells whether someone's draft exists. Every admin
    registered here derives from this class (tests/test_admin_lookups.py checks each one);
    a refused lookup is Django's own refusal, DisallowedModelAdminLookup, a 400.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The names follow from the declaration alone, but building the filters asks the
        # database for their choices: done once per declaration, not on every request.
        self._filter_parameters: dict[tuple[Any, ...], frozenset[str]] = {}

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        allowed = lookup in self.filter_parameters(request)
        return allowed and super().lookup_allowed(lookup, value, request)

    def filter_parameters(self, request: HttpRequest) -> frozenset[str]:
        """The query parameters the list's filters read, as each filter names them
        (expected_parameters), and the date hierarchy's year, month and day."""
        declared = tuple(
            tuple(item) if isinstance(item, list) else item
            for item in self.get_list_filter(request)
        )
        if declared not in self._filter_parameters:
            names = {
                name
                for item in declared
                for name in self._build_filter(request, item).expected_parameters()
                if name is not None
            }
            if self.date_hierarchy:
                names.update(f"{self.date_hierarchy}__{part}" for part in ("year", "month", "day"))
            self._filter_parameters[declared] = frozenset(names)
        return self._filter_parameters[declared]

    def _build_filter(self, request: HttpRequest, item: Any) -> ListFilter:
        """One list_filter entry made into its filter, with no parameters given, as the
        admin's ChangeList makes it: a filter class, a field path, or (path, filter class)."""
        if isinstance(item, type):
            return item(request, {}, self.model, self)  # type: ignore[no-any-return]
        path, filter_class = item if isinstance(item, tuple) else (item, FieldListFilter.create)
        field = get_fields_from_path(self.model, path)[-1]
        return filter_class(field, request, {}, self.model, self, field_path=path)  # type: ignore[no-any-return]


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


class ServiceRefusalsShown(admin.ModelAdmin):  # type: ignore[type-arg]
    """A change the service refuses (save_model calls it, and it has the last word: a rule the
    form cannot see, or a race the form lost) is reported on the page, instead of a server
    error. The admin's transaction has undone the whole form, which the message says."""

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as refusal:
            self.message_user(
                request,
                _("Nothing was changed. %(reason)s") % {"reason": refusal_message(refusal)},
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())


class AdminsManage(ServiceRefusalsShown, ReviewersSee, DeclaredFiltersOnly):
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
    return ngettext(
        "Not deleted: %(count)d claim still uses it. Change its verdict or article first, "
        "or keep it.",
        "Not deleted: %(count)d claims still use it. Change their verdict or article first, "
        "or keep it.",
        count,
    ) % {"count": count}
