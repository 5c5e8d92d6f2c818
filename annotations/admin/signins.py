"""Failed sign-ins and lockouts (django-axes' records): admins see who is locked out and let
them in again.

An account and a client address are each locked on their own (AXES_LOCKOUT_PARAMETERS), by
the failures recorded as access attempts. Clearing a lockout removes the attempts of the
chosen rows' accounts and addresses, through the user service.
"""

from __future__ import annotations

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy, ngettext

from annotations.admin.base import DeclaredFiltersOnly
from annotations.services.users import sign_in_lockout_clear

for _model in (AccessAttempt, AccessFailureLog, AccessLog):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(AccessAttempt)
class LockoutAdmin(DeclaredFiltersOnly, AccessAttemptAdmin):  # type: ignore[misc]
    """Who failed to sign in, from where, and whether that locks them out. Django's model
    permissions decide who may look and clear: the admin role may (roles.GROUP_PERMISSIONS)."""

    actions = [*AccessAttemptAdmin.actions, "clear_lockout"]

    @admin.action(
        description=gettext_lazy(
            "Clear lockout: the accounts and client addresses of the selected rows "
            "may sign in again"
        ),
        permissions=["delete"],
    )
    def clear_lockout(self, request: HttpRequest, queryset: QuerySet[AccessAttempt]) -> None:
        pairs = set(queryset.values_list("username", "ip_address"))
        cleared = sum(
            sign_in_lockout_clear(username=username, ip_address=address)
            for username, address in pairs
        )
        self.message_user(
            request,
            ngettext(
                "Lockout cleared: %(count)d record of failed sign-ins removed.",
                "Lockout cleared: %(count)d records of failed sign-ins removed.",
                cleared,
            )
            % {"count": cleared},
            messages.SUCCESS,
        )


@admin.register(AccessFailureLog)
class SignInFailureAdmin(DeclaredFiltersOnly, AccessFailureLogAdmin):  # type: ignore[misc]
    """Every failed sign-in, kept after a lockout is cleared; the admin role may look and
    delete (roles.GROUP_PERMISSIONS)."""


@admin.register(AccessLog)
class SignInAdmin(DeclaredFiltersOnly, AccessLogAdmin):  # type: ignore[misc]
    """Successful sign-ins and sign-outs: superusers only."""
