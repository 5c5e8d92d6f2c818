from __future__ import annotations

import pytest

from annotations.workflow import (
    COMMENT_REQUIRED,
    TRANSITIONS,
    Action,
    Status,
    TransitionNotAllowed,
    actions_from,
    next_status,
)


@pytest.mark.parametrize(
    ("status", "action", "expected"),
    [
        ("draft", "submit", "submitted"),
        ("changes_requested", "submit", "submitted"),
        ("submitted", "withdraw", "draft"),
        ("submitted", "approve", "approved"),
        ("submitted", "reject", "rejected"),
        ("submitted", "request_changes", "changes_requested"),
        ("approved", "reopen", "submitted"),
    ],
)
def test_allowed_transitions(status, action, expected):
    assert next_status(status, action) == expected


def test_every_other_pair_is_refused():
    for status in Status.values:
        for action in Action.values:
            if (status, action) in TRANSITIONS:
                continue
            with pytest.raises(TransitionNotAllowed):
                next_status(status, action)


def test_unknown_names_are_refused_not_crashing():
    with pytest.raises(TransitionNotAllowed):
        next_status("published", "approve")
    with pytest.raises(TransitionNotAllowed):
        next_status("draft", "publish")


def test_decisions_that_send_work_back_need_a_comment():
    assert {
        Action.REJECT,
        Action.REQUEST_CHANGES,
        Action.REOPEN,
        Action.RETRACT,
    } == COMMENT_REQUIRED
    assert Action.APPROVE not in COMMENT_REQUIRED


def test_rejected_is_final_but_for_a_retraction():
    assert actions_from(Status.REJECTED) == [Action.RETRACT]


def test_retracted_is_final():
    assert actions_from(Status.RETRACTED) == []


def test_anything_once_submitted_may_be_retracted_and_a_draft_may_not():
    retractable = {status for (status, action) in TRANSITIONS if action == Action.RETRACT}
    assert retractable == set(Status) - {Status.DRAFT, Status.RETRACTED}
