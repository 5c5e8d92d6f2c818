"""A user's role, read from their groups: one query in SQL, or none when the groups are
prefetched (annotations.permissions.group_role)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations import permissions
from annotations.roles import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_the_role_is_the_highest_of_the_users_groups() -> None:
    nobody = make_user(None, "nobody")
    editor = make_user(Role.EDITOR, "ed")
    reviewer = make_user(Role.REVIEWER, "rev")
    admin = make_user(Role.ADMIN, "adm")
    both = make_user(Role.EDITOR, "both")
    both.groups.add(Group.objects.get(name=Role.REVIEWER))
    both.groups.add(Group.objects.create(name="newsletter"))  # not a role: ignored
    expected = {
        nobody: None,
        editor: Role.EDITOR,
        reviewer: Role.REVIEWER,
        admin: Role.ADMIN,
        both: Role.REVIEWER,
    }
    for user, role in expected.items():
        fresh = get_user_model().objects.get(pk=user.pk)
        with CaptureQueriesContext(connection) as captured:
            assert permissions.group_role(fresh) == role, user.username
        assert len(captured.captured_queries) == 1


def test_prefetched_groups_serve_the_role_without_a_query() -> None:
    make_user(Role.REVIEWER, "rev")
    make_user(Role.EDITOR, "ed")
    users = list(get_user_model().objects.prefetch_related("groups").order_by("username"))
    with CaptureQueriesContext(connection) as captured:
        roles = [permissions.group_role(user) for user in users]
    assert roles == [Role.EDITOR, Role.REVIEWER]
    assert not captured.captured_queries


def test_a_user_not_yet_saved_has_no_role() -> None:
    assert permissions.group_role(get_user_model()(username="draft")) is None


def test_a_role_taken_away_is_gone_on_the_next_request() -> None:
    """Each request reads its user afresh, and the role with it: nothing outlives it."""
    reviewer = make_user(Role.REVIEWER, "rev")
    this_request = get_user_model().objects.get(pk=reviewer.pk)
    assert permissions.is_reviewer(this_request)
    reviewer.groups.clear()
    assert permissions.is_reviewer(this_request)  # kept for the rest of this request
    next_request = get_user_model().objects.get(pk=reviewer.pk)
    assert permissions.group_role(next_request) is None
    assert not permissions.is_reviewer(next_request)
