"""API clients that sign in the way real callers do: a token from /api/auth/token/, or a
browser session with its CSRF cookie sent back as X-CSRFToken."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.factories import TEST_PASSWORD


class Api:
    """A signed-in client whose calls send and expect JSON."""

    def __init__(self, client: APIClient) -> None:
        self.client = client

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(path, params or {})

    def post(self, path: str, body: Any = None) -> Any:
        return self.client.post(path, body if body is not None else {}, format="json")

    def patch(self, path: str, body: Any) -> Any:
        return self.client.patch(path, body, format="json")

    def delete(self, path: str, body: Any = None) -> Any:
        if body is None:
            return self.client.delete(path)
        return self.client.delete(path, body, format="json")


def token_client(user: Any) -> Api:
    client = APIClient()
    answer = client.post(
        "/api/auth/token/", {"username": user.username, "password": TEST_PASSWORD}, format="json"
    )
    assert answer.status_code == 200, answer.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {answer.json()['token']}")
    return Api(client)


def session_client(user: Any) -> Api:
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username=user.username, password=TEST_PASSWORD)
    client.get("/login/")
    client.credentials(HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    return Api(client)


@pytest.fixture
def api() -> Callable[..., Api]:
    """api(user) signs in by token; api(user, session=True) by session with CSRF."""

    def sign_in(user: Any, *, session: bool = False) -> Api:
        return session_client(user) if session else token_client(user)

    return sign_in


def error_of(answer: Any) -> dict[str, Any]:
    """The error document of an answer, checked for the shape every error shares."""
    body = answer.json()
    assert set(body) == {"error"}, body
    error: dict[str, Any] = body["error"]
    assert error["status"] == answer.status_code
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    return error
