"""A review lease ends with the reviewer's role: a reviewer demoted below reviewer, or
deactivated, gives back the claims they hold for review in the same change, so the claims
do not wait out the lease for someone who can no longer decide them."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from annotations import services
from annotations.models import Claim
from annotations.roles import Role
from tests.factories import make_claim

pytestmark = pytest.mark.django_db

User = get_user_model()


def _holder(claim: Claim) -> Any:
    return Claim.objects.held().filter(pk=claim.pk).values_list("reviewer__username", flat=True)


@pytest.fixture
def taken(editor: Any, reviewer: Any) -> Claim:
    """A submitted claim `reviewer` took with "Review next"."""
    claim = make_claim(author=editor, status="submitted")
    assert services.review_next(reviewer=reviewer) == claim
    assert list(_holder(claim)) == ["rev"]
    return claim


@pytest.mark.parametrize("role", [Role.EDITOR, None])
def test_a_reviewer_demoted_below_reviewer_gives_back_their_claim(
    taken: Claim, reviewer: Any, reviewer2: Any, role: Role | None
) -> None:
    services.user_set_role(user=reviewer, role=role)
    assert not _holder(taken).exists()
    assert Claim.objects.free().filter(pk=taken.pk).exists()
    assert services.review_next(reviewer=reviewer2) == taken


def test_a_reviewer_deactivated_in_the_admin_gives_back_their_claim(
    taken: Claim, reviewer: Any, reviewer2: Any, admin_user: Any
) -> None:
    client = Client()
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[reviewer.pk])
    response = client.post(url, {"username": "rev", "role": "reviewer"})  # is_active unticked
    assert response.status_code == 302
    assert not User.objects.get(pk=reviewer.pk).is_active
    assert services.review_next(reviewer=reviewer2) == taken


def test_a_reviewer_demoted_in_the_admin_gives_back_their_claim(
    taken: Claim, reviewer: Any, admin_user: Any
) -> None:
    client = Client()
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[reviewer.pk])
    client.post(url, {"username": "rev", "role": "editor", "is_active": "on"})
    assert not _holder(taken).exists()


def test_a_reviewer_promoted_to_admin_keeps_their_claim(taken: Claim, reviewer: Any) -> None:
    services.user_set_role(user=reviewer, role=Role.ADMIN)
    assert list(_holder(taken)) == ["rev"]


def test_claims_someone_decided_keep_their_reviewer(editor: Any, reviewer: Any) -> None:
    """The reviewer field also names who decided a claim: that record is not a lease."""
    decided = make_claim(author=editor, status="approved", reviewer=reviewer)
    services.user_set_role(user=reviewer, role=None)
    decided.refresh_from_db()
    assert decided.reviewer_id == reviewer.pk


def test_a_refused_demotion_leaves_the_lease(editor: Any, admin_user: Any) -> None:
    claim = make_claim(author=editor, status="submitted")
    assert services.review_next(reviewer=admin_user) == claim
    with pytest.raises(ValidationError):
        services.user_set_role(user=admin_user, role=Role.EDITOR)
    assert list(_holder(claim)) == ["boss"]
