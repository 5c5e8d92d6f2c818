"""The three export formats, as pure functions of the models that yield JSON text in chunks.

- native: factcheck's own versioned format (annotations/schemas/native-v1.schema.json), with
  everything needed to restore the claims elsewhere (annotations.native_import reads it back).
- claimreview: a JSON array of schema.org ClaimReview objects, one per claim (JSON-LD).
- webannotation: a W3C Web Annotation AnnotationCollection (JSON-LD), one annotation per claim.

Each `*_chunks` generator streams the claims in document order, a chunk at a time with
their sources and history (with_sources_and_events), so the number of queries grows with the
number of chunks, not of claims, and no more than a chunk is held in memory. Callers (the
API view, the export_claims command) write each chunk out as it comes.

docs/export-formats.md documents the formats with examples.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

import orjson
from django.conf import settings
from django.db.models import Max, Min, QuerySet
from django.utils import timezone

from annotations.models import CLAIM_DOCUMENT_ORDER, Article, Claim, ReviewEvent, Source, Verdict
from annotations.services import SOURCE_FIELDS
from annotations.workflow import Status
from factcheck.db import id_list

NATIVE_FORMAT = "factcheck-native"
NATIVE_VERSION = 1
SCHEMA_ORG_CONTEXT = "https://schema.org"
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"

FORMATS = ("native", "claimreview", "webannotation")
CONTENT_TYPES = {
    "native": "application/json",
    "claimreview": "application/ld+json",
    "webannotation": 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
}
FILE_SUFFIXES = {"native": "json", "claimreview": "jsonld", "webannotation": "jsonld"}
# Claims per database round trip: large enough to keep queries few, small enough that
# memory stays flat however many claims there are. 1,000 exported 10,000 claims in about
# three quarters of the time 500 took; 2,000 was no faster.
CHUNK_SIZE = 1000
# Articles per round trip in the native format, which carries their bodies: a body may be
# megabytes, and an export has far fewer articles than claims.
ARTICLE_CHUNK_SIZE = 20


# --- Selecting the claims -----------------------------------------------------------------


class ExportRequestError(ValueError):
    """A bad format, status or article filter. `field` names the parameter at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def parse_statuses(raw: str | None) -> tuple[str, ...]:
    """`approved` when empty; `all`; or a comma-separated list of review states."""
    if raw is None or not raw.strip():
        return (Status.APPROVED,)
    if raw.strip() == "all":
        return tuple(Status.values)
    wanted = [part.strip() for part in raw.split(",") if part.strip()]
    unknown = [part for part in wanted if part not in Status.values]
    if unknown or not wanted:
        raise ExportRequestError(
            "status",
            f"Unknown status {', '.join(unknown) or raw!r}: use all or one or more of "
            f"{', '.join(Status.values)}, separated by commas.",
        )
    return tuple(dict.fromkeys(wanted))


def parse_format(raw: str | None) -> str:
    if raw is None or not raw.strip():
        return "native"
    if raw not in FORMATS:
        raise ExportRequestError(
            "format", f"Unknown format {raw!r}: use one of {', '.join(FORMATS)}."
        )
    return raw


def parse_article(raw: str | int | None) -> Article | None:
    if raw is None or raw == "":
        return None
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        raise ExportRequestError(
            "article", f"article must be an article id, not {raw!r}."
        ) from None
    article = Article.objects.filter(pk=pk).first()
    if article is None:
        raise ExportRequestError("article", f"There is no article #{pk}.")
    return article


def claims_for_export(
    *,
    statuses: Sequence[str] = (Status.APPROVED,),
    article: Article | None = None,
    within: QuerySet[Claim] | None = None,
) -> QuerySet[Claim]:
    """The claims in `statuses` (of `article`, if given), in document order; what the formats
    read of them is loaded by with_sources_and_events. Permission checks are the caller's (see
    permissions.can_see_unpublished); `within` confines the export to a selector's scope
    (selectors.claims_visible_to), so nobody exports a draft that is not theirs. Without it
    every claim counts, which only the operator's command may ask for."""
    claims = (
        (within if within is not None else Claim.objects.all())
        .filter(status__in=list(statuses))
        # Article, verdict, users, sources and history: see with_sources_and_events.
        .order_by(*CLAIM_DOCUMENT_ORDER)
    )
    if article is not None:
        claims = claims.filter(article=article)
    return claims


class _Loaded(list[Any]):
    """Related rows loaded in bulk, answering `.all()` as a related manager does, so that the
    format functions read `claim.sources.all()` the same from a model and from a row."""

    def all(self) -> _Loaded:
        return self


_CLAIM_COLUMNS = (
    "id",
    "article_id",
    "start",
    "end",
    "quote",
    "prefix",
    "suffix",
    "claim_text",
    "claimant",
    "verdict_id",
    "rationale",
    "status",
    "author_id",
    "reviewer_id",
    "version",
    "created_at",
    "updated_at",
    "submitted_at",
    "published_at",
)
_EVENT_COLUMNS = ("action", "from_status", "to_status", "comment", "created_at")


class ClaimRow:
    """A claim as the format functions read it (the attributes of Claim they use), built from
    a plain row: article, verdict and users are shared instances, sources and history plain
    rows. Building a model instance per claim was a third of an export's time."""

    __slots__ = (
        *_CLAIM_COLUMNS,
        "pk",
        "article",
        "verdict",
        "author",
        "reviewer",
        "sources",
        "events",
    )
    id: int
    pk: int
    article_id: int
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str
    claim_text: str
    claimant: str
    verdict_id: int | None
    rationale: str
    status: str
    author_id: int
    reviewer_id: int | None
    version: int
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    published_at: datetime | None
    article: Article
    verdict: Verdict | None
    author: Any
    reviewer: Any
    sources: _Loaded
    events: _Loaded

    def __init__(self, values: Sequence[Any]) -> None:
        # One assignment in _CLAIM_COLUMNS' order: a third of the time of a setattr loop.
        (
            self.id,
            self.article_id,
            self.start,
            self.end,
            self.quote,
            self.prefix,
            self.suffix,
            self.claim_text,
            self.claimant,
            self.verdict_id,
            self.rationale,
            self.status,
            self.author_id,
            self.reviewer_id,
            self.version,
            self.created_at,
            self.updated_at,
            self.submitted_at,
            self.published_at,
        ) = values
        self.pk = self.id
        self.sources = self.events = _Loaded()


def with_sources_and_events(claims: QuerySet[Claim], *, rows: bool = True) -> Iterator[ClaimRow]:
    """The claims, read CHUNK_SIZE at a time as ClaimRows, with article, verdict, author,
    reviewer, sources and history in place.

    Two queries per chunk (sources and history, by the chunk's claim ids) plus one per batch
    of articles and users not met before, so the number of queries grows with the number of
    chunks, never with the number of claims. Looking them up by id, rather than reading them
    in one sorted stream beside the claims, means a claim changed during the export (moved
    or decided) still comes with its own sources and history. rows=False leaves sources and
    history out (ClaimReview does not show them).
    """
    related = _RelatedCache(rows=rows)
    batch: list[ClaimRow] = []
    values = claims.select_related(None).prefetch_related(None).values_list(*_CLAIM_COLUMNS)
    for row in values.iterator(CHUNK_SIZE):
        batch.append(ClaimRow(row))
        if len(batch) == CHUNK_SIZE:
            yield from related.attach(batch)
            batch = []
    if batch:
        yield from related.attach(batch)


class _RelatedCache:
    """Articles, verdicts and users, each read once per export and shared by the claims; and
    each chunk's sources and history."""

    def __init__(self, *, rows: bool) -> None:
        self.rows = rows
        self.verdicts = Verdict.objects.in_bulk()
        self.articles: dict[int, Article] = {}
        self.users: dict[int, Any] = {}

    def attach(self, claims: list[ClaimRow]) -> list[ClaimRow]:
        from django.contrib.auth import get_user_model

        new_articles = {c.article_id for c in claims} - self.articles.keys()
        if new_articles:
            # Bodies may be megabytes each: the native format reads them separately.
            self.articles.update(Article.objects.defer("body").in_bulk(new_articles))
        user_ids = {c.author_id for c in claims} | {c.reviewer_id for c in claims if c.reviewer_id}
        sources: dict[int, _Loaded] = {}
        events: dict[int, _Loaded] = {}
        history: list[tuple[Any, ...]] = []
        if self.rows:
            ids = id_list([claim.pk for claim in claims])
            history = list(
                ReviewEvent.objects.filter(claim_id__in=ids)
                .order_by("claim_id", "created_at", "id")
                .values_list("claim_id", "actor_id", *_EVENT_COLUMNS)
            )
            user_ids |= {row[1] for row in history}
            for claim_id, *values in (
                Source.objects.filter(claim_id__in=ids)
                .order_by("claim_id", "position", "id")
                .values_list("claim_id", *SOURCE_FIELDS)
            ):
                sources.setdefault(claim_id, _Loaded()).append(
                    SimpleNamespace(**dict(zip(SOURCE_FIELDS, values, strict=True)))
                )
        new_users = user_ids - self.users.keys()
        if new_users:
            self.users.update(get_user_model().objects.in_bulk(new_users))
        for claim_id, actor_id, *values in history:
            events.setdefault(claim_id, _Loaded()).append(
                SimpleNamespace(
                    actor=self.users[actor_id], **dict(zip(_EVENT_COLUMNS, values, strict=True))
                )
            )
        for claim in claims:
            claim.article = self.articles[claim.article_id]
            claim.verdict = self.verdicts.get(claim.verdict_id) if claim.verdict_id else None
            claim.author = self.users[claim.author_id]
            claim.reviewer = self.users[claim.reviewer_id] if claim.reviewer_id else None
            claim.sources = sources.get(claim.pk, _Loaded())
            claim.events = events.get(claim.pk, _Loaded())
        return claims


# --- Shared shapes ------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingScale:
    """The numeric part of the verdict scale: ClaimReview's bestRating and worstRating."""

    best: int | None
    worst: int | None

    @classmethod
    def current(cls) -> RatingScale:
        bounds = Verdict.objects.filter(rating__isnull=False).aggregate(
            best=Max("rating"), worst=Min("rating")
        )
        return cls(best=bounds["best"], worst=bounds["worst"])


def public_claim_url(claim_id: int) -> str:
    return f"{settings.FACTCHECK_PUBLIC_BASE_URL}/claims/{claim_id}/"


def article_url(article: Article) -> str:
    """Where the article lives: its own URL when it has one, else its page on the desk."""
    return article.source_url or f"{settings.FACTCHECK_PUBLIC_BASE_URL}/articles/{article.pk}/"


def _in_utc(moment: datetime | date | None) -> datetime | date | None:
    """A date, or a datetime in UTC, for _dumps to write (RFC 3339, UTC as Z): orjson writes
    them in C, where formatting in Python took a tenth of an export's time."""
    if isinstance(moment, datetime) and moment.tzinfo is not UTC:
        return moment.astimezone(UTC)
    return moment


def _day(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).date().isoformat()


def _dumps(value: Any) -> str:
    # orjson: the standard library's encoder was a fifth of an export's time.
    return orjson.dumps(value, option=orjson.OPT_UTC_Z).decode()


def in_blocks(chunks: Iterable[str], size: int = 64 * 1024) -> Iterator[bytes]:
    """The chunks joined into blocks of about `size` bytes: one write to the socket per block
    rather than one per claim, and still only a block in memory at a time."""
    pending: list[str] = []
    length = 0
    for chunk in chunks:
        pending.append(chunk)
        length += len(chunk)
        if length >= size:
            yield "".join(pending).encode()
            pending, length = [], 0
    if pending:
        yield "".join(pending).encode()


def _array_items(items: Iterable[Any], indent: str = "") -> Iterator[str]:
    """The elements of a JSON array, one per line, separated by commas (no brackets)."""
    separator = ""
    for item in items:
        yield f"{separator}\n{indent}{_dumps(item)}"
        separator = ","


# --- ClaimReview ----------------------------------------------------------------------------


def claim_review(claim: Claim | ClaimRow, scale: RatingScale) -> dict[str, Any]:
    """One schema.org ClaimReview for `claim` (expects article and verdict loaded)."""
    review: dict[str, Any] = {
        "@context": SCHEMA_ORG_CONTEXT,
        "@type": "ClaimReview",
        "url": public_claim_url(claim.pk),
        "claimReviewed": claim.claim_text,
        "author": {
            "@type": "Organization",
            "name": settings.FACTCHECK_PUBLISHER_NAME,
            "url": settings.FACTCHECK_PUBLISHER_URL,
        },
    }
    published = _day(claim.published_at)
    if published is not None:
        review["datePublished"] = published
    if claim.verdict is not None:
        rating: dict[str, Any] = {"@type": "Rating", "alternateName": claim.verdict.label}
        if claim.verdict.rating is not None and scale.best is not None:
            rating["ratingValue"] = claim.verdict.rating
            rating["bestRating"] = scale.best
            rating["worstRating"] = scale.worst
        review["reviewRating"] = rating
    article = claim.article
    appearance: dict[str, Any] = {"@type": "CreativeWork", "url": article_url(article)}
    if article.title:
        appearance["headline"] = article.title
    if article.publisher:
        appearance["publisher"] = {"@type": "Organization", "name": article.publisher}
    item: dict[str, Any] = {"@type": "Claim"}
    if claim.claimant:
        # The model does not record whether a claimant is a person or a body; Person is the
        # reading most fact-check tools expect.
        item["author"] = {"@type": "Person", "name": claim.claimant}
    if article.published_on is not None:
        item["datePublished"] = article.published_on.isoformat()
    item["appearance"] = appearance
    review["itemReviewed"] = item
    return review


def claimreview_chunks(claims: QuerySet[Claim]) -> Iterator[str]:
    """A JSON array of ClaimReview objects, each standing alone with its own @context."""
    scale = RatingScale.current()
    reviews = (claim_review(c, scale) for c in with_sources_and_events(claims, rows=False))
    yield "["
    yield from _array_items(reviews)
    yield "\n]\n"


# --- Web Annotation -------------------------------------------------------------------------


def web_annotation(claim: Claim | ClaimRow) -> dict[str, Any]:
    """One W3C Web Annotation (motivation `assessing`) for `claim`, in anno.jsonld terms."""
    bodies: list[dict[str, Any]] = []
    assessment = _assessment_text(claim)
    if assessment:
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": "assessing",
                "value": assessment,
                "format": "text/plain",
            }
        )
    if claim.verdict is not None:
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": "tagging",
                "value": claim.verdict.label,
                "format": "text/plain",
            }
        )
    # An External Web Resource may not carry a purpose, so each source is a SpecificResource.
    bodies.extend(
        {"type": "SpecificResource", "purpose": "linking", "source": source.url}
        for source in claim.sources.all()
    )
    annotation: dict[str, Any] = {
        "id": f"{public_claim_url(claim.pk)}#annotation",
        "type": "Annotation",
        "motivation": "assessing",
        "created": _in_utc(claim.created_at),
        "modified": _in_utc(claim.updated_at),
        "creator": {
            "type": "Organization",
            "name": settings.FACTCHECK_PUBLISHER_NAME,
            "homepage": settings.FACTCHECK_PUBLISHER_URL,
        },
    }
    if bodies:
        annotation["body"] = bodies
    annotation["target"] = {
        "type": "SpecificResource",
        "source": article_url(claim.article),
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": claim.quote,
                "prefix": claim.prefix,
                "suffix": claim.suffix,
            },
            # Offsets count code points, as the model requires and as the claim stores them.
            {"type": "TextPositionSelector", "start": claim.start, "end": claim.end},
        ],
    }
    return annotation


def _assessment_text(claim: Claim | ClaimRow) -> str:
    verdict = claim.verdict.label if claim.verdict is not None else ""
    if verdict and claim.rationale:
        return f"{verdict}: {claim.rationale}"
    return verdict or claim.rationale


def webannotation_chunks(
    claims: QuerySet[Claim], *, collection_id: str, label: str
) -> Iterator[str]:
    """An AnnotationCollection whose single embedded page holds every claim's annotation."""
    total = claims.count()
    head = {
        "@context": ANNO_CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": label,
        "total": total,
    }
    page_head = {"id": f"{collection_id}#page1", "type": "AnnotationPage", "startIndex": 0}
    yield _dumps(head)[:-1] + ', "first": ' + _dumps(page_head)[:-1] + ', "items": ['
    annotations = (web_annotation(c) for c in with_sources_and_events(claims))
    yield from _array_items(annotations)
    yield "\n]}}\n"


# --- Native ---------------------------------------------------------------------------------


def native_verdict(verdict: Verdict) -> dict[str, Any]:
    return {
        "slug": verdict.slug,
        "label": verdict.label,
        "rating": verdict.rating,
        "description": verdict.description,
        "colour": verdict.colour,
        "order": verdict.order,
    }


def native_article(article: Article) -> dict[str, Any]:
    return {
        "id": article.pk,
        "title": article.title,
        "source_url": article.source_url,
        "publisher": article.publisher,
        "byline": article.byline,
        "published_on": _in_utc(article.published_on),
        "language": article.language,
        "body_sha256": article.body_sha256,
        "body": article.body,
    }


def native_claim(claim: Claim | ClaimRow) -> dict[str, Any]:
    return {
        "id": claim.pk,
        "article": claim.article_id,
        "start": claim.start,
        "end": claim.end,
        "quote": claim.quote,
        "prefix": claim.prefix,
        "suffix": claim.suffix,
        "claim_text": claim.claim_text,
        "claimant": claim.claimant,
        "verdict": claim.verdict.slug if claim.verdict is not None else None,
        "rationale": claim.rationale,
        "status": claim.status,
        "author": claim.author.get_username(),
        "reviewer": claim.reviewer.get_username() if claim.reviewer is not None else None,
        "version": claim.version,
        "created_at": _in_utc(claim.created_at),
        "updated_at": _in_utc(claim.updated_at),
        "submitted_at": _in_utc(claim.submitted_at),
        "published_at": _in_utc(claim.published_at),
        "sources": [
            {
                "url": source.url,
                "title": source.title,
                "publisher": source.publisher,
                "accessed_on": _in_utc(source.accessed_on),
                "archive_url": source.archive_url,
                "passage": source.passage,
                "kind": source.kind,
            }
            for source in claim.sources.all()
        ],
        "history": [
            {
                "action": event.action,
                "actor": event.actor.get_username(),
                "from_status": event.from_status,
                "to_status": event.to_status,
                "comment": event.comment,
                "created_at": _in_utc(event.created_at),
            }
            for event in claim.events.all()
        ],
    }


def native_chunks(claims: QuerySet[Claim], *, exported_at: datetime | None = None) -> Iterator[str]:
    """The native document: verdicts, the articles the claims are on, then the claims."""
    head = {
        "format": NATIVE_FORMAT,
        "version": NATIVE_VERSION,
        "exported_at": _in_utc(exported_at or timezone.now()),
    }
    yield _dumps(head)[:-1] + ', "verdicts": ['
    yield from _array_items(native_verdict(v) for v in Verdict.objects.order_by("order", "id"))
    yield '\n], "articles": ['
    articles = Article.objects.filter(pk__in=claims.values("article_id")).order_by("id")
    bodies = articles.iterator(chunk_size=ARTICLE_CHUNK_SIZE)
    yield from _array_items(native_article(a) for a in bodies)
    yield '\n], "claims": ['
    yield from _array_items(native_claim(c) for c in with_sources_and_events(claims))
    yield "\n]}\n"


# --- Dispatch -------------------------------------------------------------------------------


def export_chunks(
    fmt: str,
    *,
    statuses: Sequence[str] = (Status.APPROVED,),
    article: Article | None = None,
    within: QuerySet[Claim] | None = None,
) -> Iterator[str]:
    """The export of the claims in `statuses` (of `article`, among `within`) in format `fmt`,
    in chunks.

    The Web Annotation collection is named by the API URL that produces it.
    """
    claims = claims_for_export(statuses=statuses, article=article, within=within)
    if fmt == "native":
        return native_chunks(claims)
    if fmt == "claimreview":
        return claimreview_chunks(claims)
    if fmt == "webannotation":
        query = f"format=webannotation&status={','.join(statuses)}"
        if article is not None:
            query += f"&article={article.pk}"
        label = f"factcheck claims ({', '.join(statuses)})"
        if article is not None:
            label += f" on article #{article.pk}"
        return webannotation_chunks(
            claims,
            collection_id=f"{settings.FACTCHECK_PUBLIC_BASE_URL}/api/export/?{query}",
            label=label,
        )
    raise ExportRequestError("format", f"Unknown format {fmt!r}.")


def export_filename(fmt: str, statuses: Sequence[str], article: Article | None) -> str:
    scope = "all" if set(statuses) == set(Status.values) else "-".join(statuses)
    where = f"-article-{article.pk}" if article is not None else ""
    return f"factcheck-{fmt}-{scope.replace('_', '-')}{where}.{FILE_SUFFIXES[fmt]}"
