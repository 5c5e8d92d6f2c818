"""The three roles, kept as Django groups, and the model permissions each one carries.

A user holds at most one role. Admin includes everything a reviewer may do, a reviewer
everything an editor may do; the object-level rules live in permissions.py and on the
claims' queryset (models.ClaimQuerySet).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser, User
    from django.db.models import QuerySet

    AnyUser = AbstractBaseUser | AnonymousUser


class Role(models.TextChoices):
    EDITOR = "editor", pgettext_lazy("role", "Editor")
    REVIEWER = "reviewer", pgettext_lazy("role", "Reviewer")
    ADMIN = "admin", pgettext_lazy("role", "Admin")


# Higher rank includes the powers of the lower ones.
RANK: dict[Role | None, int] = {None: 0, Role.EDITOR: 1, Role.REVIEWER: 2, Role.ADMIN: 3}

# Model permissions that give each role its view of Django's admin. Object-level rules
# (four eyes, authorship) are still checked by the services the admin calls.
_ANNOTATION_MODELS = ("article", "claim", "source", "reviewevent", "verdict")
GROUP_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    Role.EDITOR: [("annotations", f"view_{name}") for name in _ANNOTATION_MODELS],
    Role.REVIEWER: [("annotations", f"view_{name}") for name in _ANNOTATION_MODELS]
    + [("annotations", "change_claim")],
    Role.ADMIN: [
        ("annotations", f"{verb}_{name}")
        for name in ("article", "claim", "source", "verdict")
        for verb in ("view", "add", "change", "delete")
    ]
    + [("annotations", "view_reviewevent")]
    + [("auth", f"{verb}_user") for verb in ("view", "add", "change")]
    + [("auth", "view_group")]
    # The admin's Tokens page is DRF's TokenProxy, whose permissions are its own, not Token's:
    # admins look at tokens and delete a leaked one.
    + [("authtoken", f"{verb}_tokenproxy") for verb in ("view", "delete")]
    # django-axes' records of failed sign-ins: admins see who is locked out and clear it.
    + [
        ("axes", f"{verb}_{name}")
        for name in ("accessattempt", "accessfailurelog")
        for verb in ("view", "delete")
    ]
    # The background tasks' queue (django-tasks' database backend): admins see whether the
    # notification e-mails went out, and why one failed.
    + [("django_tasks_database", "view_dbtaskresult")],
}

# Reviewers and admins work in Django's admin; editors use the desk's own pages.
STAFF_ROLES = frozenset({Role.REVIEWER, Role.ADMIN})

# Where role_of keeps the answer on the user object, for the rest of the request.
_ROLE_CACHE = "_factcheck_role"


def role_of(user: AnyUser | None) -> Role | None:
    """The role of an active, signed-in user; superusers count as admins. Cached on the user
    object, so a request asks the database once. holders_of is the same rule as a query."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if hasattr(user, _ROLE_CACHE):
        cached: Role | None = getattr(user, _ROLE_CACHE)
        return cached
    role = Role.ADMIN if getattr(user, "is_superuser", False) else group_role(user)
    setattr(user, _ROLE_CACHE, role)
    return role


def group_role(user: AnyUser) -> Role | None:
    """The highest role among the user's groups, whatever their superuser or active status.
    Served by a prefetch of the groups where there is one (the admin's user list)."""
    if user.pk is None or not isinstance(user, PermissionsMixin):
        return None
    names = {group.name for group in user.groups.all()}
    held = [role for role in Role if role.value in names]
    return max(held, key=lambda role: RANK[role]) if held else None


def forget_role(user: AnyUser) -> None:
    """Drop the cached role after a role change."""
    if hasattr(user, _ROLE_CACHE):
        delattr(user, _ROLE_CACHE)


def has_role(user: AnyUser | None, minimum: Role) -> bool:
    return RANK[role_of(user)] >= RANK[minimum]


def holders_of(minimum: Role) -> QuerySet[User]:
    """The users whose role_of ranks at `minimum` or above, as one query: active ones who are
    superusers or belong to a group of that rank or higher."""
    from django.contrib.auth import get_user_model

    names = [role.value for role in Role if RANK[role] >= RANK[minimum]]
    users = get_user_model().objects.filter(is_active=True)
    return users.filter(Q(is_superuser=True) | Q(groups__name__in=names)).distinct()
