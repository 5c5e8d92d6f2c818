"""Users, their role and their password, the role groups, and API tokens.

Every change of a role, of active status or of a password is made by the user service
(annotations.services.users), which refuses to take away the desk's last admin, releases the
claims a demoted reviewer held, and revokes the token of a user whose password changes.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin import forms as admin_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AdminUserCreationForm,
    UserChangeForm,
)
from django.contrib.auth.models import Group
from django.contrib.auth.views import PasswordChangeView
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from annotations import permissions
from annotations.admin.base import DeclaredFiltersOnly, ServiceRefusalsShown
from annotations.roles import Role
from annotations.services.users import user_save, user_set_password

User = get_user_model()

# --- Users and their role -------------------------------------------------------------------

ROLE_CHOICES = [("", _("No role (reads published claims only)")), *Role.choices]


def _held_role(user: Any) -> str:
    """The role group the user belongs to ("" for none); superuser status aside."""
    if user is None or user.pk is None:
        return ""
    return permissions.group_role(user) or ""


class RoleChangeForm(UserChangeForm):  # type: ignore[type-arg]
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].initial = _held_role(self.instance)


class RoleCreationForm(AdminUserCreationForm):  # type: ignore[type-arg]
    role = forms.ChoiceField(
        label=_("Role"), choices=ROLE_CHOICES, required=False, initial=Role.EDITOR
    )


class PasswordSetForm(AdminPasswordChangeForm):  # type: ignore[type-arg]
    """An admin sets a user's password (or turns password sign-in off) through the service.
    The form has validated the password already."""

    def save(self, commit: bool = True) -> Any:
        usable = self.cleaned_data["set_usable_password"]
        password = self.cleaned_data["password1"] if usable else None
        return user_set_password(user=self.user, password=password, check_password=False)


class OwnPasswordForm(admin_forms.AdminPasswordChangeForm):
    """A signed-in member of staff changes their own password through the service. The form
    has checked the old password and validated the new one."""

    def save(self, commit: bool = True) -> Any:
        password = self.cleaned_data["new_password1"]
        return user_set_password(user=self.user, password=password, check_password=False)


def _own_password_change(request: HttpRequest) -> HttpResponseBase:
    """The admin's "Change password" page (AdminSite.password_change, whose form cannot be
    chosen) with OwnPasswordForm."""
    request.current_app = admin.site.name
    view = PasswordChangeView.as_view(
        form_class=OwnPasswordForm,
        success_url=reverse("admin:password_change_done", current_app=admin.site.name),
        extra_context=admin.site.each_context(request),
    )
    return view(request)


# Served at the admin's own address for the page (factcheck/urls.py), ahead of the admin's.
own_password_change = admin.site.admin_view(_own_password_change, cacheable=True)


admin.site.unregister(User)


@admin.register(User)
class FactcheckUserAdmin(ServiceRefusalsShown, DeclaredFiltersOnly, UserAdmin):  # type: ignore[type-arg]
    """Admins manage users and give each one role; the user service saves the form (and keeps
    is_staff in step). Group membership, model permissions and superuser status are not
    edited here."""

    form = RoleChangeForm
    add_form = RoleCreationForm
    change_password_form = PasswordSetForm
    list_display = ("username", "email", "role", "is_active", "is_staff", "last_login")
    list_filter = ("is_active", "groups")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Role"), {"fields": ("role", "is_active")}),
        (_("Status"), {"fields": ("is_staff", "is_superuser", "last_login", "date_joined")}),
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

    @admin.display(description=_("role"))
    def role(self, user: Any) -> str:
        held = _held_role(user)
        return str(Role(held).label) if held else "—"

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

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        chosen = form.cleaned_data.get("role") or None
        user_save(user=obj, role=Role(chosen) if chosen else None)


# --- The role groups and API tokens ----------------------------------------------------------

admin.site.unregister(Group)


@admin.register(Group)
class FactcheckGroupAdmin(DeclaredFiltersOnly, GroupAdmin):
    """The role groups, with Django's model permissions: admins look, superusers change."""


admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class FactcheckTokenAdmin(DeclaredFiltersOnly, TokenAdmin):
    """DRF's "Tokens" page, with Django's model permissions, which the admin role holds for
    viewing and deleting (roles.GROUP_PERMISSIONS): an admin deletes a leaked token here."""
