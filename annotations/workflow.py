"""The review workflow: states, actions and the one table that links them.

Pure Python, no database: services.claim_transition applies it under a row lock,
permissions.py decides who may take each action.
"""

from __future__ import annotations

from django.db import models


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    RETRACTED = "retracted", "Retracted"


class Action(models.TextChoices):
    CREATE = "create", "Create"
    SUBMIT = "submit", "Submit for review"
    WITHDRAW = "withdraw", "Withdraw"
    APPROVE = "approve", "Approve"
    REJECT = "reject", "Reject"
    REQUEST_CHANGES = "request_changes", "Request changes"
    REOPEN = "reopen", "Reopen for correction"
    RETRACT = "retract", "Retract"
    # Taken by the desk itself when an article changes (annotations.services.revisions).
    ARTICLE_CHANGED = "article_changed", "Article changed after the verdict"
    # Not moves: the claim keeps its state. Recorded in its history all the same.
    REANCHOR = "reanchor", "Re-anchored in a new revision"
    REATTACH = "reattach", "Re-attached to the new text"


TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.DRAFT, Action.SUBMIT): Status.SUBMITTED,
    (Status.CHANGES_REQUESTED, Action.SUBMIT): Status.SUBMITTED,
    (Status.SUBMITTED, Action.WITHDRAW): Status.DRAFT,
    (Status.SUBMITTED, Action.APPROVE): Status.APPROVED,
    (Status.SUBMITTED, Action.REJECT): Status.REJECTED,
    (Status.SUBMITTED, Action.REQUEST_CHANGES): Status.CHANGES_REQUESTED,
    (Status.APPROVED, Action.REOPEN): Status.SUBMITTED,
    # Nothing submitted is ever deleted: an admin retracts it instead, with a reason. Every
    # state a claim reaches once submitted may be retracted; a draft may not (one that never
    # left its author may be deleted by them; a withdrawn one can still be resubmitted).
    (Status.SUBMITTED, Action.RETRACT): Status.RETRACTED,
    (Status.APPROVED, Action.RETRACT): Status.RETRACTED,
    (Status.REJECTED, Action.RETRACT): Status.RETRACTED,
    (Status.CHANGES_REQUESTED, Action.RETRACT): Status.RETRACTED,
    # A verdict never silently follows changed words: when the article's new revision edits
    # or loses the quote of a published claim, the claim goes back to review, its published
    # version staying online with a notice, as a reopening leaves it.
    (Status.APPROVED, Action.ARTICLE_CHANGED): Status.SUBMITTED,
}

# Actions nobody takes by hand: the desk takes them when an article changes.
SYSTEM_ACTIONS = frozenset({Action.ARTICLE_CHANGED})

# Every action that a person may take to move a claim, in a stable order (for choices and
# help texts).
TRANSITION_ACTIONS = sorted({action for (_, action) in TRANSITIONS} - SYSTEM_ACTIONS)

# Decisions that send work back or overturn a publication must say why.
COMMENT_REQUIRED = frozenset({Action.REJECT, Action.REQUEST_CHANGES, Action.REOPEN, Action.RETRACT})
MAX_COMMENT_LENGTH = 10_000

# Actions that only the claim's author takes, and those that a reviewer (never the author) takes.
AUTHOR_ACTIONS = frozenset({Action.SUBMIT, Action.WITHDRAW})
REVIEW_ACTIONS = frozenset({Action.APPROVE, Action.REJECT, Action.REQUEST_CHANGES})
ADMIN_ACTIONS = frozenset({Action.REOPEN, Action.RETRACT})

# The author may still change the claim's content in these states.
EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED})
DELETABLE_STATUSES = frozenset({Status.DRAFT})
# An orphaned claim (its article changed and its passage was lost) may be re-attached to the
# new text in these states; a rejected or retracted claim is left as it was decided.
REATTACHABLE_STATUSES = frozenset(
    {Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.APPROVED}
)


class TransitionNotAllowed(Exception):
    def __init__(self, status: str, action: str) -> None:
        self.status = status
        self.action = action
        super().__init__(
            f"A claim that is {_STATUS_LABELS.get(status, status).lower()} cannot be "
            f"{_PAST_TENSE.get(action, action)}."
        )


_STATUS_LABELS = dict(Status.choices)
_PAST_TENSE: dict[str, str] = {
    Action.SUBMIT: "submitted",
    Action.WITHDRAW: "withdrawn",
    Action.APPROVE: "approved",
    Action.REJECT: "rejected",
    Action.REQUEST_CHANGES: "sent back for changes",
    Action.REOPEN: "reopened",
    Action.RETRACT: "retracted",
    Action.ARTICLE_CHANGED: "sent back to review for a change of its article",
}


def next_status(status: str, action: str) -> str:
    """Return the state that `action` leads to from `status`, or raise TransitionNotAllowed."""
    try:
        return TRANSITIONS[(Status(status), Action(action))]
    except (KeyError, ValueError):
        raise TransitionNotAllowed(status, action) from None


def actions_from(status: str) -> list[str]:
    return [action for (source, action) in TRANSITIONS if source == status]
