"""Headers, sign-in throttling, client addresses, request limits, and no self-registration."""

from __future__ import annotations

import io

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.exceptions import ParseError

from annotations.api.parsers import MAX_DEPTH, StrictJSONParser
from factcheck.client_ip import client_ip
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_pages_carry_an_enforced_content_security_policy(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "Content-Security-Policy-Report-Only" not in response
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@override_settings(SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True)
def test_cookies_are_secure_when_served_over_https(editor):
    client = Client(enforce_csrf_checks=False)
    response = client.post(reverse("login"), {"username": "ed", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.cookies["sessionid"]["secure"] is True
    assert response.cookies["sessionid"]["httponly"] is True


def _sign_in(client, username, password, ip="198.51.100.7"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_an_account_is_locked_after_repeated_failures_from_anywhere(editor, client):
    for number in range(3):
        response = _sign_in(client, "ed", "wrong", ip=f"203.0.113.{number}")
        assert response.status_code in (200, 429)
    locked = _sign_in(client, "ed", TEST_PASSWORD, ip="203.0.113.99")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_a_client_is_locked_after_failures_on_many_accounts(editor, editor2, client):
    for name in ("nobody1", "nobody2", "nobody3"):
        _sign_in(client, name, "guess", ip="198.51.100.20")
    assert _sign_in(client, "ed2", TEST_PASSWORD, ip="198.51.100.20").status_code == 429
    # Another client signs in to the same account normally.
    assert _sign_in(Client(), "ed2", TEST_PASSWORD, ip="198.51.100.21").status_code == 302


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_a_success_before_the_limit_resets_the_count(editor, client):
    _sign_in(client, "ed", "wrong")
    _sign_in(client, "ed", "wrong")
    assert _sign_in(client, "ed", TEST_PASSWORD).status_code == 302
    client.logout()
    _sign_in(client, "ed", "wrong")
    assert _sign_in(client, "ed", TEST_PASSWORD).status_code == 302


class _Request:
    def __init__(self, remote: str, forwarded: str | None = None) -> None:
        self.META = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.2.3.4", "10.0.0.1"),  # no proxy trusted: a client cannot choose its address
        (1, "6.6.6.6, 198.51.100.9", "198.51.100.9"),  # the proxy appended the real client
        (2, "6.6.6.6, 198.51.100.9, 10.0.0.2", "198.51.100.9"),
        (3, "198.51.100.9", "198.51.100.9"),  # fewer hops than proxies: the leftmost
        (1, " , ", "10.0.0.1"),
        (1, None, "10.0.0.1"),
    ],
)
def test_client_address_trusts_only_the_configured_proxies(settings, proxies, forwarded, expected):
    settings.FACTCHECK_TRUSTED_PROXY_COUNT = proxies
    assert client_ip(_Request("10.0.0.1", forwarded)) == expected  # type: ignore[arg-type]


def test_an_oversized_body_is_refused_with_413_before_it_is_read(client, settings):
    settings.FACTCHECK_MAX_REQUEST_BYTES = 2048
    response = client.post("/api/claims/", data="x" * 4096, content_type="application/json")
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["status"] == 413 and "limit is 2,048 bytes" in error["message"]
    page = client.post(reverse("login"), data="y" * 4096, content_type="text/plain")
    assert page.status_code == 413


def test_a_malformed_content_length_is_a_400(client):
    response = client.generic("POST", "/api/claims/", b"{}", CONTENT_LENGTH="lots")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "nested deeper"),
        ("[" * 100000, "nested deeper"),
        ('{"a": NaN}', "NaN is not valid JSON"),
        ('{"a": 1,}', "Malformed JSON"),
        ("", "Malformed JSON"),
    ],
)
def test_the_json_parser_refuses_what_it_cannot_trust(body, message):
    with pytest.raises(ParseError, match=message):
        StrictJSONParser().parse(io.BytesIO(body.encode()))


def test_the_json_parser_ignores_brackets_inside_strings():
    deep_looking = {"text": "[" * 100 + '\\" {' * 50}
    import json

    assert StrictJSONParser().parse(io.BytesIO(json.dumps(deep_looking).encode())) == deep_looking


def test_the_json_parser_refuses_undecodable_bytes():
    with pytest.raises(ParseError, match="not UTF-8"):
        StrictJSONParser().parse(io.BytesIO(b'{"a": "\xff"}'))


@pytest.mark.parametrize(
    "path", ["/signup/", "/register/", "/accounts/signup/", "/accounts/register/", "/api/users/"]
)
def test_there_is_no_self_registration(client, path):
    assert client.get(path).status_code == 404
    assert client.post(path, {"username": "x", "password1": "y", "password2": "y"}).status_code in (
        403,
        404,
    )


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_a_lockout_says_when_to_try_again(editor, client):
    """The 429 carries Retry-After (the cool-off, in seconds), on the sign-in page and for
    the API's token, where it is the API's error shape."""
    from django.conf import settings

    for _ in range(3):
        _sign_in(client, "ed", "wrong")
    cooloff = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    page = _sign_in(client, "ed", TEST_PASSWORD)
    assert page.status_code == 429
    assert page["Retry-After"] == cooloff
    api = Client().post(
        "/api/auth/token/",
        {"username": "ed", "password": TEST_PASSWORD},
        content_type="application/json",
        REMOTE_ADDR="198.51.100.7",
    )
    assert api.status_code == 429, api.content
    assert api["Retry-After"] == cooloff
    assert api.json()["error"]["code"] == "throttled"
