"""The role-by-action matrix (tests/role_matrix.py) over every transition and every way in
this branch provides: the service, the review pages, the admin actions and the command.
The API's matrix lives with the API tests."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from annotations import services
from annotations.errors import Conflict
from annotations.models import Claim, ReviewEvent
from annotations.roles import Role
from annotations.workflow import SYSTEM_ACTIONS, TRANSITIONS
from tests.factories import make_claim, make_user
from tests.role_matrix import ACTORS, ALLOWED, ALSO_FROM

pytestmark = pytest.mark.django_db

COMMENT = "Checked against the primary source."
ADMIN_ACTION_NAMES = {
    "approve": "approve_claims",
    "reject": "reject_claims",
    "request_changes": "request_changes_claims",
    "reopen": "reopen_claims",
    "retract": "retract_claims",
}


def _by_service(claim: Claim, actor: Any, action: str) -> None:
    # A claim the actor may not see is no claim to them: Claim.DoesNotExist.
    with contextlib.suppress(PermissionDenied, Conflict, ValidationError, Claim.DoesNotExist):
        services.claim_transition(
            claim_id=claim.pk, actor=actor, action=action, version=claim.version, comment=COMMENT
        )


def _by_page(claim: Claim, actor: Any, action: str) -> None:
    client = Client()
    client.force_login(actor)
    response = client.post(
        reverse("review-act", args=[claim.pk]),
        {"action": action, "version": claim.version, "comment": COMMENT},
    )
    assert response.status_code in (302, 403, 404, 409)


def _by_admin(claim: Claim, actor: Any, action: str) -> None:
    client = Client()
    client.force_login(actor)
    response = client.post(
        reverse("admin:annotations_claim_changelist"),
        {
            "action": ADMIN_ACTION_NAMES[action],
            "confirm": "yes",
            "comment": COMMENT,
            ACTION_CHECKBOX_NAME: [claim.pk],
            f"version_{claim.pk}": claim.version,
        },
    )
    assert response.status_code in (200, 302, 403)


def _by_command(claim: Claim, actor: Any, action: str) -> None:
    with contextlib.suppress(CommandError):
        call_command(
            "review_claim",
            str(claim.pk),
            action,
            "--as",
            actor.username,
            "--comment",
            COMMENT,
            "--version",
            str(claim.version),
            stdout=StringIO(),
        )


WAYS: dict[str, Callable[[Claim, Any, str], None]] = {
    "service": _by_service,
    "page": _by_page,
    "admin": _by_admin,
    "command": _by_command,
}


# The table names one starting state per action; some actions start from more states (a
# resubmission after changes were requested, a retraction), with the same people allowed.
SITUATIONS = [(action, status) for action, (status, _) in ALLOWED.items()] + [
    (action, status) for action, statuses in ALSO_FROM.items() for status in statuses
]


def _cases() -> list[Any]:
    cases = []
    for way in WAYS:
        for action, status in SITUATIONS:
            # Submitting and withdrawing are the author's, on the pages: not admin actions.
            if way == "admin" and action not in ADMIN_ACTION_NAMES:
                continue
            for actor in ACTORS:
                cases.append(
                    pytest.param(
                        way, action, status, actor, id=f"{way}-{action}-from-{status}-{actor}"
                    )
                )
    return cases


def _claim_and_actor(actor_name: str, status: str) -> tuple[Claim, Any]:
    author_role = {"reviewer_author": Role.REVIEWER, "admin_author": Role.ADMIN}.get(
        actor_name, Role.EDITOR
    )
    author = make_user(author_role, "writer")
    others = {
        "other_editor": (Role.EDITOR, "other-editor"),
        "reviewer": (Role.REVIEWER, "checker"),
        "admin": (Role.ADMIN, "chief"),
        "no_role": (None, "reader"),
    }
    actor = author if actor_name not in others else make_user(*others[actor_name])
    deciding = make_user(Role.REVIEWER, "first-reviewer")
    return make_claim(author=author, status=status, reviewer=deciding), actor


@pytest.mark.parametrize(("way", "action", "status", "actor_name"), _cases())
def test_role_matrix(way: str, action: str, status: str, actor_name: str) -> None:
    claim, actor = _claim_and_actor(actor_name, status)
    assert claim.status == status
    _, allowed = ALLOWED[action]
    before = (claim.status, claim.version)
    events_before = ReviewEvent.objects.filter(claim=claim).count()

    WAYS[way](claim, actor, action)

    claim.refresh_from_db()
    new_events = ReviewEvent.objects.filter(claim=claim).order_by("id")[events_before:]
    if actor_name in allowed:
        assert claim.status == TRANSITIONS[(status, action)], f"{actor_name} may {action}"
        assert claim.version == before[1] + 1
        assert [(e.action, e.actor_id) for e in new_events] == [(action, actor.pk)]
    else:
        assert (claim.status, claim.version) == before, f"{actor_name} may not {action}"
        assert list(new_events) == []


def test_the_matrix_covers_every_transition() -> None:
    # The desk's own moves (a changed article) are nobody's to take: tests/test_revisions.py.
    by_hand = {(status, action) for status, action in TRANSITIONS if action not in SYSTEM_ACTIONS}
    assert {(status, action) for action, status in SITUATIONS} == by_hand
