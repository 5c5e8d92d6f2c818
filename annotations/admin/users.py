"""Users and their role."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest

from annotations import permissions, services
from annotations.roles import Role

User = get_user_model()

# --- Users and their role -------------------------------------------------------------------

ROLE_CHOICES = [("", "No role (reads published claims only)"), *Role.choices]


def _held_role(user: Any) -> str:
    """The role group the user belongs to ("" for none); superuser status aside."""
    if user is None or user.pk is None:
        return ""
    return permissions.group_role(user) or ""


class RoleChangeForm(UserChangeForm):  # type: ignore[type-arg]
    role = forms.ChoiceField(choices=ROLE_CHOICES, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].initial = _held_role(self.instance)


class RoleCreationForm(AdminUserCreationForm):  # type: ignore[type-arg]
    role = forms.ChoiceField(choices=ROLE_CHOICES, required=False, initial=Role.EDITOR)


admin.site.unregister(User)


@admin.register(User)
class FactcheckUserAdmin(UserAdmin):  # type: ignore[type-arg]
    """Admins manage users and give each one role (services.user_set_role keeps is_staff in
    step). Group membership, model permissions and superuser status are not edited here."""

    form = RoleChangeForm
    add_form = RoleCreationForm
    list_display = ("username", "email", "role", "is_active", "is_staff", "last_login")
    list_filter = ("is_active", "groups")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Role", {"fields": ("role", "is_active")}),
        ("Status", {"fields": ("is_staff", "is_superuser", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2", "role"),
            },
        ),
    )
    readonly_fields = ("is_staff", "is_superuser", "last_login", "date_joined")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # The role column reads each user's groups: one query for the page, not one per row.
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="role")
    def role(self, user: Any) -> str:
        held = _held_role(user)
        return Role(held).label if held else "—"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.is_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.is_admin(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return permissions.is_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not permissions.is_admin(request.user):
            return False
        # Changing a superuser (their password, above all) would make one: only one may.
        return obj is None or not obj.is_superuser or request.user.is_superuser

    # Users who wrote or decided claims stay for the record; deactivate them instead.
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        chosen = form.cleaned_data.get("role") or None
        services.user_set_role(user=form.instance, role=Role(chosen) if chosen else None)
