"""Every write that matters: importing articles, creating and editing claims, moving them
through review, assigning review work, and managing roles.

HTML views, the API, the admin and the management commands all call these functions.
They check permissions (annotations.permissions), validate (raising ValidationError with
field names), and run in one transaction each, so a failure leaves nothing half-written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from annotations import claim_sql, permissions
from annotations.anchoring import normalise_newlines, span_in
from annotations.errors import InvalidTransition, StaleVersion
from annotations.models import Article, Claim, ReviewEvent, Source, Verdict
from annotations.roles import GROUP_PERMISSIONS, STAFF_ROLES, Role
from annotations.validators import validate_clean_text
from annotations.workflow import (
    COMMENT_REQUIRED,
    REVIEW_ACTIONS,
    Action,
    Status,
    TransitionNotAllowed,
    next_status,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# --- Articles -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportOutcome:
    article: Article
    created: bool


def body_digest(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def article_import(
    *,
    title: str,
    body: str,
    source_url: str = "",
    publisher: str = "",
    byline: str = "",
    published_on: date | None = None,
    language: str = "",
    imported_by: User | None = None,
    source_file: str = "",
) -> ImportOutcome:
    """Store an article, or return the one already holding the same text.

    The body is kept as given except that line endings become \\n. Text that differs from an
    article already imported from the same source_url is refused (revisions come later).
    """
    if imported_by is not None and not permissions.can_import_articles(imported_by):
        raise PermissionDenied("Only admins can import articles.")
    body = normalise_newlines(body)
    if not body.strip():
        raise ValidationError({"body": "The article has no text."})
    # Hashing encodes the text, which an unpaired surrogate would crash: check it first.
    try:
        validate_clean_text(body)
    except ValidationError as error:
        raise ValidationError({"body": error.messages}) from None
    title = title.strip() or body.strip().split("\n", 1)[0][:200]
    digest = body_digest(body)

    existing = Article.objects.filter(body_sha256=digest, revision_of=None).first()
    if existing is not None:
        return ImportOutcome(existing, created=False)
    if source_url:
        same_source = Article.objects.filter(source_url=source_url, revision_of=None).first()
        if same_source is not None:
            raise ValidationError(
                {
                    "body": f"Article #{same_source.pk} was already imported from {source_url} "
                    "with different text; importing a revision is not supported yet."
                }
            )
    article = Article(
        title=title,
        body=body,
        source_url=source_url,
        publisher=publisher.strip(),
        byline=byline.strip(),
        published_on=published_on,
        language=language.strip(),
        body_sha256=digest,
        imported_by=imported_by,
        source_file=source_file[:500],
    )
    article.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            article.save()
    except IntegrityError:
        # Another process imported the same text at the same moment.
        existing = Article.objects.filter(body_sha256=digest, revision_of=None).first()
        if existing is None:
            raise
        return ImportOutcome(existing, created=False)
    return ImportOutcome(article, created=True)


# --- Claims ---------------------------------------------------------------------------------

CLAIM_RELATIONS = ["article", "verdict", "author", "reviewer"]
# The related rows an answer about a claim shows (claim_sql.ANSWER_SHOWS), for select_related.
CLAIM_ANSWER_RELATIONS = tuple(name for name, _ in claim_sql.ANSWER_SHOWS)
CLAIM_CONTENT_FIELDS = ("claim_text", "claimant", "verdict", "rationale")
SOURCE_FIELDS = ("url", "title", "publisher", "accessed_on", "archive_url", "passage", "kind")


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
    # The related objects are instances already read: no need to query that they exist.
    claim.full_clean(exclude=CLAIM_RELATIONS, validate_constraints=False)
    source_rows = _validated_sources(sources)
    with transaction.atomic():
        claim.save()
        _store_sources(claim, source_rows)
        ReviewEvent.objects.create(
            claim=claim,
            actor=author,
            action=Action.CREATE,
            to_status=Status.DRAFT,
            created_at=now,
        )
        if submit:
            claim = claim_transition(
                claim=claim, actor=author, action=Action.SUBMIT, version=claim.version
            )
            # The transition re-read the claim under its lock; its sources are still these.
            claim_sql.keep_sources(claim, source_rows)
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
    their claim.

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
        # The relations are instances already read: no need to query that they exist.
        claim.full_clean(exclude=CLAIM_RELATIONS, validate_constraints=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        source_rows = _validated_sources(sources)
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
    # A restore runs inside the import's transaction: no savepoint per claim (two statements
    # each), since any failure there abandons the whole file anyway.
    with transaction.atomic(savepoint=False):
        claim.save()
        _store_sources(claim, source_rows)
        for event in history:
            event.claim = claim
        # History rows are only ever inserted: one query for all of them.
        ReviewEvent.objects.bulk_create(history)
    return claim


def claim_update(*, claim: Claim, actor: User, version: int, changes: Mapping[str, Any]) -> Claim:
    """Change a claim's content: any of claim_text, claimant, verdict, rationale, the span
    (start, end, optional quote) and sources (the whole list, replaced).

    Only the author may, and only while the claim is a draft or sent back for changes.
    Raises StaleVersion when `version` is not the claim's current version.
    """
    unknown = set(changes) - {*CLAIM_CONTENT_FIELDS, "start", "end", "quote", "sources"}
    if unknown:
        raise ValidationError({name: "This field cannot be changed." for name in sorted(unknown)})
    with transaction.atomic():
        locked = _lock(claim, version)
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
            span = span_in(
                locked.article.body,
                changes.get("start", locked.start),
                changes.get("end", locked.end),
                changes.get("quote"),
            )
            for name, value in asdict(span).items():
                setattr(locked, name, value)
        locked.full_clean(exclude=CLAIM_RELATIONS, validate_constraints=False)
        if "sources" in changes:
            rows = _validated_sources(changes["sources"])
            locked.sources.all().delete()
            _store_sources(locked, rows)
        locked.version += 1
        locked.updated_at = timezone.now()
        locked.save()
    return locked


def claim_delete(*, claim: Claim, actor: User, version: int) -> None:
    """Delete a draft. Anything that has been submitted stays, for the record."""
    with transaction.atomic():
        locked = _lock(claim, version)
        if not permissions.can_delete_claim(actor, locked):
            raise PermissionDenied(
                "Only the author can delete a claim, and only while it is a draft."
            )
        locked.delete()


TRANSITION_FIELDS = (
    "status",
    "reviewer",
    "assigned_at",
    "submitted_at",
    "published_at",
    "version",
    "updated_at",
)


def claim_transition(
    *, claim: Claim, actor: User, action: str, version: int, comment: str = ""
) -> Claim:
    """Move a claim through review (see workflow.TRANSITIONS) and record a ReviewEvent.

    Runs under SELECT ... FOR UPDATE on the claim, so of two decisions made at once on the
    same version exactly one wins; the other gets StaleVersion and changes nothing.

    Raises, changing nothing: StaleVersion (the claim moved on since `version`),
    PermissionDenied (the role rules, four eyes), InvalidTransition (not from this state, or
    another reviewer holds a live assignment), ValidationError (a missing or unusable comment,
    a claim not ready for review).
    """
    comment = _clean_comment(comment)
    with transaction.atomic():
        locked = _lock(claim, version)
        if not permissions.can_take_action(actor, locked, action):
            raise PermissionDenied(permissions.refusal_reason(actor, locked, action))
        try:
            target = next_status(locked.status, action)
        except TransitionNotAllowed as refusal:
            raise InvalidTransition(str(refusal), current_version=locked.version) from None
        if action in COMMENT_REQUIRED and not comment:
            raise ValidationError({"comment": "A comment is required to explain this decision."})
        if action == Action.SUBMIT:
            _check_ready_for_review(locked)
        if action in REVIEW_ACTIONS:
            holder = _live_assignee(locked)
            if holder is not None and holder != actor.pk:
                raise InvalidTransition(
                    "Another reviewer has taken this claim; it returns to the queue if they "
                    "do not act on it.",
                    current_version=locked.version,
                )

        now = timezone.now()
        source_status = locked.status
        locked.status = target
        locked.assigned_at = None
        if action == Action.SUBMIT:
            locked.submitted_at = now
            locked.reviewer = None
        elif action in (Action.WITHDRAW, Action.REOPEN):
            locked.reviewer = None
            locked.published_at = None
            if action == Action.REOPEN:
                locked.submitted_at = now
        else:
            locked.reviewer = actor
            locked.published_at = now if target == Status.APPROVED else None
        locked.version += 1
        locked.updated_at = now
        # Only what a transition changes: the claim's text is not written again.
        locked.save(update_fields=TRANSITION_FIELDS)
        ReviewEvent.objects.create(
            claim=locked,
            actor=actor,
            action=action,
            from_status=source_status,
            to_status=target,
            comment=comment,
            created_at=now,
        )
    return locked


def review_next(
    *,
    reviewer: User,
    article_id: int | None = None,
    verdict_id: int | None = None,
    author_id: int | None = None,
) -> Claim | None:
    """Give `reviewer` the oldest submitted claim nobody holds (and not their own).

    A claim the reviewer already holds comes first. On PostgreSQL the candidate row is taken
    with FOR UPDATE SKIP LOCKED, so reviewers asking at the same instant get distinct claims;
    on SQLite the IMMEDIATE transaction's write lock serialises them.
    """
    if not permissions.is_reviewer(reviewer):
        raise PermissionDenied("Only reviewers and admins take claims from the review queue.")
    now = timezone.now()
    with transaction.atomic():
        # Asked on every "next" and rarely true: the id only.
        held_id = claim_sql.held_claim_id(reviewer_id=reviewer.pk, cutoff=lease_cutoff(now))
        if held_id is not None:
            # None if it was deleted in between: then the reviewer gets a claim from the queue.
            held = claim_sql.claim_by_id(held_id)
            if held is not None:
                return held
        claim = claim_sql.next_free_claim(
            reviewer_id=reviewer.pk,
            cutoff=lease_cutoff(now),
            article_id=article_id,
            verdict_id=verdict_id,
            author_id=author_id,
        )
        if claim is None:
            return None
        claim.reviewer = reviewer
        claim.assigned_at = now
        claim.save(update_fields=["reviewer", "assigned_at"])
    return claim


def review_release(*, claim: Claim, reviewer: User) -> bool:
    """Hand a claim the reviewer holds back to the queue. False when they did not hold it
    (never taken, already decided, or the lease ran out and someone else took it)."""
    released = Claim.objects.filter(
        pk=claim.pk, reviewer=reviewer, status=Status.SUBMITTED, assigned_at__isnull=False
    ).update(reviewer=None, assigned_at=None)
    return released > 0


def lease_cutoff(now: datetime | None = None) -> datetime:
    """Assignments made before this moment have expired."""
    now = now or timezone.now()
    return now - timedelta(minutes=settings.FACTCHECK_REVIEW_LEASE_MINUTES)


MAX_COMMENT_LENGTH = 10_000


def _clean_comment(comment: str) -> str:
    if not isinstance(comment, str):
        raise ValidationError({"comment": "The comment must be text."})
    comment = comment.strip()
    if len(comment) > MAX_COMMENT_LENGTH:
        raise ValidationError(
            {"comment": f"Keep the comment under {MAX_COMMENT_LENGTH} characters."}
        )
    try:
        validate_clean_text(comment)
    except ValidationError as error:
        raise ValidationError({"comment": error.messages}) from None
    return comment


def _live_assignee(claim: Claim) -> int | None:
    if claim.reviewer_id and claim.assigned_at and claim.assigned_at >= lease_cutoff():
        return claim.reviewer_id
    return None


def _lock(claim: Claim, version: int) -> Claim:
    """Re-read the claim under a row lock and check the version the caller saw."""
    locked = claim_sql.locked_claim(claim.pk)
    if locked is None:
        raise Claim.DoesNotExist("The claim was deleted.")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ValidationError({"version": "version must be a whole number."})
    if locked.version != version:
        raise StaleVersion(sent=version, current=locked.version)
    return locked


def _check_ready_for_review(claim: Claim) -> None:
    missing = {}
    if claim.verdict_id is None:
        missing["verdict"] = "Choose a verdict before submitting for review."
    if not claim.rationale:
        missing["rationale"] = "Write the rationale before submitting for review."
    if missing:
        raise ValidationError(missing)


def _validated_sources(sources: Iterable[Mapping[str, Any]]) -> list[Source]:
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
    # What was just written is what claim.sources.all() would read back: keep it, so that
    # answering with the claim costs no further query.
    claim_sql.keep_sources(claim, rows)


# --- Users and roles ------------------------------------------------------------------------


def verdicts_ensure() -> None:
    """Give an empty verdict scale the default steps (a new database, or one emptied by a
    flush); a scale that has any verdict is left as the admins made it."""
    from annotations.defaults import DEFAULT_SCALE

    if Verdict.objects.exists():
        return
    Verdict.objects.bulk_create(
        Verdict(label=label, slug=slug, rating=rating, colour=colour, description=text, order=order)
        for order, (label, slug, rating, colour, text) in enumerate(DEFAULT_SCALE)
    )


def roles_ensure() -> None:
    """Create the role groups with their model permissions (idempotent; runs after migrate)."""
    for role, perms in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in perms
        ]
        group.permissions.set(wanted)


def user_set_role(*, user: User, role: Role | None) -> User:
    """Give `user` exactly one role (or none). Reviewers and admins may enter Django's admin."""
    with transaction.atomic():
        role_groups = Group.objects.filter(name__in=Role.values)
        user.groups.remove(*role_groups)
        if role is not None:
            user.groups.add(Group.objects.get(name=role))
        user.is_staff = user.is_superuser or role in STAFF_ROLES
        user.save(update_fields=["is_staff"])
    permissions.forget_role(user)
    return user


def user_ensure(*, username: str) -> tuple[User, bool]:
    """The user called `username`, and whether it had to be created.

    A missing user is created without a usable password and without a role: restored work
    names people who may never sign in here, and they gain nothing by being named.
    """
    user_model = get_user_model()
    existing = user_model.objects.filter(username=username).first()
    if existing is not None:
        return existing, False
    user = user_model(username=username)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user, True


def user_create_or_update(
    *, username: str, password: str | None, role: Role | None, check_password: bool = True
) -> tuple[User, bool]:
    """Create a user with `role`, or change an existing user's role (and password, if given).

    The password must pass the configured validators unless check_password is False (demo
    accounts, whose password the operator chose for a local trial).
    """
    user_model = get_user_model()
    with transaction.atomic():
        user, created = user_model.objects.get_or_create(username=username)
        if password:
            from django.contrib.auth.password_validation import validate_password

            if check_password:
                validate_password(password, user)
            user.set_password(password)
            user.save(update_fields=["password"])
        elif created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        user_set_role(user=user, role=role)
    return user, created
