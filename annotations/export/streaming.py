"""Reading the claims of an export a chunk at a time, in one snapshot, and writing JSON as it
goes.

An export reads the database as it was when the export began (`snapshot`): a claim decided
while the file streams is either wholly in it, with its article, or not at all. The claims
come in the output shape of annotations.outputs (the API's shape), CHUNK_SIZE at a time in
document order, so that the number of queries grows with the number of chunks, never with
the number of claims, and no more than a chunk is held in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet

from annotations.encoding import to_json
from annotations.models import (
    CLAIM_DOCUMENT_ORDER,
    Article,
    ArticleRevision,
    Claim,
    ClaimVersion,
    Publication,
    Reanchoring,
    ReviewEvent,
    Verdict,
)
from annotations.outputs import claim_output_chunks
from annotations.reanchoring import reason_text
from annotations.timestamps import values_of

# Claims per round trip: large enough to keep queries few, small enough that memory stays
# flat however many claims there are.
CHUNK_SIZE = 1000

# One entry of a claim's history in the native format: (key, the event's field or path).
EVENT_FIELDS: tuple[tuple[str, str], ...] = (
    ("action", "action"),
    ("actor", "actor__username"),
    ("from_status", "from_status"),
    ("to_status", "to_status"),
    ("comment", "comment"),
    ("created_at", "created_at"),
)

# One version of a claim's content in the native format (models.ClaimVersion).
VERSION_FIELDS: tuple[tuple[str, str], ...] = (
    ("edit", "number"),
    ("author", "author__username"),
    ("created_at", "created_at"),
    ("claim_text", "claim_text"),
    ("claimant", "claimant"),
    ("verdict", "verdict__slug"),
    ("rationale", "rationale"),
    ("sources", "sources"),
)

# One re-anchoring of a claim in the native format (models.Reanchoring).
REANCHORING_FIELDS: tuple[tuple[str, str], ...] = (
    ("revision", "revision__number"),
    ("from_revision", "from_revision__number"),
    ("outcome", "outcome"),
    ("old_start", "old_start"),
    ("old_end", "old_end"),
    ("old_quote", "old_quote"),
    ("new_start", "new_start"),
    ("new_end", "new_end"),
    ("new_quote", "new_quote"),
    ("score", "score"),
    # The reason's sentence in the desk's language (annotations.reanchoring.REASONS), then
    # its code and figures, from which a reader can write it in another.
    ("reason", "reason"),
    ("reason_code", "reason_code"),
    ("reason_values", "reason_values"),
    ("created_at", "created_at"),
)

# One entry of a claim's public record in the native format (models.Publication).
PUBLICATION_FIELDS: tuple[tuple[str, str], ...] = (
    ("number", "number"),
    ("kind", "kind"),
    ("published_at", "published_at"),
    ("first_published_at", "first_published_at"),
    ("note", "note"),
    ("revision", "revision__number"),
    ("start", "start"),
    ("end", "end"),
    ("quote", "quote"),
    ("claim_text", "claim_text"),
    ("claimant", "claimant"),
    ("rationale", "rationale"),
    ("sources", "sources"),
    ("verdict", "verdict__slug"),
    ("verdict_label", "verdict_label"),
    ("verdict_description", "verdict_description"),
    ("rating_value", "rating_value"),
    ("best_rating", "best_rating"),
    ("worst_rating", "worst_rating"),
)

# What the JSON-LD formats read of an article; its body may be megabytes.
_ARTICLE_FIELDS = ("title", "source_url", "publisher", "published_on")


@contextmanager
def snapshot() -> Iterator[None]:
    """Every read inside sees the database as it was at the first one.

    One transaction: on SQLite (in WAL mode) a read transaction is a snapshot already; on
    PostgreSQL it must be REPEATABLE READ, since READ COMMITTED gives each statement a
    snapshot of its own. Inside a transaction that is already open (a test, a caller's
    atomic block) the isolation level is that transaction's and cannot change.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        with transaction.atomic(savepoint=False):
            yield
        return
    from psycopg import IsolationLevel

    connection.ensure_connection()
    driver = connection.connection
    default = driver.isolation_level
    driver.isolation_level = IsolationLevel.REPEATABLE_READ
    try:
        with transaction.atomic():
            yield
    finally:
        if not driver.closed:
            driver.isolation_level = default


def in_snapshot(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """`chunks`, produced inside one snapshot that ends with the last of them (or when the
    consumer stops early and closes the iterator)."""
    with snapshot():
        yield from chunks


def read_claims(claims: QuerySet[Claim], *, history: bool = False) -> Iterator[dict[str, Any]]:
    """The claims of `claims`, in its order, each in the output shape of annotations.outputs;
    with `history`, each also holds "history", its review events (EVENT_FIELDS) oldest first,
    "versions", its content as each save left it (VERSION_FIELDS) oldest first,
    "publications", its public record (PUBLICATION_FIELDS) first to latest, and
    "reanchorings", where it went each time its article changed (REANCHORING_FIELDS). Two queries
    per chunk (claims, sources), and with history one cursor each for the events and the
    records. Read inside a snapshot, so that the sources, history and records are those of
    the claims as read."""
    events = versions = records = moves = None
    if history:
        moves = _Groups(
            _with_reason_sentences(
                _rows_in_claim_order(
                    Reanchoring.objects.all(), claims, REANCHORING_FIELDS, "revision__number"
                )
            )
        )
        events = _Groups(
            _rows_in_claim_order(
                ReviewEvent.objects.all(), claims, EVENT_FIELDS, "created_at", "id"
            )
        )
        versions = _Groups(
            _rows_in_claim_order(ClaimVersion.objects.all(), claims, VERSION_FIELDS, "number")
        )
        records = _Groups(
            _rows_in_claim_order(Publication.objects.all(), claims, PUBLICATION_FIELDS, "number")
        )
    for chunk in claim_output_chunks(claims, CHUNK_SIZE):
        if events is not None and records is not None and versions is not None:
            for output in chunk:
                output["history"] = events.take(output["id"])
                output["versions"] = versions.take(output["id"])
                output["publications"] = records.take(output["id"])
                if moves is not None:
                    output["reanchorings"] = moves.take(output["id"])
        yield from chunk


def _rows_in_claim_order(
    rows: QuerySet[Any], claims: QuerySet[Claim], fields: tuple[tuple[str, str], ...], *then: str
) -> Iterator[tuple[int, dict[str, Any]]]:
    """The rows of `rows` (events, versions or records) that belong to `claims`, as (claim
    id, {key: value} for `fields`), in the claims' document order and by `then` within a
    claim: one query, read through its own cursor, to be merged with the claims (_Groups)."""
    order = [f"claim__{name}" for name in CLAIM_DOCUMENT_ORDER]
    keys = tuple(key for key, _ in fields)
    values = values_of(
        rows.filter(claim__in=claims).order_by(*order, *then),
        "claim_id",
        *(path for _, path in fields),
    ).iterator(chunk_size=CHUNK_SIZE)
    for claim_id, *row in values:
        yield claim_id, dict(zip(keys, row, strict=True))


def _with_reason_sentences(
    rows: Iterator[tuple[int, dict[str, Any]]],
) -> Iterator[tuple[int, dict[str, Any]]]:
    """The re-anchorings with their reason as a sentence in the desk's language, as the
    claims' history writes its lines."""
    for claim_id, move in rows:
        move["reason"] = reason_text(
            move["reason_code"], move["reason_values"], move["reason"], settings.LANGUAGE_CODE
        )
        yield claim_id, move


class _Groups:
    """Rows of (claim id, item) in the claims' order, taken claim by claim."""

    def __init__(self, rows: Iterator[tuple[int, dict[str, Any]]]) -> None:
        self._rows = rows
        self._next = next(rows, None)

    def take(self, claim_id: int) -> list[dict[str, Any]]:
        items = []
        while self._next is not None and self._next[0] == claim_id:
            items.append(self._next[1])
            self._next = next(self._rows, None)
        return items


@dataclass
class Related:
    """The verdicts (by slug) and the articles (by id, without their body) that the claims of
    an export name, read once per export (in its snapshot) rather than once per chunk."""

    verdicts: dict[str, Verdict]
    articles: dict[int, Article]
    # When each revision the claims count in arrived, by (article id, number).
    revision_dates: dict[tuple[int, int], datetime]

    @classmethod
    def of(cls, claims: QuerySet[Claim]) -> Related:
        """Every verdict, the articles of `claims` and the arrival of their revisions (one
        query each)."""
        verdicts = {verdict.slug: verdict for verdict in Verdict.objects.all()}
        articles = Article.objects.filter(pk__in=claims.values("article_id"))
        revisions = ArticleRevision.objects.filter(pk__in=claims.values("revision_id"))
        return cls(
            verdicts=verdicts,
            articles=articles.only(*_ARTICLE_FIELDS).in_bulk(),
            revision_dates={
                (article_id, number): at
                for article_id, number, at in revisions.values_list(
                    "article_id", "number", "created_at"
                )
            },
        )

    def revision_date(self, output: dict[str, Any]) -> datetime:
        """When the text the claim's offsets count in arrived."""
        return self.revision_dates[(output["article"], output["revision"])]

    def verdict(self, output: dict[str, Any]) -> Verdict | None:
        slug: str | None = output["verdict"]
        return None if slug is None else self.verdicts[slug]

    def article(self, output: dict[str, Any]) -> Article:
        return self.articles[output["article"]]


def dumps(value: Any) -> bytes:
    """`value` as UTF-8 JSON, written as the API writes it (annotations.encoding)."""
    return to_json(value)


def array_items(items: Iterable[Any]) -> Iterator[bytes]:
    """The elements of a JSON array, one per line, separated by commas (no brackets)."""
    separator = b"\n"
    for item in items:
        yield separator + dumps(item)
        separator = b",\n"


def in_blocks(chunks: Iterable[bytes], size: int = 64 * 1024) -> Iterator[bytes]:
    """The chunks joined into blocks of about `size` bytes: one write to the socket per block
    rather than one per claim, and only a block in memory at a time."""
    pending: list[bytes] = []
    length = 0
    for chunk in chunks:
        pending.append(chunk)
        length += len(chunk)
        if length >= size:
            yield b"".join(pending)
            pending, length = [], 0
    if pending:
        yield b"".join(pending)
