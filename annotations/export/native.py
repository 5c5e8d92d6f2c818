"""factcheck's own versioned format (annotations/schemas/native-v2.schema.json), with all that
is needed to restore the claims elsewhere (annotations.native_import reads it back): the
verdicts, the claimants of the claims, the articles the claims are on, with their text, then
the claims, each in the output shape of annotations.outputs (which names its claimant by name
and by `claimant_id`) with its review history and its public record."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from django.db.models import QuerySet
from django.utils import timezone

from annotations.export.streaming import array_items, dumps, read_claims
from annotations.models import Article, Claim, Claimant, Verdict

NATIVE_FORMAT = "factcheck-native"
NATIVE_VERSION = 2
# The versions annotations.native_import reads: 1 lacks the public record.
NATIVE_READABLE_VERSIONS = (1, 2)

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
    yield from array_items(dict(zip(ARTICLE_FIELDS, row, strict=True)) for row in articles)
    yield b'\n], "claims": ['
    yield from array_items(read_claims(claims, history=True))
    yield b"\n]}\n"
