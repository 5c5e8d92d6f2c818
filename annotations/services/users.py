"""Users and their roles: the role groups, one role per user, and the accounts that
commands, the admin and restored exports create."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from annotations.roles import GROUP_PERMISSIONS, STAFF_ROLES, Role, forget_role

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def roles_ensure() -> None:
    """Create the role groups with their model permissions (idempotent; runs after migrate)."""
    for role, perms in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in perms
        ]
        group.permissions.set(wanted)


def user_set_role(*, user: User, role: Role | None) -> User:
    """Give `user` exactly one role (or none). Reviewers and admins may enter Django's admin."""
    with transaction.atomic():
        role_groups = Group.objects.filter(name__in=Role.values)
        user.groups.remove(*role_groups)
        if role is not None:
            user.groups.add(Group.objects.get(name=role))
        user.is_staff = user.is_superuser or role in STAFF_ROLES
        user.save(update_fields=["is_staff"])
    forget_role(user)
    return user


def user_ensure(*, username: str) -> tuple[User, bool]:
    """The user called `username`, and whether it had to be created.

    A missing user is created without a usable password and without a role: restored work
    names people who may never sign in here, and they gain nothing by being named. The name
    is normalised as user_create_or_update normalises it.
    """
    user_model = get_user_model()
    username = user_model.normalize_username(username)
    existing = user_model.objects.filter(username=username).first()
    if existing is not None:
        return existing, False
    user = user_model(username=username)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user, True


def user_create_or_update(
    *, username: str, password: str | None, role: Role | None, check_password: bool = True
) -> tuple[User, bool]:
    """Create a user with `role`, or change an existing user's role (and password, if given).

    The password must pass the configured validators unless check_password is False (demo
    accounts, whose password the operator chose for a local trial). The name is normalised
    (NFKC) as the sign-in page normalises what people type, so a name given in full-width or
    other compatibility forms is the account its owner signs in to.
    """
    user_model = get_user_model()
    username = user_model.normalize_username(username)
    with transaction.atomic():
        user, created = user_model.objects.get_or_create(username=username)
        if password:
            if check_password:
                validate_password(password, user)
            user.set_password(password)
            user.save(update_fields=["password"])
        elif created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        user_set_role(user=user, role=role)
    return user, created
