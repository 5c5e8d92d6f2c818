"""schema.org ClaimReview: a JSON array of ClaimReview objects, one per claim (JSON-LD), and
the one the public page of a claim embeds."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from annotations.export.links import article_url, public_claim_url, publisher_url
from annotations.export.streaming import CHUNK_SIZE, Related, array_items
from annotations.models import Article, Claim, Verdict
from annotations.outputs import CLAIM_FIELDS, claim_values

SCHEMA_ORG_CONTEXT = "https://schema.org"

# The keys of a claim's output that a ClaimReview reads.
_REVIEWED = ("id", "claim_text", "claimant", "published_at")


@dataclass(frozen=True)
class RatingScale:
    """The numeric part of the verdict scale: ClaimReview's bestRating and worstRating."""

    best: int | None
    worst: int | None

    @classmethod
    def of(cls, ratings: Iterable[int | None]) -> RatingScale:
        """The bounds of `ratings`; verdicts without a number stand outside the scale."""
        numbers = [rating for rating in ratings if rating is not None]
        return cls(best=max(numbers, default=None), worst=min(numbers, default=None))

    @classmethod
    def current(cls) -> RatingScale:
        return cls.of(Verdict.objects.values_list("rating", flat=True))


def claim_review(claim: Claim, scale: RatingScale) -> dict[str, Any]:
    """The ClaimReview of a claim in hand. Read the claim with its article and verdict
    (select_related), or each is one more query."""
    paths = dict(CLAIM_FIELDS)
    output = {key: getattr(claim, paths[key]) for key in _REVIEWED}
    return review(output, verdict=claim.verdict, article=claim.article, scale=scale)


def review(
    claim: Mapping[str, Any], *, verdict: Verdict | None, article: Article, scale: RatingScale
) -> dict[str, Any]:
    """One ClaimReview, standing alone with its own @context, for a claim in the output shape
    of annotations.outputs (of which it reads id, claim_text, claimant and published_at)."""
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
    published: datetime | None = claim["published_at"]
    if published is not None:
        result["datePublished"] = published.astimezone(UTC).date().isoformat()
    if verdict is not None:
        rating: dict[str, Any] = {"@type": "Rating", "alternateName": verdict.label}
        if verdict.rating is not None and scale.best is not None:
            rating["ratingValue"] = verdict.rating
            rating["bestRating"] = scale.best
            rating["worstRating"] = scale.worst
        result["reviewRating"] = rating
    appearance: dict[str, Any] = {"@type": "CreativeWork", "url": article_url(article)}
    if article.title:
        appearance["headline"] = article.title
    if article.publisher:
        appearance["publisher"] = {"@type": "Organization", "name": article.publisher}
    item: dict[str, Any] = {"@type": "Claim"}
    if claim["claimant"]:
        # The model does not record whether a claimant is a person or a body; Person is the
        # reading most fact-check tools expect.
        item["author"] = {"@type": "Person", "name": claim["claimant"]}
    if article.published_on is not None:
        item["datePublished"] = article.published_on.isoformat()
    item["appearance"] = appearance
    result["itemReviewed"] = item
    return result


def claimreview_chunks(claims: QuerySet[Claim]) -> Iterator[bytes]:
    """The JSON array of the ClaimReviews of `claims`, in chunks of UTF-8 JSON."""
    yield b"["
    related = Related.of(claims)
    scale = RatingScale.of(verdict.rating for verdict in related.verdicts.values())
    # A ClaimReview shows neither the claim's sources nor most of its fields: read only those
    # it shows.
    shown = claim_values(claims, (*_REVIEWED, "article", "verdict"), CHUNK_SIZE)
    reviews = (
        review(claim, verdict=related.verdict(claim), article=related.article(claim), scale=scale)
        for claim in shown
    )
    yield from array_items(reviews)
    yield b"\n]\n"
