"""The article list and the article page, through Django's test client on the real database."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.roles import Role
from tests.factories import ArticleFactory, make_claim, make_user

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_data(response: Any) -> dict[str, Any]:
    match = re.search(
        r'<script id="page-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "the page carries its data in a json_script block"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


@pytest.mark.parametrize("name", ["article-list", "article-detail"])
def test_pages_send_the_signed_out_to_the_login_page(name: str, article: Any) -> None:
    url = reverse(name, args=[article.pk] if name == "article-detail" else [])
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_signs_in_and_goes_back_to_the_article(editor: Any, article: Any) -> None:
    client = Client()
    url = reverse("article-detail", args=[article.pk])
    form = client.get(f"{reverse('login')}?next={url}")
    assert b'name="username"' in form.content
    response = client.post(
        reverse("login"),
        {"username": "ed", "password": "correct-horse-battery-staple", "next": url},
    )
    assert response.status_code == 302 and response["Location"] == url
    refused = Client().post(reverse("login"), {"username": "ed", "password": "wrong"})
    assert refused.status_code == 200
    assert b"correct username and password" in refused.content


def test_article_list_counts_the_claims_each_user_may_see_by_status(
    editor: Any, editor2: Any
) -> None:
    article = ArticleFactory(title="Council approves budget")
    make_claim(author=editor, article=article, quote="4.2 million euros")
    make_claim(author=editor2, article=article, quote="on Tuesday")  # someone else's draft
    make_claim(author=editor2, article=article, status="submitted")
    make_claim(author=editor2, article=article, quote="Critics noted", status="approved")

    content = signed_in(editor).get(reverse("article-list")).content.decode()
    assert "Council approves budget" in content
    counts = dict(re.findall(r'data-status="(\w+)">(\d+) ', content))
    assert counts == {"draft": "1", "submitted": "1", "approved": "1"}

    theirs = signed_in(editor2).get(reverse("article-list")).content.decode()
    assert dict(re.findall(r'data-status="(\w+)">(\d+) ', theirs))["draft"] == "1"


def test_article_list_searches_titles(editor: Any) -> None:
    ArticleFactory(title="Council approves budget")
    ArticleFactory(title="Минздрав сообщил о росте")
    client = signed_in(editor)
    found = client.get(reverse("article-list"), {"q": "Минздрав"}).content.decode()
    assert "Минздрав сообщил о росте" in found and "Council approves" not in found
    # SQLite folds the case of ASCII letters only; PostgreSQL folds every script.
    found = client.get(reverse("article-list"), {"q": "COUNCIL"}).content.decode()
    assert "Council approves budget" in found and "Минздрав" not in found
    none = client.get(reverse("article-list"), {"q": "<script>"}).content.decode()
    assert "No article title contains “&lt;script&gt;”." in none


def test_article_page_carries_the_text_and_only_the_claims_the_user_may_see(
    editor: Any, editor2: Any
) -> None:
    article = ArticleFactory(
        body="Fans 🎉 cheered. <b>Bold</b> & the mayor said unemployment had fallen by half since 2020.\n"
    )
    own_draft = make_claim(author=editor, article=article)
    make_claim(author=editor2, article=article, quote="cheered")
    submitted = make_claim(author=editor2, article=article, quote="Fans 🎉", status="submitted")

    response = signed_in(editor).get(reverse("article-detail", args=[article.pk]))
    assert response.status_code == 200
    data = page_data(response)
    # The text is in #article-text only (checked below); the data names the article.
    assert data["article"] == {"id": article.pk}
    by_id = {claim["id"]: claim for claim in data["claims"]}
    assert list(by_id) == [submitted.pk, own_draft.pk]  # document order, no foreign draft
    assert by_id[own_draft.pk]["can_edit"] and by_id[own_draft.pk]["can_delete"]
    assert not by_id[submitted.pk]["can_edit"] and not by_id[submitted.pk]["can_delete"]
    assert by_id[submitted.pk]["quote"] == "Fans 🎉"
    assert by_id[own_draft.pk]["sources"][0]["url"] == "https://stats.example.org/unemployment"
    assert [v["slug"] for v in data["verdicts"]][:2] == ["true", "mostly-true"]
    # The text container holds the body, escaped, with nothing added around it.
    html = response.content.decode()
    assert (
        '<div id="article-text" class="article-text" tabindex="0" aria-label="Article text" '
        'lang="en">Fans 🎉 cheered. &lt;b&gt;Bold&lt;/b&gt; &amp; the mayor' in html
    )


def test_article_page_has_no_inline_script_or_style_and_sends_the_policy(
    editor: Any, article: Any
) -> None:
    response = signed_in(editor).get(reverse("article-detail", args=[article.pk]))
    html = response.content.decode()
    scripts = re.findall(r"<script\b([^>]*)>", html)
    assert scripts, "the page loads its module"
    for attributes in scripts:
        assert "src=" in attributes or 'type="application/json"' in attributes
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_readers_without_a_role_see_published_claims_and_no_claim_form(
    no_role_user: Any, editor: Any, article: Any
) -> None:
    make_claim(author=editor, article=article)
    published = make_claim(author=editor, article=article, quote="Critics noted", status="approved")
    response = signed_in(no_role_user).get(reverse("article-detail", args=[article.pk]))
    data = page_data(response)
    assert [claim["id"] for claim in data["claims"]] == [published.pk]
    assert data["can_create"] is False
    assert b'id="claim-form"' not in response.content


def test_missing_article_is_a_404(editor: Any) -> None:
    assert signed_in(editor).get("/articles/999999/").status_code == 404


def test_article_page_queries_do_not_grow_with_the_number_of_claims(
    editor: Any, editor2: Any
) -> None:
    def counted(number: int) -> int:
        article = ArticleFactory()
        for start in range(number):
            author = editor if start % 2 else editor2
            status = "submitted" if start % 3 else "draft"
            make_claim(
                author=author,
                article=article,
                quote=article.body[start : start + 5],
                status=status,
            )
        client = signed_in(editor)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("article-detail", args=[article.pk]))
        assert response.status_code == 200
        assert len(page_data(response)["claims"]) > number // 2
        return len(queries)

    few, many = counted(3), counted(60)
    assert few == many


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.ADMIN])
def test_reviewers_and_admins_see_the_desks_work_but_not_other_peoples_drafts(
    role: Role, editor: Any, article: Any
) -> None:
    make_claim(author=editor, article=article)
    submitted = make_claim(author=editor, article=article, quote="on Tuesday", status="submitted")
    changes = make_claim(
        author=editor, article=article, quote="Critics noted", status="changes_requested"
    )
    viewer = make_user(role, f"viewer-{role}")
    data = page_data(signed_in(viewer).get(reverse("article-detail", args=[article.pk])))
    assert sorted(claim["id"] for claim in data["claims"]) == sorted([submitted.pk, changes.pk])
    assert not any(claim["can_edit"] or claim["can_delete"] for claim in data["claims"])
    review = {claim["id"]: claim["can_review"] for claim in data["claims"]}
    assert review == {submitted.pk: True, changes.pk: False}
    assert data["can_create"] is True


def test_article_list_pages_through_many_articles_keeping_the_search(editor: Any) -> None:
    for number in range(55):
        ArticleFactory(title=f"Budget report {number:02d}")
    ArticleFactory(title="Unrelated")
    client = signed_in(editor)
    first = client.get(reverse("article-list"), {"q": "budget"}).content.decode()
    assert first.count("Budget report") == 50
    assert "Page 1 of 2" in first and 'href="?q=budget&amp;page=2"' in first
    second = client.get(reverse("article-list"), {"q": "budget", "page": "2"}).content.decode()
    assert second.count("Budget report") == 5 and "Unrelated" not in second
    beyond = client.get(reverse("article-list"), {"q": "budget", "page": "x"})
    assert beyond.status_code == 200
