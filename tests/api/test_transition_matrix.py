"""Every review action through the API x every actor, checked against tests/role_matrix.py.

Allowed: 200 and the new status. Refused: 403, or 404 when the actor may not even see the
claim; either way the claim is unchanged and no history is written.
"""

from __future__ import annotations

import pytest

from annotations.models import Claim, ReviewEvent
from annotations.roles import Role
from tests.api.conftest import error_of
from tests.factories import make_claim, make_user
from tests.role_matrix import ACTORS, ALLOWED, ALSO_FROM

pytestmark = pytest.mark.django_db

TARGET_STATUS = {
    "submit": "submitted",
    "withdraw": "draft",
    "approve": "approved",
    "reject": "rejected",
    "request_changes": "changes_requested",
    "reopen": "submitted",
    "retract": "retracted",
}

ACTOR_ROLE = {
    "author": Role.EDITOR,
    "other_editor": Role.EDITOR,
    "reviewer": Role.REVIEWER,
    "admin": Role.ADMIN,
    "no_role": None,
    "reviewer_author": Role.REVIEWER,
    "admin_author": Role.ADMIN,
}

WRITES_THE_CLAIM = {"author", "reviewer_author", "admin_author"}


def may_see(actor: str, status: str) -> bool:
    """The visibility rule of the issue, written independently of the code: drafts are their
    author's; the desk sees everything past draft; anyone signed in sees published claims."""
    if status == "approved":
        return True
    if status == "draft":
        return actor in WRITES_THE_CLAIM
    return actor != "no_role"


SITUATIONS = [(action, status) for action, (status, _) in sorted(ALLOWED.items())] + [
    (action, status) for action, statuses in ALSO_FROM.items() for status in statuses
]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("action", "status"), SITUATIONS)
def test_transition_endpoint_follows_the_role_matrix(api, action, status, actor):
    _, allowed = ALLOWED[action]
    user = make_user(ACTOR_ROLE[actor], f"actor-{actor}")
    author = user if actor in WRITES_THE_CLAIM else make_user(Role.EDITOR, "claim-author")
    claim = make_claim(author=author, status=status, reviewer=make_user(Role.REVIEWER, "rev0"))
    events_before = ReviewEvent.objects.filter(claim=claim).count()

    answer = api(user).post(
        f"/api/claims/{claim.pk}/{action.replace('_', '-')}/",
        {"version": claim.version, "comment": "Checked against the survey."},
    )

    after = Claim.objects.get(pk=claim.pk)
    if actor in allowed:
        assert answer.status_code == 200, answer.content
        assert answer.json()["status"] == TARGET_STATUS[action]
        assert answer.json()["version"] == claim.version + 1
        assert after.status == TARGET_STATUS[action]
        assert ReviewEvent.objects.filter(claim=claim).count() == events_before + 1
    else:
        expected = 403 if may_see(actor, status) else 404
        assert answer.status_code == expected, answer.content
        error_of(answer)
        assert (after.status, after.version) == (claim.status, claim.version)
        assert ReviewEvent.objects.filter(claim=claim).count() == events_before
