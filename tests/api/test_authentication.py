"""Token authentication (DRF's own): its answers, and the role it leads to."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from annotations import permissions
from annotations.roles import Role
from tests.api.conftest import error_of
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def client_with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_request_with_a_token_reads_the_user_and_their_highest_role() -> None:
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
        request = Request(
            APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Token {key}"),
            authenticators=[TokenAuthentication()],
        )
        with CaptureQueriesContext(connection) as captured:
            assert request.user.pk == user.pk
            assert permissions.role_of(request.user) == role, user.username
            # Asked again in the same request, the role is not read again.
            assert permissions.role_of(request.user) == role, user.username
        # The token with its user, then (but for a superuser) the user's groups.
        assert len(captured.captured_queries) == (1 if user is root else 2), user.username


def near_misses(key: str) -> list[str]:
    return ["0" * 40, key.upper(), key[:-1], key + "0", "x", "x';DROP--"]


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
