"""Who may do what: the role rules, written once as named predicates.

Every way in (pages, API, admin, commands) asks these functions, usually through
the services, which raise PermissionDenied when a predicate says no.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.db import connection
from django.db.models import ManyToManyField, Model

from annotations.roles import RANK, Role
from annotations.sql_names import column, table
from annotations.workflow import (
    ADMIN_ACTIONS,
    AUTHOR_ACTIONS,
    DELETABLE_STATUSES,
    EDITABLE_STATUSES,
    REVIEW_ACTIONS,
    Action,
    Status,
    actions_from,
)

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

    from annotations.models import Claim

    AnyUser = AbstractBaseUser | AnonymousUser

_ROLE_CACHE = "_factcheck_role"


def role_of(user: AnyUser | None) -> Role | None:
    """The user's role; superusers count as admins. Cached on the user object per request."""
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
    A prefetch of the groups serves it (the admin's user list has one)."""
    prefetched = getattr(user, "_prefetched_objects_cache", {}).get("groups")
    if prefetched is not None:
        names = {group.name for group in prefetched}
    elif user.pk is None:  # not saved yet: no groups
        names = set()
    else:
        names = _group_names(user.pk)
    return _highest_role(names)


def _highest_role(group_names: set[str]) -> Role | None:
    held = [r for r in Role if r.value in group_names]
    return max(held, key=lambda r: RANK[r]) if held else None


# The column alias under which user_by_token reads each group's name beside the user's columns.
_GROUP_COLUMN = "_factcheck_group"


def user_by_token(key: str) -> AbstractBaseUser | None:
    """The user holding API token `key` (active or not), with their role already known:
    role_of() then reads nothing. One query for what DRF's token lookup and the role's read
    took two: on every API request those took 0.45 ms, this one 0.16 ms (in process,
    bench/README.md)."""
    # One row per group of the user, or one row with no group (LEFT JOIN).
    rows = list(get_user_model().objects.raw(_user_by_token_sql(connection.vendor), [key]))
    if not rows:
        return None
    user = rows[0]
    names = {getattr(row, _GROUP_COLUMN) for row in rows} - {None}
    delattr(user, _GROUP_COLUMN)
    role = Role.ADMIN if getattr(user, "is_superuser", False) else _highest_role(names)
    setattr(user, _ROLE_CACHE, role)
    return user


def _group_names(user_id: int) -> set[str]:
    """The names of the user's groups, in SQL: asked on nearly every request, it cost Django
    0.22 ms of CPU through the related manager against 0.05 ms this way (in process)."""
    with connection.cursor() as cursor:
        cursor.execute(_group_names_sql(connection.vendor), [user_id])
        return {name for (name,) in cursor.fetchall()}


@cache
def _group_names_sql(vendor: str) -> str:
    membership, member, group = _membership()
    return (
        f"SELECT g.{column(Group, 'name')} FROM {table(membership)} m"  # noqa: S608 (names from the models)
        f" JOIN {table(Group)} g ON g.{column(Group, 'id')} = m.{column(membership, group)}"
        f" WHERE m.{column(membership, member)} = %s"
    )


@cache
def _user_by_token_sql(vendor: str) -> str:
    from rest_framework.authtoken.models import Token

    user_model = get_user_model()
    user_pk = column(user_model, user_model._meta.pk.name)  # type: ignore[union-attr]
    columns = ", ".join(f"u.{column(user_model, f.name)}" for f in user_model._meta.concrete_fields)
    membership, member, group = _membership()
    # Flat LEFT JOINs: SQLite would build a bracketed (m JOIN g) for every user first.
    return (
        f"SELECT {columns}, g.{column(Group, 'name')} AS {_GROUP_COLUMN}"  # noqa: S608 (names from the models)
        f" FROM {table(user_model)} u"
        f" LEFT JOIN {table(membership)} m ON m.{column(membership, member)} = u.{user_pk}"
        f" LEFT JOIN {table(Group)} g ON g.{column(Group, 'id')} = m.{column(membership, group)}"
        f" WHERE u.{user_pk} = (SELECT t.{column(Token, 'user')}"
        f" FROM {table(Token)} t WHERE t.{column(Token, 'key')} = %s)"
    )


def _membership() -> tuple[type[Model], str, str]:
    """The model of the users' groups table, and its fields naming the user and the group."""
    groups = get_user_model()._meta.get_field("groups")
    assert isinstance(groups, ManyToManyField)
    membership = groups.remote_field.through
    assert membership is not None
    return membership, groups.m2m_field_name(), groups.m2m_reverse_field_name()


def forget_role(user: AnyUser) -> None:
    """Drop the cached role after a role change."""
    if hasattr(user, _ROLE_CACHE):
        delattr(user, _ROLE_CACHE)


def has_role(user: AnyUser | None, minimum: Role) -> bool:
    return RANK[role_of(user)] >= RANK[minimum]


def is_editor(user: AnyUser | None) -> bool:
    return has_role(user, Role.EDITOR)


def is_reviewer(user: AnyUser | None) -> bool:
    return has_role(user, Role.REVIEWER)


def is_admin(user: AnyUser | None) -> bool:
    return has_role(user, Role.ADMIN)


def is_author(user: AnyUser | None, claim: Claim) -> bool:
    return user is not None and user.is_authenticated and claim.author_id == user.pk


def can_view_claim(user: AnyUser | None, claim: Claim) -> bool:
    """Drafts: their author only. Later states: the desk. Published: everyone signed in (and
    the public, through the public page)."""
    if claim.status == Status.APPROVED:
        return True
    if claim.status == Status.DRAFT:
        return is_author(user, claim) and is_editor(user)
    return is_editor(user)


def can_create_claim(user: AnyUser | None) -> bool:
    return is_editor(user)


def can_edit_claim(user: AnyUser | None, claim: Claim) -> bool:
    return is_editor(user) and is_author(user, claim) and claim.status in EDITABLE_STATUSES


def can_delete_claim(user: AnyUser | None, claim: Claim) -> bool:
    return is_editor(user) and is_author(user, claim) and claim.status in DELETABLE_STATUSES


def can_review_claim(user: AnyUser | None, claim: Claim) -> bool:
    """Four eyes: a reviewer or admin, never the claim's author."""
    return is_reviewer(user) and not is_author(user, claim)


def can_take_action(user: AnyUser | None, claim: Claim, action: str) -> bool:
    """Whether `user` may take `action` on `claim` (the state check is workflow's)."""
    if action in AUTHOR_ACTIONS:
        return is_editor(user) and is_author(user, claim)
    if action in REVIEW_ACTIONS:
        return can_review_claim(user, claim)
    if action in ADMIN_ACTIONS:
        return is_admin(user)
    return False


def available_actions(user: AnyUser | None, claim: Claim) -> list[str]:
    """The transitions the workflow allows from the claim's state that `user` may take."""
    return [action for action in actions_from(claim.status) if can_take_action(user, claim, action)]


def refusal_reason(user: AnyUser | None, claim: Claim, action: str) -> str:
    """A sentence for the person refused, naming the rule they met."""
    if action in AUTHOR_ACTIONS:
        return "Only the claim's author can do that."
    if action in REVIEW_ACTIONS:
        if is_author(user, claim):
            return "Nobody reviews their own claim: another reviewer must decide it."
        return "Only reviewers and admins can review claims."
    if action == Action.REOPEN:
        return "Only admins can reopen a published claim."
    return "You may not do that."


def can_import_articles(user: AnyUser | None) -> bool:
    return is_admin(user)


def can_manage_verdicts(user: AnyUser | None) -> bool:
    return is_admin(user)


def can_see_unpublished(user: AnyUser | None) -> bool:
    """Exports of claims that are not published yet are for reviewers and admins."""
    return is_reviewer(user)
