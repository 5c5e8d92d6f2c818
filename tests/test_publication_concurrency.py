"""Two reviewers approving one correction at the same moment, on PostgreSQL with a connection
each: one wins, and the public record gains exactly one correction."""

from __future__ import annotations

import pytest

from annotations import services
from annotations.errors import StaleVersion
from annotations.models import Publication
from annotations.roles import Role
from tests.factories import make_claim, make_user, seed_scale
from tests.test_publication import NOTE, _act
from tests.test_review_concurrency import run_together

pytestmark = [
    pytest.mark.postgres(reason="needs PostgreSQL: row locks with a connection per thread"),
    pytest.mark.django_db(transaction=True),
]


def test_two_approvals_of_one_correction_at_once_write_one_record() -> None:
    seed_scale()
    editor = make_user(Role.EDITOR, "writer")
    first, second = make_user(Role.REVIEWER, "rev1"), make_user(Role.REVIEWER, "rev2")
    admin = make_user(Role.ADMIN, "boss")
    claim = make_claim(author=editor, status="approved", reviewer=first)
    _act(claim, admin, "reopen", "Readers report the survey was revised.")
    _act(claim, first, "request_changes", "Please correct the figure.")
    claim = _act(claim, editor, "submit", NOTE)

    results = run_together(
        [
            lambda r=reviewer: services.claim_transition(
                claim_id=claim.pk, actor=r, action="approve", version=claim.version
            )
            for reviewer in (first, second)
        ]
    )

    assert sum(isinstance(r, StaleVersion) for r in results) == 1, results
    records = list(Publication.objects.filter(claim=claim).order_by("number"))
    assert [(r.number, r.kind) for r in records] == [(1, "published"), (2, "corrected")]
