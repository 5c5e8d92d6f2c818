"""Token authentication (annotations.api.authentication): DRF's answers, with the user and
the user's role read in one query."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotations import permissions
from annotations.roles import Role
from tests.api.conftest import error_of
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def client_with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_the_token_gives_its_user_and_their_highest_role_in_one_query() -> None:
    nobody = make_user(None, "nobody")
    editor = make_user(Role.EDITOR, "ed")
    admin = make_user(Role.ADMIN, "adm")
    both = make_user(Role.EDITOR, "both")
    both.groups.add(Group.objects.get(name=Role.REVIEWER))
    both.groups.add(Group.objects.create(name="newsletter"))  # not a role: ignored
    root = make_user(None, "root")
    root.is_superuser = True
    root.save()
    expected = {nobody: None, editor: Role.EDITOR, admin: Role.ADMIN, both: Role.REVIEWER}
    expected[root] = Role.ADMIN
    for user, role in expected.items():
        key = Token.objects.create(user=user).key
        with CaptureQueriesContext(connection) as captured:
            found = permissions.user_by_token(key)
            assert found is not None
            assert permissions.role_of(found) == role, user.username
        assert len(captured.captured_queries) == 1, user.username
        # The whole user, as the ORM reads it (datetimes converted on SQLite too).
        assert found.pk == user.pk
        assert found.username == user.username
        assert found.date_joined == user.date_joined
        assert not hasattr(found, "_factcheck_group")
        # The same role as read the other way, from the groups.
        assert permissions.group_role(user) == (None if user is root else role)


def near_misses(key: str) -> list[str]:
    return ["0" * 40, key.upper(), key[:-1], key + "0", "x", "x';DROP--"]


def test_only_the_exact_key_finds_its_user() -> None:
    editor = make_user(Role.EDITOR, "ed")
    key = Token.objects.create(user=editor).key
    found = permissions.user_by_token(key)
    assert found is not None and found.pk == editor.pk
    for other in near_misses(key):
        assert permissions.user_by_token(other) is None, other


def test_requests_with_a_key_that_is_not_a_token_are_refused_with_401() -> None:
    editor = make_user(Role.EDITOR, "ed")
    key = Token.objects.create(user=editor).key
    assert client_with(key).get("/api/verdicts/").status_code == 200
    for other in near_misses(key):
        answer = client_with(other).get("/api/verdicts/")
        assert answer.status_code == 401, other
        assert error_of(answer)["message"] == "Invalid token."
        assert answer["WWW-Authenticate"] == "Token"


def test_the_token_of_a_deleted_user_is_gone_with_them() -> None:
    editor = make_user(Role.EDITOR, "ed")
    key = Token.objects.create(user=editor).key
    editor.delete()
    answer = client_with(key).get("/api/verdicts/")
    assert answer.status_code == 401
    assert error_of(answer)["message"] == "Invalid token."


def test_the_token_of_a_deactivated_user_is_refused_with_401() -> None:
    editor = make_user(Role.EDITOR, "ed")
    key = Token.objects.create(user=editor).key
    assert client_with(key).get("/api/verdicts/").status_code == 200
    editor.is_active = False
    editor.save()
    answer = client_with(key).get("/api/verdicts/")
    assert answer.status_code == 401
    assert error_of(answer)["message"] == "User inactive or deleted."


def test_the_role_read_with_the_token_decides_what_the_request_may_do() -> None:
    """No role: may read, may not create. Editor: may create. The role comes from the
    token's query; a change of groups shows on the next request."""
    user = make_user(None, "someone")
    key = Token.objects.create(user=user).key
    client = client_with(key)
    payload = {"article": 1, "start": 0, "end": 1}
    refused = client.post("/api/claims/", payload, format="json")
    assert refused.status_code == 403, refused.content
    user.groups.add(Group.objects.get(name=Role.EDITOR))
    # Past the role check: the article does not exist, which is the editor's 400.
    allowed = client.post("/api/claims/", payload, format="json")
    assert allowed.status_code == 400, allowed.content
    assert "article" in error_of(allowed)["fields"]


def test_request_auth_is_the_token() -> None:
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from annotations.api.authentication import TokenAuthentication

    editor = make_user(Role.EDITOR, "ed")
    token = Token.objects.create(user=editor)
    request = Request(
        APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Token {token.key}"),
        authenticators=[TokenAuthentication()],
    )
    assert request.user.pk == editor.pk
    assert isinstance(request.auth, Token)
    assert request.auth.key == token.key
    assert request.auth.user_id == editor.pk
    with CaptureQueriesContext(connection) as captured:
        assert request.auth.user is request.user
    assert captured.captured_queries == []
    assert request.auth.created == token.created
