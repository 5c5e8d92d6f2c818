"""Re-anchoring claims on a new revision of their article (annotations.reanchoring places
them; this records each outcome and moves the claims it concerns), re-attaching a claim whose
passage was lost, and restoring a native file's re-anchorings.

Every lock taken here is taken article first, then claims, as services.revisions does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from annotations import permissions
from annotations.anchoring import Span, span_in
from annotations.errors import Conflict
from annotations.models import Article, ArticleRevision, Claim, Reanchoring, ReviewEvent
from annotations.reanchoring import Outcome, reanchor
from annotations.services.review import TRANSITION_FIELDS, apply_transition, lock_claim
from annotations.services.search import search_index_claims
from annotations.workflow import Action, Status

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Outcomes that take a published claim back to review: its words are not what was checked.
LOST_WORDS = frozenset({Outcome.EDITED, Outcome.ORPHANED})

# The fields re-anchoring may change on a claim.
REANCHOR_FIELDS = ("start", "end", "quote", "prefix", "suffix", "revision", *TRANSITION_FIELDS)

REATTACH_FIELDS = ("start", "end", "quote", "prefix", "suffix", "revision", "version", "updated_at")

# The comments below are stored in the claim's history, which is kept in the desk's one
# language whoever's request made the change: they are not marked for translation.
BACK_TO_REVIEW = "The article changed after the verdict"


def claims_reanchor(
    *, article: Article, revision: ArticleRevision, actor: User | None
) -> tuple[list[Reanchoring], list[int]]:
    """Place every claim of `article` (locked, its text now `revision`'s, just recorded) in
    the new text (annotations.reanchoring) and record each outcome (models.Reanchoring);
    return the outcomes and the ids of the published claims sent back to review.

    A placed claim (unchanged, moved, edited) takes its new span and revision; an orphaned
    one keeps its span in the text it was last placed in. A published claim whose quote was
    edited or lost goes back to review (Action.ARTICLE_CHANGED, the event naming the
    revision), its published version staying online; every other claim keeps its state,
    with a REANCHOR event naming the outcome if it was ever submitted (a draft that never
    was keeps a history of its creation alone, and may still be deleted). Every claim's
    version moves on: its span did, or its article did.

    Call inside the transaction that recorded `revision`, holding the article's row lock.
    The queries do not grow with the number of claims, but for those whose words or
    context changed (one save each; the others are moved by one UPDATE per distance) and
    those sent back to review.
    """
    claims = list(
        Claim.objects.filter(article_id=article.pk).select_for_update(of=("self",)).order_by("id")
    )
    if not claims:
        return [], []
    earlier = {claim.revision_id for claim in claims}
    texts = dict(ArticleRevision.objects.filter(pk__in=earlier).values_list("pk", "body"))
    by_text: dict[int, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_text[claim.revision_id].append(claim)
    at = revision.created_at
    rows: list[Reanchoring] = []
    events: list[ReviewEvent] = []
    sent_back: list[int] = []
    # Claims whose words and context stayed and whose state did not change, by how far their
    # span moved and the revision it now counts in: one UPDATE for each such group.
    shifted: dict[tuple[int, int], list[int]] = defaultdict(list)
    rewritten: list[Claim] = []
    for revision_id, group in by_text.items():
        anchors = [Span(c.start, c.end, c.quote, c.prefix, c.suffix) for c in group]
        placements = reanchor(texts[revision_id], revision.body, anchors)
        for claim, placement in zip(group, placements, strict=True):
            before = (claim.start, claim.quote, claim.prefix, claim.suffix, claim.status)
            row = Reanchoring(
                claim=claim,
                revision=revision,
                from_revision_id=claim.revision_id,
                outcome=placement.outcome,
                old_start=claim.start,
                old_end=claim.end,
                old_quote=claim.quote,
                score=placement.score,
                reason_code=placement.reason.code,
                reason_values=placement.reason.values,
                created_at=at,
            )
            if placement.span is not None:
                row.new_start, row.new_end = placement.span.start, placement.span.end
                row.new_quote = placement.span.quote
                claim.start, claim.end = placement.span.start, placement.span.end
                claim.quote = placement.span.quote
                claim.prefix, claim.suffix = placement.span.prefix, placement.span.suffix
                claim.revision = revision
            comment = _event_comment(revision, row)
            if claim.status == Status.APPROVED and _words_lost(row):
                events.append(
                    apply_transition(
                        claim,
                        action=Action.ARTICLE_CHANGED,
                        actor=actor,
                        comment=f"{BACK_TO_REVIEW}. {comment}",
                        at=at,
                    )
                )
                sent_back.append(claim.pk)
            else:
                if claim.was_submitted:
                    events.append(
                        ReviewEvent(
                            claim=claim,
                            actor=actor,
                            action=Action.REANCHOR,
                            from_status=claim.status,
                            to_status=claim.status,
                            comment=comment,
                            created_at=at,
                        )
                    )
                claim.version += 1
                claim.updated_at = at
            rows.append(row)
            if (claim.quote, claim.prefix, claim.suffix, claim.status) == before[1:]:
                shifted[(claim.start - before[0], claim.revision_id)].append(claim.pk)
            else:
                rewritten.append(claim)
    # Django's bulk_update builds a CASE per field and claim, which costs seconds for
    # thousands of claims; nearly all of them only move by the length of an edit above them.
    for (delta, revision_id), ids in shifted.items():
        Claim.objects.filter(pk__in=ids).update(
            start=F("start") + delta,
            end=F("end") + delta,
            revision_id=revision_id,
            version=F("version") + 1,
            updated_at=at,
        )
    for claim in rewritten:
        claim.save(update_fields=REANCHOR_FIELDS)
    Reanchoring.objects.bulk_create(rows, batch_size=500)
    ReviewEvent.objects.bulk_create(events, batch_size=500)
    return rows, sent_back


def _words_lost(row: Reanchoring) -> bool:
    """Whether the words a verdict was given on are gone or changed: an orphan, or an edited
    quote whose words differ. An edit of white space alone (a line break moved, spaces
    doubled) keeps the outcome `edited` in the record but changes no word, so the verdict
    still stands on what the article says."""
    if row.outcome not in LOST_WORDS:
        return False
    return row.outcome == Outcome.ORPHANED or row.old_quote.split() != row.new_quote.split()


def _event_comment(revision: ArticleRevision, row: Reanchoring) -> str:
    """One line for the claim's history: the revision, the outcome, and why, in the desk's
    language whoever's request recorded the revision (the record is written once)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _event_line(revision, row)


def _event_line(revision: ArticleRevision, row: Reanchoring) -> str:
    arrived = timezone.localtime(revision.created_at, timezone.get_default_timezone()).strftime(
        "%Y-%m-%d %H:%M"
    )
    values = {
        "number": revision.number,
        "kind": revision.get_kind_display().lower(),
        "arrived": arrived,
        "outcome": row.get_outcome_display().lower(),
        "old": _short(row.old_quote),
        "new": _short(row.new_quote),
    }
    if row.outcome == Outcome.EDITED:
        head = _(
            "Revision %(number)s of the article (%(kind)s, %(arrived)s): %(outcome)s; the "
            'quote "%(old)s" now reads "%(new)s".'
        )
    elif row.outcome == Outcome.ORPHANED:
        head = _(
            "Revision %(number)s of the article (%(kind)s, %(arrived)s): %(outcome)s; "
            '"%(old)s" was not found in the new text.'
        )
    else:
        head = _("Revision %(number)s of the article (%(kind)s, %(arrived)s): %(outcome)s.")
    return f"{head % values} {row.reason_sentence()}".strip()


def _reattach_comment(old_quote: str, new_quote: str) -> str:
    """The history's line for a re-attachment, in the desk's language (see _event_comment)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _('Re-attached: "%(old)s" is now "%(new)s".') % {
            "old": _short(old_quote),
            "new": _short(new_quote),
        }


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


NOT_ORPHANED = gettext_lazy(
    "This claim is anchored in the article's current text: there is nothing to re-attach "
    "(edit its passage instead)."
)


def claim_reattach(
    *, claim_id: int, actor: User, version: int, start: int, end: int, quote: str | None = None
) -> Claim:
    """Re-attach an orphaned claim (its passage lost when its article changed) to the passage
    [start, end) of the article's current text: the span and revision change, nothing else,
    and the claim's history records the old and the new quote if it was ever submitted.

    Its author or an admin (permissions.can_reattach_claim). Raises, changing nothing:
    Claim.DoesNotExist, StaleVersion, PermissionDenied, Conflict (the claim is not orphaned),
    ValidationError (offsets or quote that are not a span of the current text).
    """
    article_id = Claim.objects.filter(pk=claim_id).values_list("article_id", flat=True).first()
    if article_id is None:
        raise Claim.DoesNotExist(_("No such claim."))
    with transaction.atomic():
        # The article first, as revision_record locks: a new revision cannot arrive while
        # the claim is placed in the text it replaces.
        body, current = (
            Article.objects.select_for_update()
            .values_list("body", "current_revision_id")
            .get(pk=article_id)
        )
        locked = lock_claim(claim_id=claim_id, actor=actor, version=version)
        if not permissions.can_reattach_claim(actor, locked):
            raise PermissionDenied(
                _(
                    "Only the claim's author or an admin can re-attach it, and not once it is "
                    "rejected or retracted."
                )
            )
        if locked.revision_id == current:
            raise Conflict(str(NOT_ORPHANED), current_version=locked.version)
        span = span_in(body, start, end, quote)
        old_quote = locked.quote
        now = timezone.now()
        locked.start, locked.end, locked.quote = span.start, span.end, span.quote
        locked.prefix, locked.suffix = span.prefix, span.suffix
        locked.revision_id = current
        locked.version += 1
        locked.updated_at = now
        locked.save(update_fields=REATTACH_FIELDS)
        search_index_claims([locked])
        if locked.was_submitted:
            ReviewEvent.objects.create(
                claim=locked,
                actor=actor,
                action=Action.REATTACH,
                from_status=locked.status,
                to_status=locked.status,
                comment=_reattach_comment(old_quote, span.quote),
                created_at=now,
            )
    return locked


def reanchorings_restore(
    *,
    claim: Claim,
    rows: Sequence[Mapping[str, Any]],
    revisions: Mapping[int, ArticleRevision],
) -> None:
    """Store a restored claim's re-anchorings (a native file's `reanchorings`), their
    revisions named by number among `revisions` (the claim's article's, by number in the
    file). Call inside the import's transaction. Raises ValidationError naming
    `reanchorings[N].field`."""
    errors: dict[str, list[str]] = {}
    kept = []
    for index, data in enumerate(rows):
        place = f"reanchorings[{index}]"
        into, since = revisions.get(data["revision"]), revisions.get(data["from_revision"])
        if into is None or since is None:
            errors[place] = [_("It names a revision of the article the file does not hold.")]
            continue
        row = Reanchoring(
            claim=claim,
            revision=into,
            from_revision=since,
            outcome=data["outcome"],
            old_start=data["old_start"],
            old_end=data["old_end"],
            old_quote=data["old_quote"],
            new_start=data.get("new_start"),
            new_end=data.get("new_end"),
            new_quote=data.get("new_quote", ""),
            score=data.get("score"),
            reason_code=data.get("reason_code", ""),
            reason_values=data.get("reason_values", {}),
            reason="" if data.get("reason_code") else data.get("reason", ""),
            created_at=datetime.fromisoformat(data["created_at"]),
        )
        try:
            row.full_clean(
                exclude=["claim", "revision", "from_revision"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors[f"{place}.{name}"] = messages
            continue
        kept.append(row)
    if errors:
        raise ValidationError(errors)
    Reanchoring.objects.bulk_create(kept)
