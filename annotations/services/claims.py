"""Claims: creating, restoring (from a native export), editing and deleting them. Their
sources and the versions of their content: services.sources."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from annotations import permissions
from annotations.anchoring import span_in
from annotations.errors import Conflict
from annotations.models import (
    Article,
    ArticleRevision,
    Claim,
    Claimant,
    ClaimVersion,
    ReviewEvent,
    Source,
    Verdict,
)
from annotations.services.claimants import claimant_for_name, validate_claimant_name
from annotations.services.review import claim_transition, lock_claim
from annotations.services.search import search_index_claims
from annotations.services.sources import (
    record_changed_version,
    record_first_version,
    replace_sources,
    source_titles,
    store_sources,
    validated_sources,
)
from annotations.workflow import Action, Status

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Foreign keys the services set from instances already read: full_clean need not query them.
CLAIM_RELATIONS = ["article", "revision", "verdict", "author", "reviewer", "claimant"]
CLAIM_CONTENT_FIELDS = ("claim_text", "claimant", "verdict", "rationale")


def claim_create(
    *,
    author: User,
    article: Article,
    start: int,
    end: int,
    quote: str | None = None,
    claim_text: str = "",
    claimant: str | Claimant | None = "",
    claimant_kind: str = "",
    verdict: Verdict | None = None,
    rationale: str = "",
    sources: Iterable[Mapping[str, Any]] = (),
    submit: bool = False,
    repeat_of: Claim | None = None,
) -> Claim:
    """Create a draft claim on article.body[start:end] (code points) with its sources.

    `quote`, when given, must equal the article text at that span. With submit=True the
    claim goes straight to the review queue (the same rules as claim_transition apply).
    `repeat_of` is the published fact-check this claim repeats; any other claim is refused.
    `claimant` is a Claimant, or a name: the claimant of that name, or a new one of
    `claimant_kind` (services.claimants.claimant_for_name).
    """
    if not permissions.can_create_claim(author):
        raise PermissionDenied(_("Only editors, reviewers and admins can create claims."))
    span = span_in(article.body, start, end, quote)
    if repeat_of is not None and not repeat_of.is_published:
        raise ValidationError({"repeat_of": _("Only a published claim can be repeated.")})
    now = timezone.now()
    claim = Claim(
        article=article,
        # The text just checked is the article's as read with this revision.
        revision_id=_revision_of(article),
        **asdict(span),
        claim_text=claim_text.strip() or span.quote.strip(),
        verdict=verdict,
        rationale=rationale.strip(),
        repeat_of=repeat_of,
        author=author,
        created_at=now,
        updated_at=now,
    )
    _read_revision(claim, article)
    claim.full_clean(exclude=CLAIM_RELATIONS, validate_constraints=False)
    source_rows = validated_sources(sources)
    with transaction.atomic():
        claim.claimant = claimant_for_name(name=claimant, kind=claimant_kind, actor=author, at=now)
        claim.save()
        store_sources(claim, source_rows)
        search_index_claims([claim], titles=source_titles(claim, source_rows))
        record_first_version(claim, author=author, at=now, sources=source_rows)
        ReviewEvent.objects.create(
            claim=claim, actor=author, action=Action.CREATE, to_status=Status.DRAFT, created_at=now
        )
        if submit:
            claim = claim_transition(
                claim_id=claim.pk, actor=author, action=Action.SUBMIT, version=claim.version
            )
    return claim


def claim_restore(
    *,
    article: Article,
    author: User,
    start: int,
    end: int,
    quote: str,
    claim_text: str,
    status: str,
    created_at: datetime,
    updated_at: datetime,
    claimant: str | Claimant = "",
    verdict: Verdict | None = None,
    rationale: str = "",
    reviewer: User | None = None,
    version: int = 1,
    submitted_at: datetime | None = None,
    published_at: datetime | None = None,
    sources: Sequence[Mapping[str, Any]] = (),
    history: Sequence[ReviewEvent] = (),
    versions: Sequence[ClaimVersion] = (),
    revision: ArticleRevision | None = None,
) -> Claim:
    """Store a claim exported from a desk (annotations.native_import): a restore, not a
    replay, so its status, reviewer, version, dates and history are kept as they were.
    `history` holds the claim's ReviewEvents and `versions` its ClaimVersions as they
    happened elsewhere, unsaved and without their claim; without versions (a file written
    before they were kept) the claim's content as exported becomes its one version, by its
    author at its last update. Sources' ids name them where they were exported: the sources
    get new ones here, and the versions' sources follow them (those the claim no longer has
    lose theirs). Call inside the import's transaction.

    The span must be exactly `quote` in the article (a span that is not is refused on its
    own, first). Otherwise raises ValidationError naming every field at fault at once, those
    of the history as `history[N].field`. `revision` is the revision of `article` the span
    points into (default: its current one).
    """
    span = span_in(article.body if revision is None else revision.body, start, end, quote)
    claim = Claim(
        article=article,
        revision_id=_revision_of(article) if revision is None else revision.pk,
        **asdict(span),
        claim_text=claim_text,
        verdict=verdict,
        rationale=rationale,
        status=status,
        author=author,
        reviewer=reviewer,
        version=version,
        created_at=created_at,
        updated_at=updated_at,
        submitted_at=submitted_at,
        published_at=published_at,
    )
    errors: dict[str, list[str]] = {}
    source_rows: list[Source] = []
    try:
        claim.full_clean(exclude=CLAIM_RELATIONS, validate_constraints=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        if isinstance(claimant, str):
            validate_claimant_name(claimant)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        source_rows = validated_sources(
            {k: v for k, v in source.items() if k != "id"} for source in sources
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    for number, event in enumerate(history):
        try:
            event.full_clean(exclude=["claim", "actor"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors[f"history[{number}].{name}"] = messages
    for number, kept in enumerate(versions):
        try:
            kept.full_clean(exclude=["claim", "author", "verdict"], validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors[f"versions[{number}].{name}"] = messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(savepoint=False):
        claim.claimant = claimant_for_name(name=claimant, actor=None, at=created_at)
        claim.save()
        store_sources(claim, source_rows)
        search_index_claims([claim], titles=source_titles(claim, source_rows))
        for event in history:
            event.claim = claim
        ReviewEvent.objects.bulk_create(history)
        if versions:
            exported_ids = [source.get("id") for source in sources]
            new_ids = {old: row.pk for old, row in zip(exported_ids, source_rows, strict=True)}
            for kept in versions:
                kept.claim = claim
                kept.sources = [{**s, "id": new_ids.get(s.get("id"))} for s in kept.sources]
            ClaimVersion.objects.bulk_create(versions)
        else:
            record_first_version(claim, author=author, at=updated_at, sources=source_rows)
    return claim


def claim_update(*, claim_id: int, actor: User, version: int, changes: Mapping[str, Any]) -> Claim:
    """Change a claim's content: any of claim_text, claimant, verdict, rationale, the span
    (start, end, optional quote) and sources. What `changes` leaves out is kept. `sources`
    replaces the list: an item carrying the `id` of one of the claim's sources updates that
    source, keeping the fields the item leaves out; an item without one adds a source; a
    source left out of the list goes. A change of the content records a ClaimVersion.

    Only the author may, and only while the claim is a draft or sent back for changes.
    Raises StaleVersion when `version` is not the claim's current version.
    """
    unknown = set(changes) - {
        *CLAIM_CONTENT_FIELDS,
        "claimant_kind",
        "start",
        "end",
        "quote",
        "sources",
    }
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be changed.") for name in sorted(unknown)}
        )
    with transaction.atomic():
        locked = lock_claim(claim_id=claim_id, actor=actor, version=version)
        if not permissions.can_edit_claim(actor, locked):
            raise PermissionDenied(
                _(
                    "Only the author can change this claim, and only while it is a draft "
                    "or has changes requested."
                )
            )
        if "claimant" in changes:
            locked.claimant = claimant_for_name(
                name=changes["claimant"], kind=changes.get("claimant_kind", ""), actor=actor
            )
        for name in CLAIM_CONTENT_FIELDS:
            if name in changes and name != "claimant":
                value = changes[name]
                setattr(locked, name, value.strip() if isinstance(value, str) else value)
        if "claim_text" in changes and not locked.claim_text:
            raise ValidationError({"claim_text": _("The claim must not be empty.")})
        if {"start", "end", "quote"} & set(changes):
            # Only a span that moves needs the body, which may be megabytes.
            body, current = Article.objects.values_list("body", "current_revision_id").get(
                pk=locked.article_id
            )
            # A span given anew points into the current text, whatever revision the old one
            # pointed into (an orphaned claim is re-attached so).
            locked.revision_id = current
            span = span_in(
                body,
                changes.get("start", locked.start),
                changes.get("end", locked.end),
                changes.get("quote"),
            )
            for name, value in asdict(span).items():
                setattr(locked, name, value)
        locked.full_clean(exclude=CLAIM_RELATIONS, validate_constraints=False)
        if "sources" in changes:
            kept = {source.pk: source for source in locked.sources.all()}
            rows = validated_sources(changes["sources"], kept=kept)
            replace_sources(locked, rows, kept)
        locked.version += 1
        locked.updated_at = timezone.now()
        locked.save()
        search_index_claims([locked])
        record_changed_version(locked, author=actor, at=locked.updated_at)
    return locked


def claim_delete(*, claim_id: int, actor: User, version: int) -> None:
    """Delete a draft that was never submitted, with its creation event and versions.
    Anything once submitted stays, for the record (an admin may retract it): PermissionDenied,
    and the database refuses too (its guard on the record), a Conflict here."""
    with transaction.atomic():
        locked = lock_claim(claim_id=claim_id, actor=actor, version=version)
        if not permissions.can_delete_claim(actor, locked):
            if locked.was_submitted and permissions.is_author(actor, locked):
                raise PermissionDenied(
                    _(
                        "This claim was submitted for review once, so it is part of the "
                        "record and cannot be deleted: edit and resubmit it, or ask an admin "
                        "to retract it."
                    )
                )
            raise PermissionDenied(
                _(
                    "Only the author can delete a claim, and only while it is a draft that "
                    "was never submitted."
                )
            )
        try:
            with transaction.atomic():
                locked.delete()
        except IntegrityError:
            raise Conflict(
                _(
                    "This claim's history holds more than its creation, so it is part of the "
                    "record and cannot be deleted."
                ),
                current_version=locked.version,
            ) from None


def _revision_of(article: Article) -> int:
    """The id of the article's current revision, whose text article.body is."""
    if article.current_revision_id is None:
        raise ValidationError({"article": _("This article has no text recorded yet.")})
    return article.current_revision_id


def _read_revision(claim: Claim, article: Article) -> None:
    """Give `claim` the revision object `article` was read with, if it was (the answer
    shows its number), so that no query reads it again."""
    if Article.current_revision.is_cached(article) and article.current_revision is not None:
        claim.revision = article.current_revision
