"""The public record: what an approval or a retraction puts before the public.

claim_transition calls `publication_on_transition` under the claim's row lock, in the
transaction of the decision, so that a decision and its public record are written together
or not at all. Everything the public is shown of a claim (its page, the lists and feeds, the
ClaimReview data feed) reads the records written here (models.Publication), never the claim
itself: a correction in progress leaves the last approved version online, and a later change
of the verdict scale changes nothing that was published.

A correction is the approval of a claim that was published before. It needs a note, what
changed and why, written by the corrector as the comment of the submission that follows the
reopening, seen by the reviewer with the claim, and published with the corrected version.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from annotations.anchoring import span_in
from annotations.models import (
    ArticleRevision,
    Claim,
    NotificationKind,
    Publication,
    PublicationKind,
    ReviewEvent,
    Verdict,
)
from annotations.outputs import SOURCE_FIELDS
from annotations.ratings import RatingScale, rating_of
from annotations.services.notifications import notify
from annotations.workflow import Action, Status

NOTE_REQUIRED = gettext_lazy(
    "This claim was published: say what changed and why. The note is published with the "
    "corrected fact-check."
)
NO_NOTE = gettext_lazy(
    "A correction is approved with its note, and this one has none: request changes, so that "
    "the author corrects the claim and resubmits it saying what changed and why."
)
NOT_REJECTED = gettext_lazy(
    "A published fact-check is corrected or retracted, never rejected: request changes, or "
    "ask an admin to retract it."
)


# What the claim's author is told of each record (services.notifications).
_NOTICES = {
    PublicationKind.PUBLISHED: NotificationKind.PUBLISHED,
    PublicationKind.CORRECTED: NotificationKind.CORRECTED,
    PublicationKind.RETRACTED: NotificationKind.RETRACTED,
}


def publication_on_transition(
    *, claim: Claim, action: str, comment: str, at: datetime, actor: Any
) -> Publication | None:
    """Check what the public record asks of `action` on `claim` (locked, not yet changed),
    write the record it makes (the publication or correction of an approval, the notice of
    a retraction) and tell the claim's author of it, made by `actor` with `comment`. Return
    the record, or None when the action makes none. Raises ValidationError, writing
    nothing, for a correction without a note (at its submission or its approval) or the
    rejection of a published claim.

    Call from claim_transition, under the claim's row lock and inside its transaction.
    """
    record = _record_of_transition(claim=claim, action=action, comment=comment, at=at)
    if record is not None:
        notify(
            recipient=claim.author,
            kind=_NOTICES[PublicationKind(record.kind)],
            claim=claim,
            actor=actor,
            comment=comment,
            at=at,
        )
    return record


def _record_of_transition(
    *, claim: Claim, action: str, comment: str, at: datetime
) -> Publication | None:
    latest = latest_record(claim.pk)
    if latest is None:
        if action == Action.APPROVE:
            return _write(claim, number=1, kind=PublicationKind.PUBLISHED, note="", at=at, first=at)
        return None
    if action == Action.SUBMIT and not comment:
        raise ValidationError({"comment": NOTE_REQUIRED})
    if action == Action.REJECT:
        raise ValidationError(NOT_REJECTED)
    if latest.is_retraction:
        return None
    if action == Action.APPROVE:
        note = pending_correction_note(claim.pk)
        if not note:
            raise ValidationError(NO_NOTE)
        kind = PublicationKind.CORRECTED
    elif action == Action.RETRACT:
        note = comment
        kind = PublicationKind.RETRACTED
    else:
        return None
    return _write(
        claim,
        number=latest.number + 1,
        kind=kind,
        note=note,
        at=at,
        first=latest.first_published_at,
        # A retraction notice names the fact-check as it was last published.
        like=latest if kind == PublicationKind.RETRACTED else None,
    )


def latest_record(claim_id: int) -> Publication | None:
    """The claim's latest public record; None for a claim never published."""
    return Publication.objects.filter(claim_id=claim_id).order_by("-number").first()


def pending_correction_note(claim_id: int) -> str:
    """The note of the correction awaiting approval: the comment of the claim's latest
    submission since its latest approval ("" if there is none)."""
    events = ReviewEvent.objects.filter(claim_id=claim_id)
    latest_approval = events.filter(action=Action.APPROVE).order_by("-id").values("id")[:1]
    # A claim restored without its approval event counts every submission.
    after = Coalesce(Subquery(latest_approval), 0)
    submitted = (
        events.filter(action=Action.SUBMIT, id__gt=after)
        .order_by("-id")
        .values_list("comment", flat=True)
        .first()
    )
    return submitted or ""


def _write(
    claim: Claim,
    *,
    number: int,
    kind: str,
    note: str,
    at: datetime,
    first: datetime,
    like: Publication | None = None,
) -> Publication:
    if like is not None:
        content = {name: getattr(like, name) for name in _CONTENT_FIELDS}
    else:
        rating = rating_of(claim.verdict, RatingScale.current())
        content = {
            "article_id": claim.article_id,
            "revision_id": claim.revision_id,
            "start": claim.start,
            "end": claim.end,
            "quote": claim.quote,
            "claim_text": claim.claim_text,
            "claimant": claim.claimant.name if claim.claimant is not None else "",
            "rationale": claim.rationale,
            "sources": [
                {name: getattr(source, name) for name in SOURCE_FIELDS}
                for source in claim.sources.order_by("position", "id")
            ],
            "verdict_id": claim.verdict_id,
            "verdict_label": rating.label if rating else "",
            "verdict_description": rating.description if rating else "",
            "rating_value": rating.value if rating else None,
            "best_rating": rating.best if rating else None,
            "worst_rating": rating.worst if rating else None,
        }
    record = Publication(
        claim=claim,
        number=number,
        kind=kind,
        published_at=at,
        first_published_at=first,
        note=note,
        **content,
    )
    record.full_clean(exclude=["claim", "article", "revision", "verdict"], validate_unique=False)
    record.save()
    return record


_CONTENT_FIELDS = (
    "article_id",
    "revision_id",
    "start",
    "end",
    "quote",
    "claim_text",
    "claimant",
    "rationale",
    "sources",
    "verdict_id",
    "verdict_label",
    "verdict_description",
    "rating_value",
    "best_rating",
    "worst_rating",
)


def publications_restore(
    *,
    claim: Claim,
    records: Sequence[Mapping[str, Any]] | None,
    verdicts: Mapping[str, Verdict],
    revisions: Mapping[int, ArticleRevision] | None = None,
) -> None:
    """Store the public record of a claim restored from a native export
    (annotations.native_import), inside the import's transaction.

    `records` (version 2 files) are kept as they were published, their ratings included; a
    record's verdict is matched by slug among `verdicts`. Without them (a version 1 file,
    written before the record was kept) an approved claim gets its first publication, at its
    published_at, as it is restored and rated against the scale as it now is. A record's
    `revision` (version 3 files) names, by number, the revision of the claim's article its
    span points into, among `revisions` (by number in the file); without one, the claim's
    own. Raises
    ValidationError naming `publications[N].field` for each value at fault.
    """
    if records is None:
        if claim.status == Status.APPROVED and claim.published_at is not None:
            _write(
                claim,
                number=1,
                kind=PublicationKind.PUBLISHED,
                note="",
                at=claim.published_at,
                first=claim.published_at,
            )
        return
    revisions = revisions or {}
    errors: dict[str, list[str]] = {}
    rows = []
    for index, data in enumerate(records):
        place = f"publications[{index}]"
        verdict = verdicts.get(data["verdict"]) if data.get("verdict") else None
        if data.get("verdict") and verdict is None:
            errors[f"{place}.verdict"] = [
                _("No verdict %(slug)r here or in the file.") % {"slug": data["verdict"]}
            ]
            continue
        number = data.get("revision")
        revision = None if number is None else revisions.get(number)
        if number is not None and revision is None:
            errors[f"{place}.revision"] = [
                _("No revision %(number)s of the article in the file.") % {"number": number}
            ]
            continue
        body = claim.article.body if revision is None else revision.body
        try:
            span_in(body, data["start"], data["end"], data["quote"])
        except ValidationError as error:
            errors[place] = error.messages
            continue
        record = Publication(
            claim=claim,
            number=data["number"],
            kind=data["kind"],
            published_at=datetime.fromisoformat(data["published_at"]),
            first_published_at=datetime.fromisoformat(data["first_published_at"]),
            note=data.get("note", ""),
            article_id=claim.article_id,
            revision_id=claim.revision_id if revision is None else revision.pk,
            start=data["start"],
            end=data["end"],
            quote=data["quote"],
            claim_text=data["claim_text"],
            claimant=data.get("claimant", ""),
            rationale=data.get("rationale", ""),
            sources=list(data.get("sources", [])),
            verdict=verdict,
            verdict_label=data.get("verdict_label", ""),
            verdict_description=data.get("verdict_description", ""),
            rating_value=data.get("rating_value"),
            best_rating=data.get("best_rating"),
            worst_rating=data.get("worst_rating"),
        )
        try:
            record.full_clean(
                exclude=["claim", "article", "revision", "verdict"], validate_unique=False
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors[f"{place}.{name}"] = messages
            continue
        rows.append(record)
    numbers = [row.number for row in rows]
    if numbers != list(range(1, len(numbers) + 1)):
        errors["publications"] = [_("Records must be numbered 1, 2, 3... in order.")]
    if errors:
        raise ValidationError(errors)
    Publication.objects.bulk_create(rows)
