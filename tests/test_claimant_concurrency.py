"""Editors naming the same new claimant at the same moment, on PostgreSQL with a connection
each: every claim is stored, and they share one claimant."""

from __future__ import annotations

import pytest

from annotations.models import Claim, Claimant
from annotations.roles import Role
from tests.factories import ArticleFactory, make_claim, make_user, seed_scale
from tests.test_review_concurrency import run_together

pytestmark = [
    pytest.mark.postgres(reason="needs PostgreSQL: concurrent inserts with a connection each"),
    pytest.mark.django_db(transaction=True),
]


def test_claims_naming_one_new_claimant_at_once_share_one_record() -> None:
    seed_scale()
    article = ArticleFactory()
    editors = [make_user(Role.EDITOR, f"ed{n}") for n in range(6)]

    results = run_together(
        [
            lambda e=editor, n=n: make_claim(
                author=e,
                article=article,
                claimant="Ministry of Finance" if n % 2 else "MINISTRY  of finance",
            )
            for n, editor in enumerate(editors)
        ]
    )

    assert all(isinstance(result, Claim) for result in results), results
    (ministry,) = Claimant.objects.all()
    assert Claim.objects.filter(claimant=ministry).count() == len(editors)
