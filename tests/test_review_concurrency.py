"""Concurrency on PostgreSQL, with real threads and a connection each: "Review next" never
hands one claim to two reviewers nor anyone their own, two decisions on one claim have one
winner and one event, and an expired lease is taken by exactly one of those who ask.

A plain test transaction would hide the locking, hence transaction=True throughout.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from annotations import services
from annotations.errors import StaleVersion
from annotations.models import Claim, ReviewEvent
from annotations.roles import Role
from tests.factories import ArticleFactory, make_claim, make_user, seed_scale

pytestmark = [
    pytest.mark.postgres(
        reason="needs PostgreSQL: row locks and SKIP LOCKED (set DATABASE_URL to a postgres:// URL)"
    ),
    pytest.mark.django_db(transaction=True),
]

REVIEWERS = 20


@pytest.fixture(autouse=True)
def scale() -> None:
    seed_scale()


def run_together(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run each job in its own thread, all released at once by a barrier. Returns each job's
    result, or the exception it raised, in order."""
    barrier = threading.Barrier(len(jobs), timeout=30)
    results: list[Any] = [None] * len(jobs)

    def work(index: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = job()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results


def test_twenty_reviewers_asking_at_once_get_twenty_distinct_claims_none_their_own():
    article = ArticleFactory()
    editor = make_user(Role.EDITOR, "writer")
    reviewers = [make_user(Role.REVIEWER, f"reviewer{n:02}") for n in range(REVIEWERS)]
    # Each reviewer's own claim sits among the oldest, so "never one's own" is really tested.
    for reviewer in reviewers:
        make_claim(author=reviewer, article=article, status="submitted")
        make_claim(author=editor, article=article, status="submitted")

    results = run_together(
        [lambda r=reviewer: services.review_next(reviewer=r) for reviewer in reviewers]
    )

    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    assert all(isinstance(r, Claim) for r in results), "someone got nothing"
    assert len({claim.pk for claim in results}) == REVIEWERS
    for reviewer, claim in zip(reviewers, results, strict=True):
        assert claim.author_id != reviewer.pk
    stored = dict(Claim.objects.filter(reviewer__isnull=False).values_list("pk", "reviewer_id"))
    assert stored == {
        claim.pk: reviewer.pk for reviewer, claim in zip(reviewers, results, strict=True)
    }


def test_two_decisions_on_one_claim_at_once_have_one_winner_and_one_event():
    editor = make_user(Role.EDITOR, "writer")
    first, second = make_user(Role.REVIEWER, "first"), make_user(Role.REVIEWER, "second")
    for _ in range(3):  # a few rounds, each on a fresh claim
        claim = make_claim(author=editor, status="submitted")
        seen = claim.version
        results = run_together(
            [
                lambda c=claim, v=seen: services.claim_transition(
                    claim_id=c.pk, actor=first, action="approve", version=v
                ),
                lambda c=claim, v=seen: services.claim_transition(
                    claim_id=c.pk, actor=second, action="reject", version=v, comment="No."
                ),
            ]
        )
        winners = [r for r in results if isinstance(r, Claim)]
        losers = [r for r in results if isinstance(r, StaleVersion)]
        assert len(winners) == 1 and len(losers) == 1, results
        claim.refresh_from_db()
        assert claim.status == winners[0].status and claim.version == seen + 1
        decisions = ReviewEvent.objects.filter(claim=claim, action__in=["approve", "reject"])
        assert decisions.count() == 1


def test_an_expired_lease_is_taken_by_exactly_one_of_those_asking():
    editor = make_user(Role.EDITOR, "writer")
    holder = make_user(Role.REVIEWER, "holder")
    claim = make_claim(author=editor, status="submitted")
    assert services.review_next(reviewer=holder) == claim
    others = [make_user(Role.REVIEWER, f"other{n}") for n in range(5)]
    assert services.review_next(reviewer=others[0]) is None, "a live lease is respected"

    Claim.objects.filter(pk=claim.pk).update(assigned_at=timezone.now() - timedelta(minutes=31))
    results = run_together([lambda r=r: services.review_next(reviewer=r) for r in others])

    taken = [r for r in results if isinstance(r, Claim)]
    assert [r for r in results if r is not None and not isinstance(r, Claim)] == []
    assert len(taken) == 1 and taken[0].pk == claim.pk
    claim.refresh_from_db()
    assert claim.reviewer_id == taken[0].reviewer_id != holder.pk
