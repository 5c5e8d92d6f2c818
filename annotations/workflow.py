"""The review workflow: states, actions and the one table that links them.

Pure Python, no database: services.claim_transition applies it under a row lock,
permissions.py decides who may take each action.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy


class Status(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("claim status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("claim status", "Submitted")
    APPROVED = "approved", pgettext_lazy("claim status", "Approved")
    REJECTED = "rejected", pgettext_lazy("claim status", "Rejected")
    CHANGES_REQUESTED = "changes_requested", pgettext_lazy("claim status", "Changes requested")
    RETRACTED = "retracted", pgettext_lazy("claim status", "Retracted")


class Action(models.TextChoices):
    CREATE = "create", pgettext_lazy("review action", "Create")
    SUBMIT = "submit", gettext_lazy("Submit for review")
    WITHDRAW = "withdraw", gettext_lazy("Withdraw")
    APPROVE = "approve", gettext_lazy("Approve")
    REJECT = "reject", gettext_lazy("Reject")
    REQUEST_CHANGES = "request_changes", gettext_lazy("Request changes")
    REOPEN = "reopen", gettext_lazy("Reopen for correction")
    RETRACT = "retract", gettext_lazy("Retract")
    # Taken by the desk itself when an article changes (annotations.services.revisions).
    ARTICLE_CHANGED = "article_changed", gettext_lazy("Article changed after the verdict")
    # Not moves: the claim keeps its state. Recorded in its history all the same.
    REANCHOR = "reanchor", gettext_lazy("Re-anchored in a new revision")
    REATTACH = "reattach", gettext_lazy("Re-attached to the new text")


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
# The decisions others take on a claim, which its author hears of, each as the author reads it:
# what was done to their claim.
DECISION_ACTIONS = REVIEW_ACTIONS | ADMIN_ACTIONS
DECISION_LABELS = {
    Action.APPROVE: gettext_lazy("Approved"),
    Action.REJECT: gettext_lazy("Rejected"),
    Action.REQUEST_CHANGES: gettext_lazy("Changes requested"),
    Action.REOPEN: gettext_lazy("Reopened for correction"),
    Action.RETRACT: gettext_lazy("Retracted"),
}

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
        super().__init__(_refusal(status, action))


def _refusal(status: str, action: str) -> str:
    """Why `action` cannot be taken from `status`, in the active language. Each sentence is
    whole, so that a translation may order and agree its words as its language needs."""
    sentences: dict[str, str] = {
        Action.SUBMIT: _("A claim that is %(status)s cannot be submitted."),
        Action.WITHDRAW: _("A claim that is %(status)s cannot be withdrawn."),
        Action.APPROVE: _("A claim that is %(status)s cannot be approved."),
        Action.REJECT: _("A claim that is %(status)s cannot be rejected."),
        Action.REQUEST_CHANGES: _("A claim that is %(status)s cannot be sent back for changes."),
        Action.REOPEN: _("A claim that is %(status)s cannot be reopened."),
        Action.RETRACT: _("A claim that is %(status)s cannot be retracted."),
        Action.ARTICLE_CHANGED: _(
            "A claim that is %(status)s cannot be sent back to review for a change of its article."
        ),
    }
    sentence = sentences.get(action, _("A claim that is %(status)s cannot be %(action)s."))
    named = str(Status(status).label).lower() if status in Status.values else status
    return sentence % {"status": named, "action": action}


def next_status(status: str, action: str) -> str:
    """Return the state that `action` leads to from `status`, or raise TransitionNotAllowed."""
    try:
        return TRANSITIONS[(Status(status), Action(action))]
    except (KeyError, ValueError):
        raise TransitionNotAllowed(status, action) from None


def actions_from(status: str) -> list[str]:
    return [action for (source, action) in TRANSITIONS if source == status]
