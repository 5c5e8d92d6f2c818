"""Users and their roles: the role groups, one role per user, the accounts that commands,
the admin and restored exports create, their passwords and their sign-in lockouts.

Every change of a user's role, active status or password goes through here (the admin's user
and password forms, `create_user`, the demo set-up), so that what follows from it holds
whoever made it:
- the desk keeps an active admin: demoting or deactivating the last one is refused;
- claims a user holds for review go back to the queue when they drop below reviewer;
- a new password revokes the user's API token.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Field
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from annotations.models import Claim
from annotations.roles import (
    GROUP_PERMISSIONS,
    RANK,
    STAFF_ROLES,
    Role,
    forget_role,
    holders_of,
    role_of,
)
from annotations.services.review import review_release

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
    """Give `user` (saved) exactly one role, or none. Reviewers and admins may enter Django's
    admin.

    Raises ValidationError, changing nothing, when the user is the last active admin and
    would no longer be one. A user who drops below reviewer gives back, in the same
    transaction, the claims they hold for review.
    """
    return _user_write(user=user, role=role, fields=[])


def user_save(*, user: User, role: Role | None) -> User:
    """Save `user` as edited, a new one included (the admin's user form, which also
    deactivates), with exactly one role or none. Refused, and followed, as user_set_role."""
    return _user_write(user=user, role=role, fields=None)


def _user_write(*, user: User, role: Role | None, fields: list[str] | None) -> User:
    """Save `fields` of `user` (None: every field) and `role`; then refuse the change if it
    took the desk's last active admin away, and release the claims the user may no longer
    hold. The caller's in-memory user keeps its edits when refused; the database does not."""
    user_model = get_user_model()
    with transaction.atomic():
        # Every role or activity change queues on the admin group's row, so that two admins
        # demoting each other at once are decided in turn and the second sees the first.
        Group.objects.select_for_update().filter(name=Role.ADMIN).first()
        stored = user_model.objects.filter(pk=user.pk).first() if user.pk else None
        was = role_of(stored)
        user.is_staff = user.is_superuser or role in STAFF_ROLES
        user.save(update_fields=None if fields is None else [*fields, "is_staff"])
        user.groups.remove(*Group.objects.filter(name__in=Role.values))
        if role is not None:
            user.groups.add(Group.objects.get(name=role))
        forget_role(user)
        now = role_of(user)
        if was == Role.ADMIN and now != Role.ADMIN and not holders_of(Role.ADMIN).exists():
            raise ValidationError(
                _(
                    "%(user)s is the last active admin: give someone else the admin role "
                    "first, or the desk is left with nobody to manage it."
                )
                % {"user": user.get_username()},
                code="last_admin",
            )
        if RANK[was] >= RANK[Role.REVIEWER] > RANK[now]:
            held = Claim.objects.held().filter(reviewer=user).values_list("pk", flat=True)
            for claim_id in held:
                review_release(claim_id=claim_id, reviewer=user)
    return user


def user_set_password(*, user: User, password: str | None, check_password: bool = True) -> User:
    """Give `user` a new password, or none that works (`password` None), and revoke their API
    token in the same transaction: a token taken with the old password must not outlive it.

    The password must pass the configured validators unless check_password is False (a form
    that has validated it already, demo accounts); ValidationError otherwise, changing
    nothing.
    """
    with transaction.atomic():
        if password is None:
            user.set_unusable_password()
        else:
            if check_password:
                validate_password(password, user)
            user.set_password(password)
        user.save(update_fields=["password"])
        Token.objects.filter(user=user).delete()
    return user


def clean_username(username: str) -> str:
    """`username` normalised (NFKC) as the sign-in page normalises what people type, and held
    to the user model's rules (length, characters) before any query: PostgreSQL cannot even
    compare a name holding a NUL. ValidationError on `username` otherwise."""
    user_model = get_user_model()
    field = user_model._meta.get_field(user_model.USERNAME_FIELD)
    assert isinstance(field, Field)
    normalised = user_model.normalize_username(username)
    try:
        cleaned: str = field.clean(normalised, None)
    except ValidationError as error:
        raise ValidationError({"username": error.messages}) from None
    return cleaned


def user_ensure(*, username: str) -> tuple[User, bool]:
    """The user called `username`, and whether it had to be created.

    A missing user is created without a usable password and without a role: restored work
    names people who may never sign in here, and they gain nothing by being named. The name
    is normalised as user_create_or_update normalises it.
    """
    user_model = get_user_model()
    username = clean_username(username)
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
    other compatibility forms is the account its owner signs in to. Refused as
    user_set_role and user_set_password refuse, changing nothing.
    """
    user_model = get_user_model()
    username = clean_username(username)
    with transaction.atomic():
        user, created = user_model.objects.get_or_create(username=username)
        if password or created:
            user_set_password(user=user, password=password or None, check_password=check_password)
        user_set_role(user=user, role=role)
    return user, created


def sign_in_lockout_clear(*, username: str | None, ip_address: str | None) -> int:
    """Let the account `username` and the client `ip_address` sign in again: forget the failed
    sign-ins django-axes counts against either (it locks each on its own,
    AXES_LOCKOUT_PARAMETERS). Returns how many records of failures were removed."""
    cleared = 0
    with transaction.atomic():
        # axes' reset() with neither argument would forget every lockout: ask for each alone.
        if username:
            cleared += axes_reset(username=username)
        if ip_address:
            cleared += axes_reset(ip=ip_address)
    return cleared
