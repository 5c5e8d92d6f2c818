"""factcheck's own versioned format (annotations/schemas/native-v3.schema.json), with all that
is needed to restore the claims elsewhere (annotations.native_import reads it back): the
verdicts, the claimants of the claims, the articles the claims are on, with their text and
every revision of it, then the claims, each in the output shape of annotations.outputs (its
revision's number included, and its claimant by name and by `claimant_id`) with its review
history, its public record and its re-anchorings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from annotations.export.streaming import _Groups, array_items, dumps, read_claims
from annotations.models import Article, ArticleRevision, Claim, Claimant, Verdict

NATIVE_FORMAT = "factcheck-native"
NATIVE_VERSION = 3
# The versions annotations.native_import reads: 1 lacks the public record, 2 the revisions.
NATIVE_READABLE_VERSIONS = (1, 2, 3)

VERDICT_FIELDS = ("slug", "label", "rating", "description", "colour", "order")
CLAIMANT_FIELDS = ("id", "name", "kind", "description", "same_as")
ARTICLE_FIELDS = (
    "id",
    "title",
    "source_url",
    "publisher",
    "byline",
    "published_on",
    "language",
    "body_sha256",
    "body",
)
# Articles per round trip: one, as each carries its body, which may be megabytes; an export
# has far fewer articles than claims, and memory must not grow with how many it has.
ARTICLE_CHUNK_SIZE = 1


def native_chunks(
    claims: QuerySet[Claim], *, exported_at: datetime | None = None
) -> Iterator[bytes]:
    """The native document of `claims`, in chunks of UTF-8 JSON."""
    head = {
        "format": NATIVE_FORMAT,
        "version": NATIVE_VERSION,
        "exported_at": (exported_at or timezone.now()).astimezone(UTC),
    }
    # The head's closing brace is left off, to be closed after the claims.
    yield dumps(head)[:-1] + b', "verdicts": ['
    verdicts = Verdict.objects.order_by("order", "id").values_list(*VERDICT_FIELDS)
    yield from array_items(dict(zip(VERDICT_FIELDS, row, strict=True)) for row in verdicts)
    yield b'\n], "claimants": ['
    claimants = (
        Claimant.objects.filter(pk__in=claims.values("claimant_id"))
        .order_by("id")
        .values_list(*CLAIMANT_FIELDS)
        .iterator(chunk_size=1000)
    )
    yield from array_items(dict(zip(CLAIMANT_FIELDS, row, strict=True)) for row in claimants)
    yield b'\n], "articles": ['
    articles = (
        Article.objects.filter(pk__in=claims.values("article_id"))
        .order_by("id")
        .values_list(*ARTICLE_FIELDS)
        .iterator(chunk_size=ARTICLE_CHUNK_SIZE)
    )
    revisions = _Groups(_revisions_by_article(claims))
    yield from array_items(
        _with_revisions(dict(zip(ARTICLE_FIELDS, row, strict=True)), revisions.take(row[0]))
        for row in articles
    )
    yield b'\n], "claims": ['
    yield from array_items(read_claims(claims, history=True))
    yield b"\n]}\n"


# One revision of an article's text in the native format (models.ArticleRevision).
REVISION_FIELDS: tuple[tuple[str, str], ...] = (
    ("number", "number"),
    ("kind", "kind"),
    ("created_at", "created_at"),
    ("created_by", "created_by__username"),
    ("title", "title"),
    ("publisher", "publisher"),
    ("byline", "byline"),
    ("published_on", "published_on"),
    ("language", "language"),
    ("body_sha256", "body_sha256"),
    ("body", "body"),
)


def _revisions_by_article(claims: QuerySet[Claim]) -> Iterator[tuple[int, dict[str, Any]]]:
    """Every revision of the articles of `claims`, as (article id, {key: value}), by article
    id then number: one query, read through its own cursor a revision at a time (each holds
    a text, which may be megabytes), to be merged with the articles."""
    keys = tuple(key for key, _ in REVISION_FIELDS)
    rows = (
        ArticleRevision.objects.filter(article_id__in=claims.values("article_id"))
        .order_by("article_id", "number")
        .values_list("article_id", *(path for _, path in REVISION_FIELDS))
        .iterator(chunk_size=ARTICLE_CHUNK_SIZE)
    )
    for article_id, *row in rows:
        yield article_id, dict(zip(keys, row, strict=True))


def _with_revisions(article: dict[str, Any], revisions: list[dict[str, Any]]) -> dict[str, Any]:
    """The article with every revision of its text, first to latest, and the number of its
    current one."""
    article["revision"] = revisions[-1]["number"] if revisions else 1
    article["revisions"] = revisions
    return article
