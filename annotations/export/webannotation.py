"""W3C Web Annotation: an AnnotationCollection (JSON-LD) whose single embedded page holds one
annotation (motivation `assessing`) per claim, in anno.jsonld terms."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from annotations.export.links import article_url, public_claim_url, publisher_url
from annotations.export.streaming import CHUNK_SIZE, Related, array_items, dumps
from annotations.models import Article, Claim, Verdict
from annotations.outputs import claim_output_chunks

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
# The keys of a claim's output (annotations.outputs) that its annotation shows: no column,
# join or timestamp the format does not write is read.
_ANNOTATED = (
    "id",
    "article",
    "revision",
    "start",
    "end",
    "quote",
    "prefix",
    "suffix",
    "verdict",
    "rationale",
    "created_at",
    "updated_at",
    "sources",
)


def web_annotation(
    claim: Mapping[str, Any], *, verdict: Verdict | None, article: Article, source_date: datetime
) -> dict[str, Any]:
    """The annotation of a claim in the output shape of annotations.outputs, whose verdict
    and article are `verdict` and `article`, its offsets counting in the article's text as it
    arrived at `source_date` (the revision's arrival)."""
    bodies: list[dict[str, Any]] = []
    label = verdict.label if verdict is not None else ""
    rationale: str = claim["rationale"]
    assessment = f"{label}: {rationale}" if label and rationale else label or rationale
    if assessment:
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": "assessing",
                "value": assessment,
                "format": "text/plain",
            }
        )
    if verdict is not None:
        bodies.append(
            {"type": "TextualBody", "purpose": "tagging", "value": label, "format": "text/plain"}
        )
    # An External Web Resource may not carry a purpose, so each source is a SpecificResource.
    bodies.extend(
        {"type": "SpecificResource", "purpose": "linking", "source": source["url"]}
        for source in claim["sources"]
    )
    annotation: dict[str, Any] = {
        "id": f"{public_claim_url(claim['id'])}#annotation",
        "type": "Annotation",
        "motivation": "assessing",
        "created": claim["created_at"],
        "modified": claim["updated_at"],
        "creator": {
            "type": "Organization",
            "name": settings.FACTCHECK_PUBLISHER_NAME,
            "homepage": publisher_url(),
        },
    }
    if bodies:
        annotation["body"] = bodies
    annotation["target"] = {
        "type": "SpecificResource",
        "source": article_url(article),
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": claim["quote"],
                "prefix": claim["prefix"],
                "suffix": claim["suffix"],
            },
            # Offsets count code points, as the model requires and as the claim stores them.
            {"type": "TextPositionSelector", "start": claim["start"], "end": claim["end"]},
        ],
        # The article changes: the selectors hold for its text as it was then (the W3C
        # model's TimeState), the revision the claim is placed in.
        "state": {"type": "TimeState", "sourceDate": source_date},
    }
    return annotation


def webannotation_chunks(
    claims: QuerySet[Claim], *, collection_id: str, label: str
) -> Iterator[bytes]:
    """The AnnotationCollection of `claims`, named `collection_id`, in chunks of UTF-8 JSON."""
    head = {
        "@context": ANNO_CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": label,
        "total": claims.count(),
    }
    page_head = {"id": f"{collection_id}#page1", "type": "AnnotationPage", "startIndex": 0}
    # The heads' closing braces are left off, to be closed after the items.
    yield dumps(head)[:-1] + b', "first": ' + dumps(page_head)[:-1] + b', "items": ['
    related = Related.of(claims)
    annotations = (
        web_annotation(
            claim,
            verdict=related.verdict(claim),
            article=related.article(claim),
            source_date=related.revision_date(claim),
        )
        for chunk in claim_output_chunks(claims, CHUNK_SIZE, _ANNOTATED)
        for claim in chunk
    )
    yield from array_items(annotations)
    yield b"\n]}}\n"
