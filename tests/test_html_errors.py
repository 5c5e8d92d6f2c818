"""The desk's pages refuse a repeated query parameter with a 400 page that names it, and a
refusal (403) is a page of the desk that says why, not a bare status line."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("review-queue", "article=1&article=2"),
        ("review-queue", "page=1&page=2"),
        ("article-list", "q=port&q=mayor"),
        ("article-list", "page=1&page=2&q=a"),
    ],
)
def test_a_page_refuses_a_parameter_given_twice_naming_it(client, reviewer, page, query):  # type: ignore[no-untyped-def]
    client.force_login(reviewer)
    response = client.get(f"{reverse(page)}?{query}")
    assert response.status_code == 400
    repeated = query.split("=")[0]
    text = response.content.decode()
    assert f"{repeated}: Given more than once" in text
    assert '<header class="site-header">' in text


@pytest.mark.parametrize("page", ["review-queue", "article-list"])
def test_a_page_answers_one_value_each_as_before(client, reviewer, page):  # type: ignore[no-untyped-def]
    client.force_login(reviewer)
    assert client.get(f"{reverse(page)}?page=1").status_code == 200


def test_a_refusal_is_a_page_of_the_desk_saying_why(client, editor):  # type: ignore[no-untyped-def]
    client.force_login(editor)
    response = client.get(reverse("review-queue"))
    assert response.status_code == 403
    text = response.content.decode()
    assert "The review queue is for reviewers and admins." in text
    assert '<header class="site-header">' in text


def test_a_bad_request_from_django_itself_says_nothing_of_its_internals(client, settings):  # type: ignore[no-untyped-def]
    settings.ALLOWED_HOSTS = ["testserver"]
    response = client.get(reverse("login"), HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "evil.example" not in response.content.decode()
