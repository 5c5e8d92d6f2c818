"""The public ClaimReview data feed: every fact-check online, as a schema.org DataFeed
(JSON-LD), the form fact-checkers publish to aggregators in. Each element is a DataFeedItem
holding one ClaimReview, built from the claim's public record (models.Publication) exactly
as its public page embeds it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from annotations.export.claimreview import SCHEMA_ORG_CONTEXT, public_review
from annotations.export.links import base_url
from annotations.export.streaming import CHUNK_SIZE, array_items, dumps
from annotations.models import Publication

DATAFEED_PATH = "/claims/datafeed.jsonld"


def datafeed_chunks(*, generated_at: datetime | None = None) -> Iterator[bytes]:
    """The DataFeed of every fact-check online, newest first, in chunks of UTF-8 JSON. Read it
    inside a snapshot (streaming.in_snapshot): the records come through one cursor."""
    head = {
        "@context": SCHEMA_ORG_CONTEXT,
        "@type": "DataFeed",
        "name": f"{settings.FACTCHECK_PUBLISHER_NAME}: fact-checks",
        "url": f"{base_url()}{DATAFEED_PATH}",
        "dateModified": (generated_at or timezone.now()).astimezone(UTC),
    }
    # The head's closing brace is left off, to be closed after the elements.
    yield dumps(head)[:-1] + b', "dataFeedElement": ['
    records = (
        Publication.objects.online()
        .with_claimant()
        .select_related("article")
        .defer("article__body", "rationale", "sources", "quote")
        .order_by("-first_published_at", "-claim_id")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    yield from array_items(_item(record) for record in records)
    yield b"\n]}\n"


def _item(record: Publication) -> dict[str, Any]:
    review = public_review(record)
    # The feed's @context covers its elements.
    del review["@context"]
    return {
        "@type": "DataFeedItem",
        "dateCreated": record.first_published_at,
        "dateModified": record.published_at,
        "item": review,
    }
