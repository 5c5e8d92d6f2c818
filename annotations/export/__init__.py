"""The three export formats, streamed as UTF-8 JSON in chunks.

- native: factcheck's own versioned format (annotations/schemas/native-v3.schema.json), with
  everything needed to restore the claims elsewhere (annotations.native_import reads it back).
- claimreview: a JSON array of schema.org ClaimReview objects, one per claim (JSON-LD).
- webannotation: a W3C Web Annotation AnnotationCollection (JSON-LD), one annotation per claim.

Every format reads the claims in the output shape of annotations.outputs, a chunk at a time
(streaming.read_claims), so the number of queries grows with the number of chunks, not of
claims, and no more than a chunk is held in memory; and it reads them in one snapshot of the
database (streaming.snapshot), so that a claim decided meanwhile cannot half appear. Callers
(the API view, the export_claims command) write each chunk out as it comes.

docs/export-formats.md documents the formats with examples.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from django.db.models import QuerySet

from annotations.export.claimreview import (
    RatingScale,
    claim_review,
    claimreview_chunks,
    public_review,
    published_rating,
)
from annotations.export.datafeed import DATAFEED_PATH, datafeed_chunks
from annotations.export.links import article_url, base_url, public_claim_url
from annotations.export.native import NATIVE_FORMAT, NATIVE_VERSION, native_chunks
from annotations.export.streaming import CHUNK_SIZE, in_blocks, in_snapshot
from annotations.export.webannotation import web_annotation, webannotation_chunks
from annotations.models import CLAIM_DOCUMENT_ORDER, Article, Claim
from annotations.workflow import Status

__all__ = [
    "CHUNK_SIZE",
    "CONTENT_TYPES",
    "DATAFEED_PATH",
    "FORMATS",
    "NATIVE_FORMAT",
    "NATIVE_VERSION",
    "ExportRequestError",
    "RatingScale",
    "article_url",
    "claim_review",
    "claims_for_export",
    "datafeed_chunks",
    "export_chunks",
    "export_filename",
    "in_blocks",
    "parse_article",
    "parse_format",
    "parse_statuses",
    "public_claim_url",
    "public_review",
    "published_rating",
    "web_annotation",
]

FORMATS = ("native", "claimreview", "webannotation")
CONTENT_TYPES = {
    "native": "application/json",
    "claimreview": "application/ld+json",
    "webannotation": 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
}
FILE_SUFFIXES = {"native": "json", "claimreview": "jsonld", "webannotation": "jsonld"}


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
    """`native` when empty, else one of FORMATS."""
    if raw is None or not raw.strip():
        return "native"
    if raw not in FORMATS:
        raise ExportRequestError(
            "format", f"Unknown format {raw!r}: use one of {', '.join(FORMATS)}."
        )
    return raw


def parse_article(raw: str | int | None) -> Article | None:
    """None when empty, else the article with this id (without its body)."""
    if raw is None or raw == "":
        return None
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        raise ExportRequestError(
            "article", f"article must be an article id, not {raw!r}."
        ) from None
    article = Article.objects.defer("body").filter(pk=pk).first()
    if article is None:
        raise ExportRequestError("article", f"There is no article #{pk}.")
    return article


def claims_for_export(
    *,
    statuses: Sequence[str] = (Status.APPROVED,),
    article: Article | None = None,
    within: QuerySet[Claim] | None = None,
) -> QuerySet[Claim]:
    """The claims in `statuses` (of `article`, if given), in document order.

    Permission checks are the caller's (see permissions.can_see_unpublished); `within`
    confines the export to what the user may see (Claim.objects.visible_to), so nobody
    exports a draft that is not theirs. Without it every claim counts, which only the
    operator's command may ask for."""
    claims = (within if within is not None else Claim.objects.all()).filter(
        status__in=list(statuses)
    )
    if article is not None:
        claims = claims.filter(article=article)
    return claims.order_by(*CLAIM_DOCUMENT_ORDER)


def export_chunks(
    fmt: str,
    *,
    statuses: Sequence[str] = (Status.APPROVED,),
    article: Article | None = None,
    within: QuerySet[Claim] | None = None,
) -> Iterator[bytes]:
    """The export of the claims in `statuses` (of `article`, among `within`) in format `fmt`,
    as chunks of UTF-8 JSON, read in one snapshot of the database (streaming.snapshot); no query
    runs before the first chunk is asked for.

    The Web Annotation collection is named by the API URL that produces it.
    """
    claims = claims_for_export(statuses=statuses, article=article, within=within)
    if fmt == "native":
        return in_snapshot(native_chunks(claims))
    if fmt == "claimreview":
        return in_snapshot(claimreview_chunks(claims))
    if fmt == "webannotation":
        query = f"format=webannotation&status={','.join(statuses)}"
        if article is not None:
            query += f"&article={article.pk}"
        label = f"factcheck claims ({', '.join(statuses)})"
        if article is not None:
            label += f" on article #{article.pk}"
        collection_id = f"{base_url()}/api/export/?{query}"
        return in_snapshot(webannotation_chunks(claims, collection_id=collection_id, label=label))
    raise ExportRequestError("format", f"Unknown format {fmt!r}.")


def export_filename(fmt: str, statuses: Sequence[str], article: Article | None) -> str:
    """The name an export is saved under, e.g. factcheck-native-approved.json."""
    scope = "all" if set(statuses) == set(Status.values) else "-".join(statuses)
    where = f"-article-{article.pk}" if article is not None else ""
    return f"factcheck-{fmt}-{scope.replace('_', '-')}{where}.{FILE_SUFFIXES[fmt]}"
