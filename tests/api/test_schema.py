"""The OpenAPI schema is valid, its documentation page works offline, and the API, fuzzed
from its own schema, answers no request with a 500 and every answer as documented."""

from __future__ import annotations

import re

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from annotations.roles import Role
from tests.factories import ArticleFactory, make_claim, make_user

CONTRACT_PATHS = {
    "/api/auth/token/",
    "/api/articles/",
    "/api/articles/{id}/",
    "/api/articles/{id}/annotations/",
    "/api/claims/",
    "/api/claims/{id}/",
    "/api/claims/{id}/submit/",
    "/api/claims/{id}/approve/",
    "/api/claims/{id}/reject/",
    "/api/claims/{id}/request-changes/",
    "/api/claims/{id}/withdraw/",
    "/api/claims/{id}/reopen/",
    "/api/claims/{id}/history/",
    "/api/review-queue/next/",
    "/api/verdicts/",
}


@pytest.mark.django_db
def test_schema_is_valid_openapi_3_and_covers_the_contract(client):
    answer = client.get("/api/schema/", {"format": "json"})
    assert answer.status_code == 200
    schema = answer.json()
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) >= CONTRACT_PATHS
    claim = schema["components"]["schemas"]["ClaimOutput"]["properties"]
    assert {"id", "quote", "verdict", "sources", "status", "version", "author"} <= set(claim)
    # Nothing a write rests on can be sent in a claim's body.
    sent = schema["components"]["schemas"]["ClaimCreateInputRequest"]["properties"]
    assert not {"status", "author", "reviewer", "version"} & set(sent)


@pytest.mark.django_db
def test_docs_page_loads_every_asset_from_this_server(client):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, html
    for asset in assets:
        assert not asset.startswith(("http:", "https:", "//")), asset
        fetched = client.get(asset.replace("&amp;", "&"))
        assert fetched.status_code == 200, asset


@pytest.fixture
def fuzz_token(db):  # type: ignore[no-untyped-def]
    """An admin's real token, with claims in every state to find.

    Requests go straight to Django's WSGI handler, which closes the database connection when
    each request ends; Django's test client stops that, and so must we, or the test's
    transaction (and its data) would be gone after the first request.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    admin = make_user(Role.ADMIN, "fuzz-admin")
    editor = make_user(Role.EDITOR, "fuzz-editor")
    reviewer = make_user(Role.REVIEWER, "fuzz-reviewer")
    article = ArticleFactory()
    make_claim(author=admin, article=article)
    make_claim(author=editor, article=article, quote="The city council", status="submitted")
    make_claim(
        author=editor, article=article, quote="Critics noted", status="approved", reviewer=reviewer
    )
    make_claim(author=admin, status="changes_requested", reviewer=reviewer)
    yield Token.objects.create(user=admin).key
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Generating the schema reads no data, so it can be loaded when the tests are collected.
api_schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler()).exclude(
    path="/api/schema/"
)


@api_schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_fuzzed_requests_get_no_500_and_documented_answers(case, fuzz_token):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Token {fuzz_token}"}
    response = case.call(headers=headers)
    case.validate_response(
        response,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
        headers=headers,
    )
