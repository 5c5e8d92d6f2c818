"""The review queue's services and selectors: assignment, the lease, release, the counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from annotations import selectors, services
from annotations.anchoring import PARAGRAPH_CONTEXT, paragraph_around
from annotations.errors import InvalidTransition
from annotations.models import Claim
from annotations.workflow import MAX_COMMENT_LENGTH
from tests.factories import make_claim

pytestmark = pytest.mark.django_db


def _age_assignment(claim: Claim, minutes: int) -> None:
    Claim.objects.filter(pk=claim.pk).update(
        assigned_at=timezone.now() - timedelta(minutes=minutes)
    )


def test_editors_cannot_take_claims_from_the_queue(editor, editor2):
    make_claim(author=editor2, status="submitted")
    with pytest.raises(PermissionDenied):
        services.review_next(reviewer=editor)


def test_an_assignment_older_than_the_lease_returns_to_the_queue(editor, reviewer, reviewer2):
    claim = make_claim(author=editor, status="submitted")
    assert services.review_next(reviewer=reviewer) == claim
    assert services.review_next(reviewer=reviewer2) is None
    _age_assignment(claim, 31)
    assert not Claim.objects.get(pk=claim.pk).is_held()
    assert not Claim.objects.held().filter(pk=claim.pk).exists()
    taken = services.review_next(reviewer=reviewer2)
    assert taken == claim and taken.reviewer == reviewer2
    # The first reviewer's lease is gone: their decision is refused while the second holds it.
    with pytest.raises(InvalidTransition):
        services.claim_transition(
            claim_id=claim.pk, actor=reviewer, action="approve", version=claim.version
        )


@override_settings(FACTCHECK_REVIEW_LEASE_MINUTES=5)
def test_the_lease_length_is_configurable(editor, reviewer, reviewer2):
    claim = make_claim(author=editor, status="submitted")
    services.review_next(reviewer=reviewer)
    _age_assignment(claim, 4)
    assert services.review_next(reviewer=reviewer2) is None
    _age_assignment(claim, 6)
    assert services.review_next(reviewer=reviewer2) == claim


def test_release_reports_whether_anything_was_released(editor, reviewer, reviewer2):
    claim = make_claim(author=editor, status="submitted")
    assert services.review_release(claim_id=claim.pk, reviewer=reviewer) is False
    services.review_next(reviewer=reviewer)
    assert services.review_release(claim_id=claim.pk, reviewer=reviewer2) is False
    assert services.review_release(claim_id=claim.pk, reviewer=reviewer) is True
    assert services.review_next(reviewer=reviewer2) == claim


def test_release_after_a_decision_keeps_the_decider(editor, reviewer):
    claim = make_claim(author=editor, status="submitted")
    services.review_next(reviewer=reviewer)
    claim = services.claim_transition(
        claim_id=claim.pk, actor=reviewer, action="approve", version=claim.version
    )
    assert services.review_release(claim_id=claim.pk, reviewer=reviewer) is False
    claim.refresh_from_db()
    assert claim.reviewer == reviewer and claim.status == "approved"


def test_counts_follow_the_queue(editor, reviewer, reviewer2):
    first = make_claim(author=editor, status="submitted")
    make_claim(author=editor, status="submitted")
    make_claim(author=reviewer, status="submitted")
    services.review_next(reviewer=reviewer)
    counts = selectors.review_counts(reviewer)
    assert (counts.submitted, counts.unassigned, counts.held_by_me, counts.mine_waiting) == (
        3,
        2,
        1,
        1,
    )
    services.claim_transition(
        claim_id=first.pk, actor=reviewer, action="reject", version=first.version, comment="No."
    )
    counts = selectors.review_counts(reviewer2)
    assert (counts.submitted, counts.unassigned, counts.held_by_me, counts.decided_today) == (
        2,
        2,
        0,
        1,
    )


def test_counts_and_queue_are_empty_for_editors(editor, editor2):
    make_claim(author=editor2, status="submitted")
    assert selectors.review_counts(editor).submitted == 0
    assert not selectors.review_queue(editor).exists()


@pytest.mark.parametrize("comment", ["nul\x00here", "x" * (MAX_COMMENT_LENGTH + 1)])
def test_unusable_comments_are_refused(editor, reviewer, comment):
    claim = make_claim(author=editor, status="submitted")
    with pytest.raises(ValidationError) as raised:
        services.claim_transition(
            claim_id=claim.pk,
            actor=reviewer,
            action="reject",
            version=claim.version,
            comment=comment,
        )
    assert "comment" in raised.value.message_dict
    claim.refresh_from_db()
    assert claim.status == "submitted"


def test_withdraw_clears_an_assignment(editor, reviewer):
    claim = make_claim(author=editor, status="submitted")
    services.review_next(reviewer=reviewer)
    claim = services.claim_transition(
        claim_id=claim.pk, actor=editor, action="withdraw", version=claim.version
    )
    assert claim.status == "draft" and claim.reviewer is None and claim.assigned_at is None


# --- The paragraph around a claim ------------------------------------------------------------


def test_paragraph_is_the_line_holding_the_span_when_there_are_no_blank_lines():
    body = "First line.\nThe mayor said this.\nLast line."
    start = body.index("said")
    shown = paragraph_around(body, start, start + 4)
    assert (shown.before, shown.quote, shown.after) == ("The mayor ", "said", " this.")


def test_paragraph_uses_blank_lines_when_the_text_has_them():
    body = "Intro.\n\nOne paragraph\nwrapped over lines.\n\nOutro."
    start = body.index("wrapped")
    shown = paragraph_around(body, start, start + 7)
    assert shown.before == "One paragraph\n" and shown.after == " over lines."


def test_a_very_long_paragraph_is_clipped_around_the_span():
    body = "a" * 5000 + "QUOTE" + "b" * 5000
    shown = paragraph_around(body, 5000, 5005)
    assert shown.quote == "QUOTE"
    assert len(shown.before) == len(shown.after) == PARAGRAPH_CONTEXT
    assert shown.clipped_before and shown.clipped_after


def test_a_span_across_lines_keeps_both_lines():
    body = "x\nfirst half\nsecond half\ny"
    start = body.index("half")
    end = body.index("second") + len("second")
    shown = paragraph_around(body, start, end)
    assert (shown.before, shown.quote, shown.after) == ("first ", "half\nsecond", " half")
