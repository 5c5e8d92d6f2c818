"""schema.org ClaimReview: a JSON array of ClaimReview objects, one per claim (JSON-LD), and
the one the public page of a claim embeds."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from itertools import islice
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.db.models.functions import TruncDate

from annotations.export.links import article_url, public_claim_url, publisher_url
from annotations.export.streaming import CHUNK_SIZE, Related, array_items
from annotations.models import Article, Claim, Claimant, ClaimantKind, Publication
from annotations.outputs import CLAIM_FIELDS, claim_output_value
from annotations.ratings import Rating, RatingScale, rating_of
from annotations.workflow import Status

__all__ = [
    "RatingScale",
    "claim_review",
    "claimreview_chunks",
    "public_review",
    "published_rating",
    "review",
]

SCHEMA_ORG_CONTEXT = "https://schema.org"

# The keys of a claim's output that a ClaimReview reads.
_REVIEWED = ("id", "claim_text", "claimant", "claimant_id", "published_at")
# What the export reads of a claim besides its publication's moment, which a ClaimReview
# shows as a day only.
_SHOWN = ("id", "claim_text", "claimant", "claimant_id", "status", "article", "verdict")
# The fields of a public record that hold the rating it was published with.
_RATING_FIELDS = (
    "verdict_label",
    "verdict_description",
    "rating_value",
    "best_rating",
    "worst_rating",
)
# What the export reads of a claim's public record: not its content, which an approved
# claim shares with it, nor its sources; and its moments as the days a ClaimReview shows.
_RECORD_FIELDS = ("claim_id", *_RATING_FIELDS)
_RECORD_DAYS = {
    "first_published_on": TruncDate("first_published_at", tzinfo=UTC),
    "published_on": TruncDate("published_at", tzinfo=UTC),
}


def published_rating(record: Publication) -> Rating | None:
    """The rating `record` was published with (annotations.ratings), None without a verdict."""
    return _recorded_rating({name: getattr(record, name) for name in _RATING_FIELDS})


def _recorded_rating(record: Mapping[str, Any]) -> Rating | None:
    if not record["verdict_label"]:
        return None
    return Rating(
        label=record["verdict_label"],
        description=record["verdict_description"],
        value=record["rating_value"],
        best=record["best_rating"],
        worst=record["worst_rating"],
    )


def public_review(record: Publication) -> dict[str, Any]:
    """The ClaimReview of a claim's public record: what the public page embeds and the data
    feed lists. Read the record with its article (select_related) and its claimant
    (PublicationQuerySet.with_claimant), or each is one more query."""
    if hasattr(record, "claimant_kind"):
        kind, same_as = record.claimant_kind, getattr(record, "claimant_same_as", None)
    else:
        kind, same_as = (
            Claimant.objects.filter(claims=record.claim_id).values_list("kind", "same_as").first()
        ) or (None, None)
    values = {
        "id": record.claim_id,
        "claim_text": record.claim_text,
        "claimant": record.claimant,
        "claimant_kind": kind,
        "claimant_same_as": same_as,
        "published_at": record.first_published_at,
        "modified_at": record.published_at,
    }
    return review(values, rating=published_rating(record), article=record.article)


def claim_review(claim: Claim, scale: RatingScale) -> dict[str, Any]:
    """The ClaimReview of a claim in hand as it stands now, rated against `scale`: for a claim
    that is not public, as a reviewer exports it. Read the claim with its article and verdict
    (select_related), or each is one more query."""
    output = {key: claim_output_value(claim, key) for key in _REVIEWED}
    if claim.claimant is not None:
        output["claimant_kind"] = claim.claimant.kind
        output["claimant_same_as"] = claim.claimant.same_as
    return review(output, rating=rating_of(claim.verdict, scale), article=claim.article)


def review(claim: Mapping[str, Any], *, rating: Rating | None, article: Article) -> dict[str, Any]:
    """One ClaimReview, standing alone with its own @context, for a claim in the output shape
    of annotations.outputs (of which it reads id, claim_text, claimant and published_at, and
    modified_at when there is one: the latest correction's moment), with claimant_kind and
    claimant_same_as, those of its claimant (models.Claimant), when it has one. The moments
    may be read as their days in UTC already, which is all a ClaimReview shows of them."""
    result: dict[str, Any] = {
        "@context": SCHEMA_ORG_CONTEXT,
        "@type": "ClaimReview",
        "url": public_claim_url(claim["id"]),
        "claimReviewed": claim["claim_text"],
        "author": {
            "@type": "Organization",
            "name": settings.FACTCHECK_PUBLISHER_NAME,
            "url": publisher_url(),
        },
    }
    published: date | None = claim["published_at"]
    if published is not None:
        result["datePublished"] = _utc_day(published)
    modified: date | None = claim.get("modified_at")
    if modified is not None:
        result["dateModified"] = _utc_day(modified)
    if rating is not None:
        shown: dict[str, Any] = {"@type": "Rating", "alternateName": rating.label}
        if rating.value is not None:
            shown["ratingValue"] = rating.value
            shown["bestRating"] = rating.best
            shown["worstRating"] = rating.worst
        result["reviewRating"] = shown
    appearance: dict[str, Any] = {"@type": "CreativeWork", "url": article_url(article)}
    if article.title:
        appearance["headline"] = article.title
    if article.publisher:
        appearance["publisher"] = {"@type": "Organization", "name": article.publisher}
    item: dict[str, Any] = {"@type": "Claim"}
    if claim["claimant"]:
        # A claimant made from a bare name, whose kind nobody has confirmed yet, is a Person
        # (services.claimants.claimant_for_name).
        author: dict[str, Any] = {
            "@type": claim.get("claimant_kind") or ClaimantKind.PERSON,
            "name": claim["claimant"],
        }
        same_as = claim.get("claimant_same_as") or []
        if same_as:
            author["sameAs"] = same_as[0] if len(same_as) == 1 else list(same_as)
        item["author"] = author
    if article.published_on is not None:
        item["datePublished"] = article.published_on.isoformat()
    item["appearance"] = appearance
    result["itemReviewed"] = item
    return result


def _utc_day(moment: date) -> str:
    """The day of a moment in UTC, or a day already read as one, in ISO 8601."""
    if isinstance(moment, datetime):
        moment = moment.astimezone(UTC).date()
    return moment.isoformat()


def claimreview_chunks(claims: QuerySet[Claim]) -> Iterator[bytes]:
    """The JSON array of the ClaimReviews of `claims`, in chunks of UTF-8 JSON.

    An approved claim is shown as it was published: its rating and dates are those of its
    public record (models.Publication), whose content an approved claim shares. Any other
    claim (in a reviewer's export) is shown as it stands, rated against the current scale.
    """
    yield b"["
    related = Related.of(claims)
    scale = RatingScale.of(verdict.rating for verdict in related.verdicts.values())
    yield from array_items(_reviews(_shown_claims(claims), related, scale))
    yield b"\n]\n"


def _shown_claims(claims: QuerySet[Claim]) -> Iterator[dict[str, Any]]:
    """The keys of each claim's output (annotations.outputs) that a ClaimReview shows, its
    publication's moment read as its day in UTC, through one cursor: a ClaimReview shows
    neither the claim's sources nor most of its fields."""
    paths = dict(CLAIM_FIELDS)
    rows = claims.values_list(
        *(paths[key] for key in _SHOWN), TruncDate(paths["published_at"], tzinfo=UTC)
    ).iterator(chunk_size=CHUNK_SIZE)
    for *values, published_on in rows:
        claim = dict(zip(_SHOWN, values, strict=True))
        claim["published_at"] = published_on
        yield claim


def _reviews(
    shown: Iterator[dict[str, Any]], related: Related, scale: RatingScale
) -> Iterator[dict[str, Any]]:
    # The public records of a chunk's approved claims: one query per chunk.
    while chunk := list(islice(shown, CHUNK_SIZE)):
        approved = [claim["id"] for claim in chunk if claim["status"] == Status.APPROVED]
        records = {
            record["claim_id"]: record
            for record in Publication.objects.current()
            .filter(claim_id__in=approved)
            .values(*_RECORD_FIELDS, **_RECORD_DAYS)
        }
        claimants = dict(
            (pk, (kind, same_as))
            for pk, kind, same_as in Claimant.objects.filter(
                pk__in={claim["claimant_id"] for claim in chunk if claim["claimant_id"]}
            ).values_list("pk", "kind", "same_as")
        )
        for claim in chunk:
            if claim["claimant_id"] in claimants:
                claim["claimant_kind"], claim["claimant_same_as"] = claimants[claim["claimant_id"]]
            record = records.get(claim["id"])
            if record is not None:
                claim["published_at"] = record["first_published_on"]
                claim["modified_at"] = record["published_on"]
                rating = _recorded_rating(record)
            else:
                rating = rating_of(related.verdict(claim), scale)
            yield review(claim, rating=rating, article=related.article(claim))
