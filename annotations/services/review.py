"""Review: moving a claim through the workflow (workflow.TRANSITIONS), handing out the next
claim to review, and giving one back; plus the locked read every write on an existing claim
starts with."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from annotations import permissions
from annotations.errors import InvalidTransition, StaleVersion
from annotations.models import Article, Claim, NotificationKind, ReviewEvent
from annotations.services.notifications import notify
from annotations.services.publication import publication_on_transition
from annotations.validators import validate_clean_text
from annotations.workflow import (
    COMMENT_REQUIRED,
    MAX_COMMENT_LENGTH,
    REVIEW_ACTIONS,
    Action,
    Status,
    TransitionNotAllowed,
    next_status,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# The decisions its author hears of from here; an approval, and a retraction of a published
# claim, they hear of with the public record (services.publication).
DECISION_NOTICES: dict[str, NotificationKind] = {
    Action.REQUEST_CHANGES: NotificationKind.CHANGES_REQUESTED,
    Action.REJECT: NotificationKind.REJECTED,
    Action.REOPEN: NotificationKind.REOPENED,
    Action.RETRACT: NotificationKind.RETRACTED,
    Action.ARTICLE_CHANGED: NotificationKind.ARTICLE_CHANGED,
}

# The fields a transition changes: the claim's content is not written again.
TRANSITION_FIELDS = (
    "status",
    "reviewer",
    "assigned_at",
    "submitted_at",
    "published_at",
    "version",
    "updated_at",
)


def lock_claim(*, claim_id: int, actor: User, version: int) -> Claim:
    """The claim `actor` may see, re-read under a row lock (SELECT ... FOR UPDATE of the claim
    alone) with what an answer shows of its related rows, after checking that it is still at
    `version`.

    Call inside transaction.atomic(); the lock holds until it ends (on SQLite the IMMEDIATE
    transaction's write lock serialises writers instead). Raises Claim.DoesNotExist for a
    claim that is gone or that `actor` may not see, StaleVersion when it moved on.
    """
    if isinstance(version, bool) or not isinstance(version, int):
        raise ValidationError({"version": _("version must be a whole number.")})
    claims = Claim.objects.visible_to(actor).with_answer_relations()
    try:
        locked = claims.select_for_update(of=("self",)).get(pk=claim_id)
    except Claim.DoesNotExist:
        raise Claim.DoesNotExist(_("No such claim.")) from None
    if locked.version != version:
        raise StaleVersion(sent=version, current=locked.version)
    return locked


def claim_transition(
    *, claim_id: int, actor: User, action: str, version: int, comment: str = ""
) -> Claim:
    """Move a claim through review (see workflow.TRANSITIONS) and record a ReviewEvent.

    Runs under the claim's row lock, so of two decisions made at once on the same version
    exactly one wins; the other gets StaleVersion and changes nothing.

    Raises, changing nothing: Claim.DoesNotExist (no claim `actor` may see), StaleVersion
    (the claim moved on since `version`), PermissionDenied (the role rules, four eyes),
    InvalidTransition (not from this state, or another reviewer holds the claim),
    ValidationError (a missing or unusable comment, a claim not ready for review, a
    correction without its note: services.publication).

    An approval or a retraction also writes the claim's public record
    (services.publication), in the same transaction; a decision by someone else is a notice
    to the claim's author (services.notifications.notify), written there too.
    """
    comment = clean_comment(comment)
    with transaction.atomic():
        locked = lock_claim(claim_id=claim_id, actor=actor, version=version)
        if not permissions.can_take_action(actor, locked, action):
            raise PermissionDenied(permissions.refusal_reason(actor, locked, action))
        try:
            next_status(locked.status, action)
        except TransitionNotAllowed as refusal:
            raise InvalidTransition(str(refusal), current_version=locked.version) from None
        if action in COMMENT_REQUIRED and not comment:
            raise ValidationError({"comment": _("A comment is required to explain this decision.")})
        if action == Action.SUBMIT:
            _check_ready_for_review(locked)
        if action in REVIEW_ACTIONS and locked.is_held() and locked.reviewer_id != actor.pk:
            raise InvalidTransition(
                _(
                    "Another reviewer has taken this claim; it returns to the queue if they "
                    "do not act on it."
                ),
                current_version=locked.version,
            )

        if action in (Action.SUBMIT, Action.APPROVE):
            _check_anchored(locked)
        event = apply_transition(
            locked, action=action, actor=actor, comment=comment, at=timezone.now()
        )
        locked.save(update_fields=TRANSITION_FIELDS)
        event.save()
    return locked


def apply_transition(
    claim: Claim, *, action: str, actor: User | None, comment: str, at: datetime
) -> ReviewEvent:
    """Move `claim` (locked, its rules checked) by `action` as workflow.TRANSITIONS says,
    writing the public record it makes (services.publication), and return the ReviewEvent
    that records it, unsaved; the caller saves the claim's TRANSITION_FIELDS and the event
    in the same transaction. `actor` None is the desk itself (Action.ARTICLE_CHANGED)."""
    target = next_status(claim.status, action)
    record = publication_on_transition(
        claim=claim, action=action, comment=comment, at=at, actor=actor
    )
    if record is None and action in DECISION_NOTICES:
        # A record tells the author itself (services.publication).
        notify(
            recipient=claim.author,
            kind=DECISION_NOTICES[action],
            claim=claim,
            actor=actor,
            comment=comment,
            at=at,
        )
    source_status = claim.status
    claim.status = target
    claim.assigned_at = None
    if action == Action.SUBMIT:
        claim.submitted_at = at
        claim.reviewer = None
    elif action == Action.RETRACT:
        # Who decided it and when it was published stay, for the public notice; a
        # reviewer merely holding a waiting claim decided nothing.
        if source_status == Status.SUBMITTED:
            claim.reviewer = None
    elif action in (Action.WITHDRAW, Action.REOPEN, Action.ARTICLE_CHANGED):
        claim.reviewer = None
        if action != Action.WITHDRAW:
            # Back at the end of the queue.
            claim.submitted_at = at
    else:
        claim.reviewer = actor
        # The first publication's moment, kept through corrections (datePublished).
        if target == Status.APPROVED and claim.published_at is None:
            claim.published_at = at
    claim.version += 1
    claim.updated_at = at
    return ReviewEvent(
        claim=claim,
        actor=actor,
        action=action,
        from_status=source_status,
        to_status=target,
        comment=comment,
        created_at=at,
    )


ORPHANED = gettext_lazy(
    "The article changed and this claim's passage was not found in its new text: re-attach "
    "the claim to the passage it now refers to first."
)


def _check_anchored(claim: Claim) -> None:
    """A claim whose span points into an earlier text of its article (orphaned) is neither
    submitted nor approved: a verdict is never put on words the article no longer says."""
    current = (
        Article.objects.filter(pk=claim.article_id)
        .values_list("current_revision_id", flat=True)
        .get()
    )
    if claim.revision_id != current:
        raise ValidationError({"quote": ORPHANED})


def review_next(
    *,
    reviewer: User,
    article_id: int | None = None,
    verdict_id: int | None = None,
    author_id: int | None = None,
) -> Claim | None:
    """Give `reviewer` the oldest submitted claim nobody holds (and not their own), optionally
    of one article, verdict or author; None when there is none.

    A claim the reviewer already holds comes first. On PostgreSQL the candidate row is taken
    with FOR UPDATE SKIP LOCKED, so reviewers asking at the same instant get distinct claims;
    on SQLite the IMMEDIATE transaction's write lock makes them ask one after the other.
    """
    if not permissions.is_reviewer(reviewer):
        raise PermissionDenied(_("Only reviewers and admins take claims from the review queue."))
    now = timezone.now()
    in_queue_order = ("submitted_at", "id")
    with transaction.atomic():
        # Rarely does a reviewer ask again while holding a claim: its id alone is asked for,
        # and the claim read with what the answer shows only when there is one.
        held = (
            Claim.objects.held(now)
            .filter(reviewer=reviewer)
            .order_by(*in_queue_order)
            .values_list("pk", flat=True)
            .first()
        )
        if held is not None:
            return Claim.objects.with_answer_relations().get(pk=held)
        wanted = {
            name: value
            for name, value in (
                ("article_id", article_id),
                ("verdict_id", verdict_id),
                ("author_id", author_id),
            )
            if value is not None
        }
        # The queue is walked and the row locked on the claims' table alone, and the claim
        # then read with the answer's relations by its id. Joined to them, the queue's query
        # is planned anew on every call (its timestamps keep PostgreSQL on custom plans), and
        # planning those joins around the queue's filtered, ordered scan costs more than a
        # second read of one claim by its id.
        taken = (
            Claim.objects.free(now)
            .exclude(author=reviewer)
            .filter(**wanted)
            .select_for_update(of=("self",), skip_locked=True)
            .order_by(*in_queue_order)
            .values_list("pk", flat=True)
            .first()
        )
        if taken is None:
            return None
        claim = Claim.objects.with_answer_relations().get(pk=taken)
        claim.reviewer = reviewer
        claim.assigned_at = now
        claim.save(update_fields=["reviewer", "assigned_at"])
    return claim


def review_release(*, claim_id: int, reviewer: User) -> bool:
    """Hand a claim the reviewer holds back to the queue. False when they did not hold it
    (never taken, already decided, or the lease ran out)."""
    released = (
        Claim.objects.held()
        .filter(pk=claim_id, reviewer=reviewer)
        .update(reviewer=None, assigned_at=None)
    )
    return released > 0


def clean_comment(comment: str) -> str:
    """A decision's comment, stripped; ValidationError naming `comment` if it is unusable."""
    if not isinstance(comment, str):
        raise ValidationError({"comment": _("The comment must be text.")})
    comment = comment.strip()
    if len(comment) > MAX_COMMENT_LENGTH:
        raise ValidationError(
            {
                "comment": _("Keep the comment under %(limit)d characters.")
                % {"limit": MAX_COMMENT_LENGTH}
            }
        )
    try:
        validate_clean_text(comment)
    except ValidationError as error:
        raise ValidationError({"comment": error.messages}) from None
    return comment


def _check_ready_for_review(claim: Claim) -> None:
    missing = {}
    if claim.verdict_id is None:
        missing["verdict"] = _("Choose a verdict before submitting for review.")
    if not claim.rationale:
        missing["rationale"] = _("Write the rationale before submitting for review.")
    if missing:
        raise ValidationError(missing)
