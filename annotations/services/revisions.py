"""Revisions: recording a new text of an article, re-anchoring its claims on it, checking an
article's address for a new text, and re-attaching a claim whose passage was lost.

A new revision is recorded, and every claim of the article re-anchored on it, in one
transaction under the article's row lock and its claims': of two checks finding the same
change at once, one records it and the other finds the text already current. Every lock
taken here is taken article first, then claims, as claim_reattach does too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from annotations import permissions
from annotations.anchoring import Span, normalise_newlines, span_in
from annotations.errors import Conflict
from annotations.models import Article, ArticleRevision, Claim, Reanchoring, ReviewEvent
from annotations.reanchoring import Outcome, reanchor
from annotations.services.articles import (
    REVISION_METADATA_FIELDS,
    ImportOutcome,
    article_import,
    body_digest,
    fetch_article,
    match_when_committed,
)
from annotations.services.review import TRANSITION_FIELDS, apply_transition, lock_claim
from annotations.services.search import search_index_article, search_index_claims
from annotations.workflow import Action, Status

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Outcomes that take a published claim back to review: its words are not what was checked.
LOST_WORDS = frozenset({Outcome.EDITED, Outcome.ORPHANED})

# The fields re-anchoring may change on a claim.
REANCHOR_FIELDS = ("start", "end", "quote", "prefix", "suffix", "revision", *TRANSITION_FIELDS)

REATTACH_FIELDS = ("start", "end", "quote", "prefix", "suffix", "revision", "version", "updated_at")

BACK_TO_REVIEW = "The article changed after the verdict"


@dataclass(frozen=True)
class RevisionOutcome:
    """`revision` None: the text was the article's current one, and nothing was stored."""

    article: Article
    revision: ArticleRevision | None
    reanchorings: list[Reanchoring] = field(default_factory=list)
    # The claims that were published and went back to review.
    sent_back: list[int] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """How many claims had each outcome, every outcome named (0 for none)."""
        found = {outcome.value: 0 for outcome in Outcome}
        for row in self.reanchorings:
            found[row.outcome] += 1
        return found


def describe_revision(outcome: RevisionOutcome) -> str:
    """One line for a terminal or a message: the article, the revision recorded and what
    became of the claims, e.g. "article #3, revision 2: 4 claims: 2 unchanged, 1 moved,
    1 orphaned; 1 published claim back to review"."""
    article, revision = outcome.article, outcome.revision
    if revision is None:
        return f"article #{article.pk}: no change (revision {current_number(article)})"
    line = f"article #{article.pk}, revision {revision.number}"
    if not outcome.reanchorings:
        return f"{line}: no claims"
    counts = ", ".join(f"{n} {name}" for name, n in outcome.counts().items() if n)
    line += f": {len(outcome.reanchorings)} claim(s): {counts}"
    if outcome.sent_back:
        line += f"; {len(outcome.sent_back)} published claim(s) back to review"
    return line


def current_number(article: Article) -> int:
    """The number of the article's current revision."""
    return (
        ArticleRevision.objects.filter(article=article, pk=article.current_revision_id or 0)
        .values_list("number", flat=True)
        .first()
        or 0
    )


def revision_record(
    *,
    article_id: int,
    body: str,
    kind: str,
    actor: User | None,
    title: str = "",
    publisher: str = "",
    byline: str = "",
    published_on: date | None = None,
    language: str = "",
) -> RevisionOutcome:
    """Record `body` as the next revision of the article, of `kind` (models.RevisionKind),
    by `actor` (None: the operator), and re-anchor every claim of the article on it
    (claims_reanchor); nothing, when `body` is the article's current text. The article's
    own metadata stays the desk's; the revision keeps what came with the text.

    The caller checks who may: this is the one path by which an article's text changes.
    Raises ValidationError, storing nothing, for a text that is empty or unclean, or that is
    another article's current text.
    """
    body = normalise_newlines(body)
    if not body.strip():
        raise ValidationError({"body": "The article has no text."})
    revision = ArticleRevision(
        article_id=article_id,
        number=1,
        kind=kind,
        body=body,
        title=title.strip(),
        publisher=publisher.strip(),
        byline=byline.strip(),
        published_on=published_on,
        language=language.strip(),
        created_by=actor,
    )
    revision.full_clean(
        exclude=["article", "body_sha256", "created_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    revision.body_sha256 = body_digest(body)
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article_id)
        if article.body_sha256 == revision.body_sha256:
            return RevisionOutcome(article, None)
        latest = article.revisions.order_by("-number").values_list("number", flat=True).first()
        revision.number = (latest or 0) + 1
        revision.created_at = timezone.now()
        revision.save()
        article.body = body
        article.body_sha256 = revision.body_sha256
        article.current_revision = revision
        try:
            with transaction.atomic():
                article.save(update_fields=["body", "body_sha256", "current_revision"])
        except IntegrityError:
            holder = Article.objects.filter(body_sha256=revision.body_sha256).first()
            raise ValidationError(
                {
                    "body": f"The new text of article #{article.pk} is exactly the text of "
                    f"article #{holder.pk if holder else '?'}; nothing was recorded."
                }
            ) from None
        rows, sent_back = claims_reanchor(article=article, revision=revision, actor=actor)
        # Search reads the new text, and the quotes that changed with it; the new sentences
        # are matched against the published claims once this is committed.
        search_index_article(article)
        edited = [row.claim_id for row in rows if row.outcome == Outcome.EDITED]
        search_index_claims(Claim.objects.filter(pk__in=edited).select_related("claimant"))
        match_when_committed(article)
    return RevisionOutcome(article, revision, rows, sent_back)


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
                reason=placement.reason,
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
            if claim.status == Status.APPROVED and placement.outcome in LOST_WORDS:
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


def _event_comment(revision: ArticleRevision, row: Reanchoring) -> str:
    """One line for the claim's history: the revision, the outcome, and why."""
    arrived = timezone.localtime(revision.created_at).strftime("%Y-%m-%d %H:%M")
    head = (
        f"Revision {revision.number} of the article ({revision.get_kind_display().lower()}, "
        f"{arrived}): {row.get_outcome_display().lower()}"
    )
    if row.outcome == Outcome.EDITED:
        head += f'; the quote "{_short(row.old_quote)}" now reads "{_short(row.new_quote)}"'
    elif row.outcome == Outcome.ORPHANED:
        head += f'; "{_short(row.old_quote)}" was not found in the new text'
    return f"{head}. {row.reason}".strip()


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def article_check(
    *, article_id: int, actor: User | None, timeout: float | None = None
) -> RevisionOutcome:
    """Fetch the article's page again from its address (annotations.fetching, through
    services.articles.fetch_article) and record its text as a new revision if it changed,
    re-anchoring the claims; nothing when the text is the one already here.

    Editors and up (permissions.can_check_articles); `actor` None is the operator. Raises
    PermissionDenied before fetching anything; ValidationError on `url` for an article with
    no address, or a page that cannot be fetched or holds no article text, storing nothing.
    No transaction is held while the page is fetched, within `timeout` seconds at most
    (annotations.fetching.fetch).
    """
    if actor is not None and not permissions.can_check_articles(actor):
        raise PermissionDenied("Only editors, reviewers and admins can check articles.")
    address = Article.objects.filter(pk=article_id).values_list("source_url", flat=True).first()
    if address is None:
        raise Article.DoesNotExist("No such article.")
    if not address:
        raise ValidationError(
            {"url": f"Article #{article_id} has no address to check: it came from a file."}
        )
    data = fetch_article(address, timeout=timeout)
    return revision_record(
        article_id=article_id,
        body=data.body,
        kind=ArticleRevision.Kind.FETCH,
        actor=actor,
        **{name: getattr(data, name) for name in REVISION_METADATA_FIELDS},
    )


def article_edit_text(*, article_id: int, body: str, actor: User) -> RevisionOutcome:
    """An admin's correction of the article's text: a new revision (kind edit), the claims
    re-anchored on it. The revision carries the article's metadata as it stands."""
    if not permissions.can_import_articles(actor):
        raise PermissionDenied("Only admins can change an article's text.")
    article = Article.objects.get(pk=article_id)
    return revision_record(
        article_id=article_id,
        body=body,
        kind=ArticleRevision.Kind.EDIT,
        actor=actor,
        **{name: getattr(article, name) for name in REVISION_METADATA_FIELDS},
    )


NOT_ORPHANED = (
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
        raise Claim.DoesNotExist("No such claim.")
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
                "Only the claim's author or an admin can re-attach it, and not once it is "
                "rejected or retracted."
            )
        if locked.revision_id == current:
            raise Conflict(NOT_ORPHANED, current_version=locked.version)
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
                comment=f'Re-attached: "{_short(old_quote)}" is now "{_short(span.quote)}".',
                created_at=now,
            )
    return locked


def article_restore(
    *,
    title: str,
    source_url: str,
    publisher: str,
    byline: str,
    published_on: date | None,
    language: str,
    source_file: str,
    revisions: Sequence[ArticleRevision],
) -> ImportOutcome:
    """Store an article exported from a desk (annotations.native_import) with every revision
    of its text as it was (`revisions`: unsaved, numbered 1, 2, 3..., without their article;
    the last one's text is the article's). An article whose current text, or whose address,
    is here already is imported as any other text is (services.articles.article_import,
    kind restore): matched, or given that text as its next revision. Call inside the
    import's transaction. Raises ValidationError naming `revisions[N].field`."""
    numbers = [revision.number for revision in revisions]
    if not revisions or numbers != list(range(1, len(numbers) + 1)):
        raise ValidationError({"revisions": "Revisions must be numbered 1, 2, 3... in order."})
    latest = revisions[-1]
    fields: dict[str, Any] = {
        "title": title,
        "body": latest.body,
        "source_url": source_url,
        "publisher": publisher,
        "byline": byline,
        "published_on": published_on,
        "language": language,
        "source_file": source_file,
    }
    digest = body_digest(normalise_newlines(latest.body))
    taken = Article.objects.filter(body_sha256=digest).exists() or (
        source_url and Article.objects.filter(source_url=source_url).exists()
    )
    if taken:
        return article_import(**fields, kind=ArticleRevision.Kind.RESTORE)
    errors: dict[str, list[str]] = {}
    for index, revision in enumerate(revisions):
        revision.body_sha256 = body_digest(revision.body)
        try:
            revision.full_clean(
                exclude=["article", "created_by"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors[f"revisions[{index}].{name}"] = messages
    if errors:
        raise ValidationError(errors)
    article = Article(
        **fields,
        body_sha256=digest,
        imported_at=revisions[0].created_at,
        imported_by=revisions[0].created_by,
    )
    article.full_clean(validate_unique=False, validate_constraints=False)
    with transaction.atomic(savepoint=False):
        article.save()
        for revision in revisions:
            revision.article = article
        ArticleRevision.objects.bulk_create(revisions)
        article.current_revision = revisions[-1]
        article.save(update_fields=["current_revision"])
    return ImportOutcome(article, created=True)


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
            errors[place] = ["It names a revision of the article the file does not hold."]
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
            reason=data.get("reason", ""),
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
