"""Every error outside the API is a page of the desk that says what happened and where to go
next; a server error and a database that is away get one that asks nothing of the database."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory

from factcheck import errors
from factcheck.middleware import DatabaseUnavailableMiddleware

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_a_page_of_the_desk(client: Client, editor: Any) -> None:
    client.force_login(editor)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Error 404" in html and "Page not found" in html
    assert '<header class="site-header">' in html
    assert "Go to the articles" in html


def test_a_missing_page_offers_a_sign_in_to_someone_signed_out(client: Client) -> None:
    html = client.get("/no/such/page/").content.decode()
    assert "Sign in" in html


def test_a_refusal_says_why_and_who_can_help(client: Client, editor: Any) -> None:
    client.force_login(editor)
    response = client.get("/review/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Error 403" in html
    assert "ask an admin of the desk" in html


def test_a_server_error_page_reads_nothing_from_the_database(
    django_assert_num_queries: Any,
) -> None:
    request = RequestFactory().get("/articles/")
    with django_assert_num_queries(0):
        response = errors.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "annotations/site.css" in html
    assert "Go to the articles" in html


def test_a_server_error_under_the_api_stays_json() -> None:
    response = errors.server_error(RequestFactory().get("/api/claims/"))
    assert response["Content-Type"] == "application/json"


def test_a_database_that_is_away_is_a_styled_503_without_a_query(
    django_assert_num_queries: Any,
) -> None:
    request = RequestFactory().get("/articles/")
    middleware = DatabaseUnavailableMiddleware(lambda request: None)  # type: ignore[arg-type,return-value]
    with django_assert_num_queries(0):
        response = middleware.process_exception(request, OperationalError("connection refused"))
    assert response is not None and response.status_code == 503
    assert response["Retry-After"] == "5"
    html = response.content.decode()
    assert "The database is unavailable; try again shortly." in html
    assert "Error 503" in html


def test_a_view_that_fails_answers_the_static_page(client: Client, settings: Any) -> None:
    client.raise_request_exception = False
    settings.ROOT_URLCONF = "tests.failing_urls"
    response = client.get("/fails/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
