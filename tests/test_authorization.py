"""Scoping across every list, and the write rate limit.

A draft belongs to its author alone: no list, export, page or admin screen shows it to anyone
else. API writes are rate-limited per user; reads are not.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from annotations.api.throttling import WriteRateThrottle
from annotations.roles import Role
from tests.api.conftest import error_of, token_client
from tests.factories import ArticleFactory, make_claim, make_user

pytestmark = pytest.mark.django_db

SECRET = "Draft-only wording 7f3a"


@pytest.fixture
def private_draft(editor: Any) -> Any:
    article = ArticleFactory()
    return make_claim(author=editor, article=article, claim_text=SECRET, rationale=SECRET)


def _text(answer: Any) -> str:
    if getattr(answer, "streaming", False):
        return b"".join(answer.streaming_content).decode()
    return str(answer.content.decode())


def _lists(article_id: int) -> list[str]:
    return [
        "/api/claims/",
        f"/api/claims/?article={article_id}",
        f"/api/articles/{article_id}/annotations/",
        "/api/export/",
        "/api/export/?format=claimreview",
        "/api/export/?format=webannotation",
        "/api/export/?status=draft",
    ]


def _pages(article_id: int) -> list[str]:
    return [
        "/",
        f"/articles/{article_id}/",
        "/review/",
        "/admin/annotations/claim/",
        f"/admin/annotations/claim/?q={SECRET[:10]}",
        "/admin/annotations/reviewevent/",
    ]


@pytest.mark.parametrize("role", [Role.EDITOR, Role.REVIEWER, Role.ADMIN, None])
def test_no_list_page_or_export_shows_another_users_draft(private_draft: Any, role: Any) -> None:
    someone = make_user(role, f"someone-{role or 'none'}")
    api = token_client(someone).client
    browser = Client()
    browser.force_login(someone)
    answers = [api.get(path) for path in _lists(private_draft.article_id)]
    answers += [browser.get(path) for path in _pages(private_draft.article_id)]
    for answer in answers:
        # 302: the admin sends those without staff rights to its sign-in page.
        assert answer.status_code in (200, 302, 403, 404), (answer.status_code, answer)
        assert SECRET not in _text(answer), answer.request["PATH_INFO"]


def test_the_author_does_see_the_draft_in_the_same_lists(private_draft: Any, editor: Any) -> None:
    # Without this the test above would pass on lists that show nothing at all.
    api = token_client(editor).client
    seen = [SECRET in _text(api.get(path)) for path in _lists(private_draft.article_id)[:3]]
    assert seen == [True, True, True]


@pytest.fixture
def three_writes_a_minute(monkeypatch: pytest.MonkeyPatch) -> Any:
    # The rate is read once into the class; the test settings raise it for the rest of the suite.
    monkeypatch.setattr(WriteRateThrottle, "THROTTLE_RATES", {"writes": "3/minute"})
    cache.clear()
    yield
    cache.clear()


def test_api_writes_beyond_the_rate_are_refused_with_429_and_reads_go_on(
    three_writes_a_minute: Any, editor: Any, editor2: Any
) -> None:
    draft = make_claim(author=editor)
    api = token_client(editor).client
    statuses = [
        api.post(f"/api/claims/{draft.pk}/submit/", {"version": 999}, format="json").status_code
        for _ in range(3)
    ]
    assert statuses == [409, 409, 409]  # refused writes count too: a guesser is still writing
    refused = api.post(f"/api/claims/{draft.pk}/submit/", {"version": 999}, format="json")
    assert refused.status_code == 429
    assert error_of(refused)["code"] == "throttled"
    assert int(refused["Retry-After"]) > 0
    assert api.get("/api/claims/").status_code == 200
    assert api.get(f"/api/claims/{draft.pk}/").status_code == 200
    # The limit is per user: another editor writes freely.
    other = token_client(editor2).client
    assert other.post("/api/claims/", {}, format="json").status_code == 400


# --- one rule, two forms ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "status", ["draft", "submitted", "changes_requested", "rejected", "approved"]
)
def test_who_may_see_a_claim_in_every_state(status: str) -> None:
    """Published claims: everyone. Drafts: their author (an editor or above) only. Every other
    state: the desk. The list and the single claim ask the same queryset rule."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import Http404

    from annotations import selectors
    from annotations.models import Claim

    author = make_user(Role.EDITOR, "writer")
    claim = make_claim(author=author, status=status)
    stranger = make_user(None, "nobody")
    desk = [make_user(role, f"other-{role.value}") for role in Role]
    expected: list[tuple[Any, bool]] = [
        (author, True),
        (AnonymousUser(), status == "approved"),
        (stranger, status == "approved"),
        *((person, status != "draft") for person in desk),
    ]
    for person, sees in expected:
        listed = Claim.objects.visible_to(person).filter(pk=claim.pk).exists()
        assert listed == sees, (person, status)
        try:
            selectors.claim_visible_to(person, claim.pk)
            found = True
        except Http404:
            found = False
        assert found == sees, (person, status)
