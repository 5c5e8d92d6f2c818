"""GET /api/export/: who may export what, bad parameters, and the streamed answer."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from annotations.roles import Role
from tests.export.conftest import Desk
from tests.factories import make_user

pytestmark = pytest.mark.django_db
URL = "/api/export/"


def client_for(username: str) -> Client:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def body(response: Any) -> Any:
    return json.loads(b"".join(response.streaming_content))


def test_anonymous_visitor_cannot_use_the_export_api(desk: Desk) -> None:
    response = Client().get(URL)
    assert response.status_code in (401, 403)


def test_editor_exports_published_claims_by_default(desk: Desk) -> None:
    response = client_for("ed").get(URL)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        'attachment; filename="factcheck-native-approved.json"'
    )
    assert [c["id"] for c in body(response)["claims"]] == [c.pk for c in desk.approved()]


@pytest.mark.parametrize("status", ["draft", "submitted", "all", "approved,rejected"])
def test_editor_cannot_export_unpublished_claims(desk: Desk, status: str) -> None:
    response = client_for("ed").get(URL, {"status": status})
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["status"] == 403
    assert error["code"] == "permission_denied"
    assert "not published" in error["message"]
    assert "fields" not in error


def test_signed_in_user_without_role_gets_only_published_claims(desk: Desk) -> None:
    make_user(None, "reader")
    assert client_for("reader").get(URL, {"status": "submitted"}).status_code == 403
    assert client_for("reader").get(URL).status_code == 200


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.ADMIN])
def test_reviewers_and_admins_export_any_status(desk: Desk, role: Role) -> None:
    make_user(role, "someone")
    response = client_for("someone").get(URL, {"status": "all", "format": "webannotation"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    # Every claim but the editor's draft: a draft is its author's alone, in exports too.
    assert body(response)["total"] == 5


def test_status_list_selects_those_states(desk: Desk) -> None:
    response = client_for("rev").get(URL, {"status": "submitted,rejected"})
    assert sorted(c["status"] for c in body(response)["claims"]) == ["rejected", "submitted"]


def test_article_filter_limits_the_export(desk: Desk) -> None:
    article = desk.articles[1]
    response = client_for("ed").get(URL, {"format": "claimreview", "article": str(article.pk)})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    assert response["Content-Disposition"] == (
        f'attachment; filename="factcheck-claimreview-approved-article-{article.pk}.jsonld"'
    )
    assert [r["url"] for r in body(response)] == [
        f"https://desk.example.org/claims/{desk.claims[2].pk}/"
    ]


@pytest.mark.parametrize(
    ("params", "field", "says"),
    [
        ({"format": "csv"}, "format", "Unknown format 'csv': use one of native, claimreview"),
        ({"status": "published"}, "status", "Unknown status 'published': use all or one or more"),
        ({"status": "approved,nonsense"}, "status", "Unknown status 'nonsense'"),
        ({"article": "first"}, "article", "article must be an article id, not 'first'."),
        ({"article": "999999"}, "article", "There is no article #999999."),
        ({"articles": "1"}, "articles", "This endpoint takes: article, format, status."),
    ],
)
def test_bad_parameters_are_refused_in_the_error_shape(
    desk: Desk, params: dict[str, str], field: str, says: str
) -> None:
    response = client_for("rev").get(URL, params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == 400
    # The API's one error shape: each field maps to a list of sentences, here the reason.
    assert error["code"] == "invalid"
    assert error["message"] == f"Invalid input: {field}."
    assert list(error["fields"]) == [field]
    [sentence] = error["fields"][field]
    assert says in sentence


def test_token_authentication_works_for_scripts(desk: Desk) -> None:
    from django.contrib.auth import get_user_model

    token = Token.objects.create(user=get_user_model().objects.get(username="rev"))
    response = Client().get(URL, {"status": "all"}, headers={"Authorization": f"Token {token.key}"})
    assert response.status_code == 200
    assert len(body(response)["claims"]) == 5
