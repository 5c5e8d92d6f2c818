"""claim_rows builds the claim shape from plain rows for speed; it must stay equal to
ClaimOutput, the serializer that documents the shape."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from annotations import services
from annotations.api.claim_rows import claim_dict, claim_dicts, claim_dicts_by_id, in_zone
from annotations.api.renderers import to_json
from annotations.api.serializers import ClaimOutput
from annotations.models import Claim
from tests.factories import ARTICLE_BODY, ArticleFactory, make_claim, verdict

pytestmark = pytest.mark.django_db


def plain(value: object) -> object:
    """What a client reads: the value as the API's renderer writes it."""
    return json.loads(to_json(value))


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


def test_claim_dicts_equal_the_claim_serializer_in_another_time_zone(varied_claims):
    claims = Claim.objects.filter(pk__in=[c.pk for c in varied_claims]).order_by("start", "id")
    with timezone.override(ZoneInfo("America/St_Johns")):
        written = plain(claim_dicts(claims))
        assert written == plain(ClaimOutput(claims, many=True).data)
    assert written[0]["created_at"].endswith("-02:30") or written[0]["created_at"].endswith(
        "-03:30"
    )


def test_claim_dict_equals_the_claim_serializer_key_for_key(varied_claims):
    for claim in varied_claims:
        read = Claim.objects.select_related("verdict", "author", "reviewer").get(pk=claim.pk)
        assert list(claim_dict(read)) == list(ClaimOutput(read).data)
        assert plain(claim_dict(read)) == plain(ClaimOutput(read).data)
        with timezone.override(ZoneInfo("Asia/Kathmandu")):
            assert plain(claim_dict(read)) == plain(ClaimOutput(read).data)
            assert plain(claim_dict(read))["created_at"].endswith("+05:45")  # type: ignore[index]


@pytest.mark.parametrize("submit", [False, True])
def test_claim_dict_of_a_claim_just_created_reads_nothing_more(
    editor, django_assert_num_queries, submit
):
    """Created as a draft, or sent to review at once (which re-reads the claim under its
    lock): the sources just written are kept either way."""
    claim = services.claim_create(
        author=editor,
        article=ArticleFactory(),
        start=0,
        end=8,
        claimant="The mayor",
        verdict=verdict(),
        rationale="Official statistics show a 12% fall.",
        sources=[{"url": "https://stats.example.org/a"}],
        submit=submit,
    )
    with django_assert_num_queries(0):
        data = claim_dict(claim)
    assert data["author"] == editor.username
    assert data["status"] == ("submitted" if submit else "draft")
    assert [source["url"] for source in data["sources"]] == ["https://stats.example.org/a"]


def test_in_zone_leaves_utc_as_it_is_and_none_as_none():
    moment = datetime(2026, 1, 2, 3, 4, 5, 600000, tzinfo=UTC)
    assert in_zone(moment, UTC) is moment
    assert in_zone(None, UTC) is None
    paris = ZoneInfo("Europe/Paris")
    assert in_zone(moment, paris) == moment
    assert in_zone(moment, paris).tzinfo is paris  # type: ignore[union-attr]
    assert to_json(in_zone(moment, UTC)) == b'"2026-01-02T03:04:05.600000Z"'
