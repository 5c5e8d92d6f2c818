"""annotations.claim_sql reads claims in SQL for the review's hot paths: what it returns
must be what the ORM returns, on PostgreSQL and on SQLite (whose datetimes come back as
text and go through Django's converters)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from annotations import claim_sql, services
from annotations.models import Claim, Source
from tests.factories import ArticleFactory, make_claim

pytestmark = pytest.mark.django_db


def _orm_read(pk: int) -> Claim:
    return Claim.objects.select_related(*services.CLAIM_ANSWER_RELATIONS).get(pk=pk)


def _assert_same_claim(read: Claim | None, pk: int) -> None:
    assert read is not None
    expected = _orm_read(pk)
    for field in Claim._meta.concrete_fields:
        value, wanted = getattr(read, field.attname), getattr(expected, field.attname)
        assert value == wanted, field.attname
        assert type(value) is type(wanted), field.attname
    with CaptureQueriesContext(connection) as captured:
        shown = (
            None if read.verdict is None else read.verdict.slug,
            read.author.username,
            None if read.reviewer is None else read.reviewer.username,
        )
    assert not captured.captured_queries, "the relations an answer shows came with the claim"
    assert shown == (
        None if expected.verdict is None else expected.verdict.slug,
        expected.author.username,
        None if expected.reviewer is None else expected.reviewer.username,
    )
    assert read._state.adding is False and read._state.db == "default"


def test_a_claim_read_in_sql_equals_the_orm_read(editor, reviewer):
    draft_without_verdict = make_claim(author=editor, verdict=None)
    rejected = make_claim(author=editor, status="rejected", reviewer=reviewer)
    for claim in (draft_without_verdict, rejected):
        _assert_same_claim(claim_sql.claim_by_id(claim.pk), claim.pk)
    assert rejected.reviewer_id == reviewer.pk
    assert claim_sql.claim_by_id(draft_without_verdict.pk).verdict is None  # type: ignore[union-attr]
    assert claim_sql.claim_by_id(10**12) is None


def test_the_locked_read_equals_the_orm_read(editor, reviewer):
    claim = make_claim(author=editor, status="submitted")
    with transaction.atomic():
        _assert_same_claim(claim_sql.locked_claim(claim.pk), claim.pk)
        assert claim_sql.locked_claim(10**12) is None


def test_other_fields_of_the_people_are_not_read(editor, reviewer):
    claim = make_claim(author=editor, status="rejected", reviewer=reviewer)
    read = claim_sql.claim_by_id(claim.pk)
    assert read is not None
    assert read.author.get_deferred_fields() >= {"password", "email"}
    with CaptureQueriesContext(connection) as captured:
        assert read.author.email == editor.email  # deferred: read when asked
    assert len(captured.captured_queries) == 1


def test_next_free_claim_skips_own_held_and_filtered_claims(editor, editor2, reviewer, reviewer2):
    now = timezone.now()
    cutoff = services.lease_cutoff(now)
    article = ArticleFactory()
    oldest_own = make_claim(author=reviewer, status="submitted")
    held_by_another = make_claim(author=editor, status="submitted")
    Claim.objects.filter(pk=held_by_another.pk).update(reviewer=reviewer2, assigned_at=now)
    lapsed = make_claim(author=editor, status="submitted")
    Claim.objects.filter(pk=lapsed.pk).update(
        reviewer=reviewer2, assigned_at=cutoff - timedelta(seconds=1)
    )
    by_editor2 = make_claim(author=editor2, status="submitted", article=article)
    make_claim(author=editor, status="draft")
    assert oldest_own.submitted_at < held_by_another.submitted_at < lapsed.submitted_at

    with transaction.atomic():
        taken = claim_sql.next_free_claim(reviewer_id=reviewer.pk, cutoff=cutoff)
        assert taken is not None and taken.pk == lapsed.pk  # a lease that ran out is free
        by_author = claim_sql.next_free_claim(
            reviewer_id=reviewer.pk, cutoff=cutoff, author_id=editor2.pk
        )
        assert by_author is not None and by_author.pk == by_editor2.pk
        by_article = claim_sql.next_free_claim(
            reviewer_id=reviewer.pk, cutoff=cutoff, article_id=article.pk
        )
        assert by_article is not None and by_article.pk == by_editor2.pk
        assert (
            claim_sql.next_free_claim(
                reviewer_id=reviewer.pk, cutoff=cutoff, verdict_id=by_editor2.verdict_id + 1000
            )
            is None
        )
        # The reviewer's own claim is the oldest, and never theirs to review.
        assert claim_sql.next_free_claim(reviewer_id=editor2.pk, cutoff=cutoff).pk == (  # type: ignore[union-attr]
            oldest_own.pk
        )


def test_held_claim_id_is_the_oldest_live_lease_of_the_reviewer(editor, reviewer, reviewer2):
    now = timezone.now()
    cutoff = services.lease_cutoff(now)
    first, second, lapsed, others = (
        make_claim(author=editor, status="submitted") for _ in range(4)
    )
    Claim.objects.filter(pk__in=[second.pk, first.pk]).update(reviewer=reviewer, assigned_at=now)
    Claim.objects.filter(pk=lapsed.pk).update(
        reviewer=reviewer, assigned_at=cutoff - timedelta(seconds=1)
    )
    Claim.objects.filter(pk=others.pk).update(reviewer=reviewer2, assigned_at=now)
    assert claim_sql.held_claim_id(reviewer_id=reviewer.pk, cutoff=cutoff) == first.pk
    assert claim_sql.held_claim_id(reviewer_id=editor.pk, cutoff=cutoff) is None


def test_sources_of_a_claim_equal_the_orm_read_and_are_kept(editor):
    """Dates included: SQLite returns them as text, for Django's converters."""
    claim = make_claim(
        author=editor,
        sources=[
            {"url": "https://stats.example.org/b", "title": "Second", "kind": "dataset"},
            {
                "url": "https://stats.example.org/a",
                "title": "First",
                "accessed_on": "2026-03-01",
                "passage": "Unemployment fell by 12%.",
            },
        ],
    )
    # Positions against the order of the ids: the sources come in the order of positions.
    second, first = Source.objects.filter(claim=claim).order_by("id")
    Source.objects.filter(pk=second.pk).update(position=5)
    bare = make_claim(author=editor, sources=[])
    fresh = Claim.objects.get(pk=claim.pk)  # nothing kept from the create

    with CaptureQueriesContext(connection) as captured:
        sources = claim_sql.sources_of(fresh)
    assert len(captured.captured_queries) == 1
    expected = list(Source.objects.filter(claim=claim).order_by("position", "id"))
    assert [s.title for s in sources] == ["First", "Second"]
    for got, wanted in zip(sources, expected, strict=True):
        for field in Source._meta.concrete_fields:
            value, wanted_value = getattr(got, field.attname), getattr(wanted, field.attname)
            assert value == wanted_value and type(value) is type(wanted_value), field.attname
    assert sources[0].accessed_on == date(2026, 3, 1)

    with CaptureQueriesContext(connection) as captured:
        assert claim_sql.sources_of(fresh) == sources
        assert list(fresh.sources.all()) == sources
        assert sources[0].claim is fresh
    assert not captured.captured_queries, "kept as prefetch_related keeps them"
    assert claim_sql.sources_of(Claim.objects.get(pk=bare.pk)) == []


def test_a_lease_that_ends_exactly_at_the_cutoff_is_still_held(editor, reviewer, reviewer2):
    """The ORM's rule (assigned_at >= cutoff is held), at the exact microsecond: on SQLite
    the moment must be sent as the ORM stores it (naive UTC text) to compare right."""
    cutoff = services.lease_cutoff(timezone.now())
    at_the_edge, free = (make_claim(author=editor, status="submitted") for _ in range(2))
    Claim.objects.filter(pk=at_the_edge.pk).update(reviewer=reviewer2, assigned_at=cutoff)
    assert Claim.objects.filter(pk=at_the_edge.pk, assigned_at__gte=cutoff).exists()

    assert claim_sql.held_claim_id(reviewer_id=reviewer2.pk, cutoff=cutoff) == at_the_edge.pk
    with transaction.atomic():
        taken = claim_sql.next_free_claim(reviewer_id=reviewer.pk, cutoff=cutoff)
    assert taken is not None and taken.pk == free.pk
