"""Claims: creating, restoring (from a native export), editing and deleting them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from annotations import permissions
from annotations.anchoring import span_in
from annotations.models import Article, Claim, ReviewEvent, Source, Verdict
from annotations.outputs import SOURCE_FIELDS
from annotations.services.review import claim_transition, lock_claim
from annotations.workflow import Action, Status

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Foreign keys the services set from instances already read: full_clean need not query them.
CLAIM_RELATIONS = ["article", "verdict", "author", "reviewer"]
CLAIM_CONTENT_FIELDS = ("claim_text", "claimant", "verdict", "rationale")


def claim_create(
    *,
    author: User,
    article: Article,
    start: int,
    end: int,
    quote: str | None = None,
    claim_text: str = "",
    claimant: str = "",
    verdict: Verdict | None = None,
    rationale: str = "",
    sources: Iterable[Mapping[str, Any]] = (),
    submit: bool = False,
) -> Claim:
    """Create a draft claim on article.body[start:end] (code points) with its sources.

    `quote`, when given, must equal the article text at that span. With submit=True the
    claim goes straight to the review queue (the same rules as claim_transition apply).
    """
    if not permissions.can_create_claim(author):
        raise PermissionDenied("Only editors, reviewers and admins can create claims.")
    span = span_in(article.body, start, end, quote)
    now = timezone.now()
    claim = Claim(
        article=article,
        **asdict(span),
        claim_text=claim_text.strip() or span.quote.strip(),
        claimant=claimant.strip(),
        verdict=verdict,
        rationale=rationale.strip(),
        author=author,
        created_at=now,
        updated_at=now,
    )
    claim.full_clean(exclude=CLAIM_RELATIONS, validate_constraints=False)
    source_rows = validated_sources(sources)
    with transaction.atomic():
        claim.save()
        _store_sources(claim, source_rows)
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
    claimant: str = "",
    verdict: Verdict | None = None,
    rationale: str = "",
    reviewer: User | None = None,
    version: int = 1,
    submitted_at: datetime | None = None,
    published_at: datetime | None = None,
    sources: Iterable[Mapping[str, Any]] = (),
    history: Sequence[ReviewEvent] = (),
) -> Claim:
    """Store a claim exported from a desk (annotations.native_import): a restore, not a
    replay, so its status, reviewer, version, dates and history are kept as they were.
    `history` holds the claim's ReviewEvents as they happened elsewhere, unsaved and without
    their claim. Call inside the import's transaction.

    The span must be exactly `quote` in the article (a span that is not is refused on its
    own, first). Otherwise raises ValidationError naming every field at fault at once, those
    of the history as `history[N].field`.
    """
    span = span_in(article.body, start, end, quote)
    claim = Claim(
        article=article,
        **asdict(span),
        claim_text=claim_text,
        claimant=claimant,
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
        source_rows = validated_sources(sources)
    except ValidationError as error:
        errors.update(error.message_dict)
    for number, event in enumerate(history):
        try:
            event.full_clean(exclude=["claim", "actor"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors[f"history[{number}].{name}"] = messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(savepoint=False):
        claim.save()
        _store_sources(claim, source_rows)
        for event in history:
            event.claim = claim
        ReviewEvent.objects.bulk_create(history)
    return claim


def claim_update(*, claim_id: int, actor: User, version: int, changes: Mapping[str, Any]) -> Claim:
    """Change a claim's content: any of claim_text, claimant, verdict, rationale, the span
    (start, end, optional quote) and sources (the whole list, replaced).

    Only the author may, and only while the claim is a draft or sent back for changes.
    Raises StaleVersion when `version` is not the claim's current version.
    """
    unknown = set(changes) - {*CLAIM_CONTENT_FIELDS, "start", "end", "quote", "sources"}
    if unknown:
        raise ValidationError({name: "This field cannot be changed." for name in sorted(unknown)})
    with transaction.atomic():
        locked = lock_claim(claim_id=claim_id, actor=actor, version=version)
        if not permissions.can_edit_claim(actor, locked):
            raise PermissionDenied(
                "Only the author can change this claim, and only while it is a draft "
                "or has changes requested."
            )
        for name in CLAIM_CONTENT_FIELDS:
            if name in changes:
                value = changes[name]
                setattr(locked, name, value.strip() if isinstance(value, str) else value)
        if "claim_text" in changes and not locked.claim_text:
            raise ValidationError({"claim_text": "The claim must not be empty."})
        if {"start", "end", "quote"} & set(changes):
            # Only a span that moves needs the body, which may be megabytes.
            body = Article.objects.values_list("body", flat=True).get(pk=locked.article_id)
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
            rows = validated_sources(changes["sources"])
            locked.sources.all().delete()
            _store_sources(locked, rows)
        locked.version += 1
        locked.updated_at = timezone.now()
        locked.save()
    return locked


def claim_delete(*, claim_id: int, actor: User, version: int) -> None:
    """Delete a draft. Anything that has been submitted stays, for the record."""
    with transaction.atomic():
        locked = lock_claim(claim_id=claim_id, actor=actor, version=version)
        if not permissions.can_delete_claim(actor, locked):
            raise PermissionDenied(
                "Only the author can delete a claim, and only while it is a draft."
            )
        locked.delete()


def validated_sources(sources: Iterable[Mapping[str, Any]]) -> list[Source]:
    """Unsaved Sources, in the order given, or ValidationError naming each bad one."""
    rows: list[Source] = []
    errors: list[str] = []
    for number, data in enumerate(sources, start=1):
        unknown = set(data) - set(SOURCE_FIELDS)
        if unknown:
            errors.append(f"Source {number}: unknown field(s) {', '.join(sorted(unknown))}.")
            continue
        values = {
            k: (v.strip() if isinstance(v, str) and k != "url" else v) for k, v in data.items()
        }
        source = Source(position=number - 1, **values)
        try:
            source.full_clean(exclude=["claim"], validate_constraints=False)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.extend(f"Source {number}, {field}: {message}" for message in messages)
            continue
        rows.append(source)
    if errors:
        raise ValidationError({"sources": errors})
    return rows


def _store_sources(claim: Claim, rows: list[Source]) -> None:
    for source in rows:
        source.claim = claim
    Source.objects.bulk_create(rows)
