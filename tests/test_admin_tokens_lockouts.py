"""API tokens and sign-in lockouts in the admin, as the admin role (not a superuser) uses
them: a leaked token is deleted on the Tokens page, a new password revokes the token, and a
locked-out account is seen and let in again."""

from __future__ import annotations

import os
from io import StringIO
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotations.services.users import user_set_password
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

User = get_user_model()
NEW_PASSWORD = "a-fresh-passphrase-for-2025"
TOKENS = reverse("admin:authtoken_tokenproxy_changelist")
LOCKOUTS = reverse("admin:axes_accessattempt_changelist")
FAILURES = reverse("admin:axes_accessfailurelog_changelist")


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api_status(key: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return int(client.get("/api/verdicts/").status_code)


def _messages(response: Any) -> str:
    return "\n".join(str(message) for message in get_messages(response.wsgi_request))


# --- Tokens ----------------------------------------------------------------------------------


def test_an_admin_deletes_a_leaked_token_on_the_tokens_page(admin_user: Any, editor: Any) -> None:
    key = Token.objects.create(user=editor).key
    assert _api_status(key) == 200
    client = _signed_in(admin_user)
    listing = client.get(TOKENS)
    assert listing.status_code == 200
    assert editor.username in listing.content.decode()
    # Django's admin addresses a token by its user (DRF's TokenAdmin).
    delete = reverse("admin:authtoken_tokenproxy_delete", args=[editor.pk])
    assert client.get(delete).status_code == 200
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Token.objects.filter(user=editor).exists()
    assert _api_status(key) == 401


def test_reviewers_and_editors_cannot_see_tokens(reviewer: Any, editor: Any) -> None:
    Token.objects.create(user=editor)
    assert _signed_in(reviewer).get(TOKENS).status_code == 403
    assert _signed_in(editor).get(TOKENS).status_code == 302  # no staff rights: sign-in page


def test_a_password_set_by_an_admin_revokes_the_token(admin_user: Any, editor: Any) -> None:
    key = Token.objects.create(user=editor).key
    client = _signed_in(admin_user)
    url = reverse("admin:auth_user_password_change", args=[editor.pk])
    response = client.post(
        url, {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert User.objects.get(pk=editor.pk).check_password(NEW_PASSWORD)
    assert _api_status(key) == 401
    # The user trades the new password for a new token.
    answer = APIClient().post(
        "/api/auth/token/", {"username": "ed", "password": NEW_PASSWORD}, format="json"
    )
    assert answer.status_code == 200 and answer.json()["token"] != key


def test_password_sign_in_turned_off_by_an_admin_revokes_the_token(
    admin_user: Any, editor: Any
) -> None:
    key = Token.objects.create(user=editor).key
    client = _signed_in(admin_user)
    url = reverse("admin:auth_user_password_change", args=[editor.pk])
    response = client.post(url, {"usable_password": "false", "unset-password": "1"})
    assert response.status_code == 302
    assert not User.objects.get(pk=editor.pk).has_usable_password()
    assert _api_status(key) == 401


def test_changing_ones_own_password_in_the_admin_revokes_ones_token(reviewer: Any) -> None:
    key = Token.objects.create(user=reviewer).key
    client = _signed_in(reviewer)
    page = reverse("admin:password_change")
    assert client.get(page).status_code == 200
    response = client.post(
        page,
        {
            "old_password": TEST_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:password_change_done")
    assert User.objects.get(pk=reviewer.pk).check_password(NEW_PASSWORD)
    assert _api_status(key) == 401
    # The session that changed the password stays signed in.
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_wrong_old_password_changes_nothing(reviewer: Any) -> None:
    key = Token.objects.create(user=reviewer).key
    client = _signed_in(reviewer)
    response = client.post(
        reverse("admin:password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert User.objects.get(pk=reviewer.pk).check_password(TEST_PASSWORD)
    assert _api_status(key) == 200


def test_a_password_set_with_create_user_revokes_the_token(
    editor: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = Token.objects.create(user=editor).key
    monkeypatch.setitem(os.environ, "FACTCHECK_PASSWORD", NEW_PASSWORD)
    call_command("create_user", "ed", role="editor", stdout=StringIO())
    assert User.objects.get(pk=editor.pk).check_password(NEW_PASSWORD)
    assert _api_status(key) == 401


def test_a_refused_password_keeps_the_old_one_and_the_token(editor: Any) -> None:
    key = Token.objects.create(user=editor).key
    with pytest.raises(ValidationError):
        user_set_password(user=editor, password="123")
    assert User.objects.get(pk=editor.pk).check_password(TEST_PASSWORD)
    assert _api_status(key) == 200


# --- Sign-in lockouts ------------------------------------------------------------------------

LOCKED_IP = "203.0.113.5"


def _sign_in(client: Client, username: str, password: str, ip: str = LOCKED_IP) -> int:
    answer = client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )
    return int(answer.status_code)


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_an_admin_sees_a_lockout_and_clears_it(admin_user: Any, editor: Any) -> None:
    for _ in range(3):
        _sign_in(Client(), "ed", "wrong")
    assert _sign_in(Client(), "ed", TEST_PASSWORD) == 429

    admin = _signed_in(admin_user)
    locked = admin.get(LOCKOUTS, {"locked_out": "yes"})
    assert locked.status_code == 200
    assert [a.username for a in locked.context["cl"].result_list] == ["ed"]
    # The log of single failures is empty unless AXES_ENABLE_ACCESS_FAILURE_LOG is on.
    assert admin.get(FAILURES).status_code == 200

    attempt = AccessAttempt.objects.get(username="ed")
    response = admin.post(
        LOCKOUTS,
        {"action": "clear_lockout", "index": "0", ACTION_CHECKBOX_NAME: [attempt.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Lockout cleared" in _messages(response)
    assert not AccessAttempt.objects.exists()
    assert _sign_in(Client(), "ed", TEST_PASSWORD) == 302


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_clearing_a_lockout_lets_the_locked_client_in_again(
    admin_user: Any, editor: Any, editor2: Any
) -> None:
    """A client locked for failing on several accounts is let in by clearing any of its rows."""
    for name in ("nobody1", "nobody2", "nobody3"):
        _sign_in(Client(), name, "guess")
    assert _sign_in(Client(), "ed2", TEST_PASSWORD) == 429
    admin = _signed_in(admin_user)
    one = AccessAttempt.objects.filter(username="nobody1").get()
    admin.post(LOCKOUTS, {"action": "clear_lockout", "index": "0", ACTION_CHECKBOX_NAME: [one.pk]})
    assert _sign_in(Client(), "ed2", TEST_PASSWORD) == 302


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_an_admin_may_also_delete_a_lockout_row(admin_user: Any, editor: Any) -> None:
    for _ in range(3):
        _sign_in(Client(), "ed", "wrong")
    attempt = AccessAttempt.objects.get(username="ed")
    admin = _signed_in(admin_user)
    delete = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert admin.post(delete, {"post": "yes"}).status_code == 302
    assert _sign_in(Client(), "ed", TEST_PASSWORD) == 302


def test_reviewers_cannot_see_or_clear_lockouts(reviewer: Any) -> None:
    client = _signed_in(reviewer)
    assert client.get(LOCKOUTS).status_code == 403
    assert client.get(FAILURES).status_code == 403
    assert client.get(reverse("admin:axes_accesslog_changelist")).status_code == 403
