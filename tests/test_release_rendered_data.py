"""An API answer lets go of the data it was rendered from once rendered, and leaves DRF's
reference cycles, so a large answer is freed when it is sent instead of at Python's next full
garbage collection (factcheck.middleware.ReleaseRenderedDataMiddleware)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest
from django.test import Client, RequestFactory
from django.test.client import ClientHandler
from rest_framework.authtoken.models import Token

from annotations.api import articles
from tests.factories import make_claim

pytestmark = pytest.mark.django_db


class TrackedList(list):  # type: ignore[type-arg]
    """A list that can be watched with a weak reference."""


@pytest.fixture
def no_garbage_collection() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def test_an_answer_s_data_is_freed_once_sent_without_garbage_collection(
    editor, monkeypatch, no_garbage_collection
):  # type: ignore[no-untyped-def]
    claim = make_claim(author=editor)
    watched: list[weakref.ref[TrackedList]] = []
    build = articles.claim_dicts

    def tracked_claim_dicts(claims):  # type: ignore[no-untyped-def]
        rows = TrackedList(build(claims))
        watched.append(weakref.ref(rows))
        return rows

    monkeypatch.setattr(articles, "claim_dicts", tracked_claim_dicts)
    token = Token.objects.create(user=editor)
    response = Client().get(
        f"/api/articles/{claim.article_id}/annotations/",
        headers={"Authorization": f"Token {token.key}"},
    )
    assert response.status_code == 200
    assert [c["id"] for c in response.json()["claims"]] == [claim.pk]
    [claims] = watched
    # Still held by the answer, or by DRF's view-response cycle until a full collection,
    # the claims would be alive here.
    assert claims() is None
    assert response.data is None


def test_an_answer_leaves_drf_s_cycles_once_sent(editor, no_garbage_collection):  # type: ignore[no-untyped-def]
    # Django's request handler as the test client runs it (keeping the test's database
    # connection), without the client, which adds cycles of its own to the answer.
    claim = make_claim(author=editor)
    token = Token.objects.create(user=editor)
    environ = RequestFactory()._base_environ(  # type: ignore[attr-defined]
        PATH_INFO=f"/api/articles/{claim.article_id}/annotations/",
        REQUEST_METHOD="GET",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    answer = ClientHandler()(environ)
    assert answer.status_code == 200
    assert b'"claims":[{"id":' in answer.content
    watched = weakref.ref(answer)
    del answer
    assert watched() is None
