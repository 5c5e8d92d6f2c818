"""/api/articles/, /api/articles/{id}/annotations/, /api/verdicts/ and /api/auth/token/."""

from __future__ import annotations

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from annotations import services
from annotations.models import Article
from tests.api.conftest import error_of
from tests.factories import ARTICLE_BODY, TEST_PASSWORD, ArticleFactory, make_claim, verdict

pytestmark = pytest.mark.django_db

NEW_ARTICLE = {
    "title": "Port traffic doubles",
    "body": "The port handled twice as many ships in 2023 as in 2022.\n",
    "source_url": "https://news.example.org/port",
    "publisher": "Harbour News",
    "byline": "B. Writer",
    "published_on": "2024-01-15",
    "language": "en",
}


# --- articles -------------------------------------------------------------------------------


def test_list_is_paginated_and_has_no_body(api, editor):
    ArticleFactory.create_batch(3)
    answer = api(editor).get("/api/articles/", {"page_size": 2})
    assert answer.status_code == 200
    page = answer.json()
    assert page["count"] == 3
    assert len(page["results"]) == 2
    assert page["next"] is not None
    assert "body" not in page["results"][0]


def test_search_finds_articles_by_title_and_text(api, editor):
    ArticleFactory(title="Vote in the council")
    ArticleFactory(title="Port traffic", body="Container traffic in the port rose.\n")
    answer = api(editor).get("/api/articles/", {"search": "vote"})
    assert [a["title"] for a in answer.json()["results"]] == ["Vote in the council"]
    answer = api(editor).get("/api/articles/", {"search": "CONTAINER"})
    assert [a["title"] for a in answer.json()["results"]] == ["Port traffic"]


def test_search_with_a_nul_byte_is_a_400(api, editor):
    answer = api(editor).get("/api/articles/", {"search": "a\x00b"})
    assert answer.status_code == 400
    assert "search" in error_of(answer)["fields"]


def test_detail_has_the_body(api, editor, article):
    answer = api(editor).get(f"/api/articles/{article.pk}/")
    assert answer.status_code == 200
    assert answer.json()["body"] == article.body


def test_admin_imports_an_article_then_the_same_text_again(api, admin_user):
    client = api(admin_user)
    first = client.post("/api/articles/", NEW_ARTICLE)
    assert first.status_code == 201, first.content
    assert first.json()["body"] == NEW_ARTICLE["body"]
    assert first.json()["published_on"] == "2024-01-15"
    again = client.post("/api/articles/", {**NEW_ARTICLE, "title": "Other title"})
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Article.objects.count() == 1


def test_article_without_title_is_named_after_its_first_line(api, admin_user):
    answer = api(admin_user).post("/api/articles/", {"body": "Headline here\nThen the text.\n"})
    assert answer.status_code == 201, answer.content
    assert answer.json()["title"] == "Headline here"
    assert answer.json()["source_url"] == ""


def test_editor_cannot_import_articles(api, editor):
    answer = api(editor).post("/api/articles/", NEW_ARTICLE)
    assert answer.status_code == 403
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"body": "   "}, "body"),
        ({"body": None}, "body"),
        ({"source_url": "ftp://example.org/x"}, "source_url"),
        ({"published_on": "yesterday"}, "published_on"),
        ({"title": "t" * 501}, "title"),
        ({"imported_by": 1}, "imported_by"),
    ],
)
def test_bad_article_input_is_a_400_naming_the_field(api, admin_user, change, field):
    answer = api(admin_user).post("/api/articles/", {**NEW_ARTICLE, **change})
    assert answer.status_code == 400, answer.content
    assert field in error_of(answer)["fields"]
    assert not Article.objects.exists()


def test_different_text_from_the_same_source_url_is_its_next_revision(api, admin_user):
    client = api(admin_user)
    first = client.post("/api/articles/", NEW_ARTICLE)
    assert first.status_code == 201
    answer = client.post("/api/articles/", {**NEW_ARTICLE, "body": "Changed text.\n"})
    assert answer.status_code == 200
    assert answer.json()["id"] == first.json()["id"]
    assert answer.json()["body"] == "Changed text.\n"
    article = Article.objects.get()
    assert list(article.revisions.values_list("number", "kind")) == [(1, "api"), (2, "api")]


def test_annotations_give_article_and_visible_claims_in_document_order(
    api, editor, editor2, reviewer
):
    article = ArticleFactory()
    later = make_claim(author=editor, article=article, quote="Critics noted")
    earlier = make_claim(
        author=editor2, article=article, quote="The city council", status="submitted"
    )
    make_claim(author=editor2, article=article, quote="The mayor said")  # a draft of someone else
    answer = api(editor).get(f"/api/articles/{article.pk}/annotations/")
    assert answer.status_code == 200
    data = answer.json()
    assert data["article"]["body"] == article.body
    assert data["article"]["id"] == article.pk
    assert [c["id"] for c in data["claims"]] == [earlier.pk, later.pk]
    assert data["claims"][0]["author"] == "ed2"
    assert data["claims"][1]["sources"][0]["kind"] == "dataset"


def test_annotations_of_a_missing_article_is_a_404(api, editor):
    assert api(editor).get("/api/articles/424242/annotations/").status_code == 404


# The token with its user, the user's role, the article, its claims (with verdict, author,
# reviewer joined) and their sources: the same five queries however many claims there are.
ANNOTATIONS_QUERIES = 5


@pytest.mark.parametrize("claims", [2, 25])
def test_annotations_take_the_same_queries_for_any_number_of_claims(
    api, editor, django_assert_num_queries, claims
):
    article = ArticleFactory(body=ARTICLE_BODY * claims)
    starts = [article.body.index("The mayor", n * len(ARTICLE_BODY)) for n in range(claims)]
    for start in starts:
        services.claim_create(
            author=editor,
            article=article,
            start=start,
            end=start + len("The mayor"),
            verdict=verdict("false"),
            sources=[
                {"url": "https://stats.example.org/a"},
                {"url": "https://stats.example.org/b"},
            ],
        )
    client = api(editor)
    with django_assert_num_queries(ANNOTATIONS_QUERIES):
        answer = client.get(f"/api/articles/{article.pk}/annotations/")
    assert answer.status_code == 200
    assert [c["start"] for c in answer.json()["claims"]] == starts
    assert all(len(c["sources"]) == 2 for c in answer.json()["claims"])


# --- verdicts -------------------------------------------------------------------------------


def test_verdicts_list_the_scale_with_best_and_worst(api, no_role_user):
    answer = api(no_role_user).get("/api/verdicts/")
    assert answer.status_code == 200
    scale = answer.json()
    assert (scale["best_rating"], scale["worst_rating"]) == (5, 1)
    first = scale["results"][0]
    assert set(first) == {"label", "slug", "rating", "description", "colour", "order"}
    assert [v["slug"] for v in scale["results"]][-2:] == ["misleading", "unverifiable"]
    assert scale["results"][-1]["rating"] is None


def test_verdicts_are_read_only(api, admin_user):
    answer = api(admin_user).post("/api/verdicts/", {"label": "Pants on fire"})
    assert answer.status_code == 405
    error_of(answer)


# --- tokens ---------------------------------------------------------------------------------


def test_token_is_issued_for_good_credentials_and_is_stable(editor):
    client = APIClient()
    body = {"username": "ed", "password": TEST_PASSWORD}
    first = client.post("/api/auth/token/", body, format="json")
    second = client.post("/api/auth/token/", body, format="json")
    assert first.status_code == 200
    assert first.json()["token"] == second.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {first.json()['token']}")
    assert client.get("/api/claims/").status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"username": "ed", "password": "wrong"},
        {"username": "nobody", "password": TEST_PASSWORD},
        {"username": "ed"},
        {"username": "ed", "password": TEST_PASSWORD, "role": "admin"},
    ],
)
def test_token_is_refused_for_bad_credentials(editor, body):
    answer = APIClient().post("/api/auth/token/", body, format="json")
    assert answer.status_code == 400
    assert "token" not in answer.json()
    error_of(answer)


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_token_endpoint_locks_out_after_repeated_failures_even_for_the_right_password(editor):
    client = APIClient()
    wrong = {"username": "ed", "password": "guess"}
    answers = [client.post("/api/auth/token/", wrong, format="json") for _ in range(3)]
    # The failure that reaches the limit is the first one refused as a lockout.
    assert [a.status_code for a in answers] == [400, 400, 429]
    right = {"username": "ed", "password": TEST_PASSWORD}
    answer = client.post("/api/auth/token/", right, format="json")
    assert answer.status_code == 429
    assert error_of(answer)["code"] == "throttled"
    assert "token" not in answer.json()


def test_inactive_user_gets_no_token(editor):
    editor.is_active = False
    editor.save()
    answer = APIClient().post(
        "/api/auth/token/", {"username": "ed", "password": TEST_PASSWORD}, format="json"
    )
    assert answer.status_code == 400


# --- the rest of /api/ ----------------------------------------------------------------------


@pytest.mark.parametrize("session", [False, True])
def test_unknown_api_path_is_a_json_404_for_any_method(api, editor, session):
    client = api(editor, session=session)
    client.client.credentials()  # no CSRF header either: still a JSON 404, not a CSRF page
    for answer in (client.get("/api/no-such-thing/"), client.post("/api/claims/x1/submit/")):
        assert answer.status_code == 404
        assert error_of(answer)["code"] == "not_found"
