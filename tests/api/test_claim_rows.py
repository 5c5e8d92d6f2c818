"""claim_rows builds the claim shape from plain rows for speed; it must stay equal to
ClaimOutput, the serializer that documents the shape."""

from __future__ import annotations

import json
from datetime import date

import pytest

from annotations import services
from annotations.api.claim_rows import claim_dicts, claim_dicts_by_id, iso_datetime
from annotations.api.serializers import ClaimOutput
from annotations.models import Claim
from tests.factories import ARTICLE_BODY, ArticleFactory, make_claim

pytestmark = pytest.mark.django_db


def plain(value: object) -> object:
    return json.loads(json.dumps(value))


@pytest.fixture
def varied_claims(editor, reviewer):  # type: ignore[no-untyped-def]
    """Claims in several states: with and without verdict, reviewer, dates and sources."""
    article = ArticleFactory(body=ARTICLE_BODY * 3)
    approved = make_claim(author=editor, article=article, status="approved", reviewer=reviewer)
    draft = services.claim_create(
        author=editor,
        article=article,
        start=0,
        end=8,
        sources=[
            {
                "url": "https://stats.example.org/b",
                "accessed_on": date(2026, 3, 1),
                "archive_url": "https://archive.example.org/b",
                "passage": "Ünïcode passage",
                "kind": "official",
            },
            {"url": "https://stats.example.org/a"},
        ],
    )
    bare = services.claim_create(author=editor, article=article, start=20, end=30)
    return [approved, draft, bare]


def test_claim_dicts_equal_the_claim_serializer(varied_claims):
    claims = Claim.objects.filter(pk__in=[c.pk for c in varied_claims]).order_by("start", "id")
    assert plain(claim_dicts(claims)) == plain(ClaimOutput(claims, many=True).data)


def test_claim_dicts_keep_the_serializer_key_order(varied_claims):
    claims = Claim.objects.filter(pk=varied_claims[1].pk)
    assert list(claim_dicts(claims)[0]) == list(ClaimOutput(claims.get()).data)


def test_claim_dicts_by_id_follow_the_order_given_and_skip_missing_ids(varied_claims):
    ids = [varied_claims[2].pk, 987654, varied_claims[0].pk]
    assert [data["id"] for data in claim_dicts_by_id(ids)] == [ids[0], ids[2]]


def test_sources_come_in_their_stored_order(varied_claims):
    (data,) = claim_dicts(Claim.objects.filter(pk=varied_claims[1].pk))
    assert [s["url"] for s in data["sources"]] == [
        "https://stats.example.org/b",
        "https://stats.example.org/a",
    ]
    assert data["sources"][0]["accessed_on"] == "2026-03-01"


def test_no_claims_means_no_query_for_sources(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert claim_dicts(Claim.objects.filter(pk=-1)) == []


def test_iso_datetime_writes_utc_as_z_and_none_as_none():
    from datetime import UTC, datetime

    assert iso_datetime(datetime(2026, 1, 2, 3, 4, 5, 600000, tzinfo=UTC)) == (
        "2026-01-02T03:04:05.600000Z"
    )
    assert iso_datetime(None) is None
