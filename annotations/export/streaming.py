"""Reading the claims of an export a chunk at a time, and writing JSON as it goes.

The claims come in the output shape of annotations.outputs (the API's shape), CHUNK_SIZE at
a time in document order, so that the number of queries grows with the number of chunks,
never with the number of claims, and no more than a chunk is held in memory.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.db.models import QuerySet

from annotations.encoding import to_json
from annotations.models import Article, Claim, ReviewEvent, Verdict
from annotations.outputs import claim_outputs_by_id

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
_EVENT_KEYS = tuple(key for key, _ in EVENT_FIELDS)
_EVENT_PATHS = tuple(path for _, path in EVENT_FIELDS)

# What the JSON-LD formats read of an article; its body may be megabytes.
_ARTICLE_FIELDS = ("title", "source_url", "publisher", "published_on")


def read_claims(
    claims: QuerySet[Claim],
    *,
    statuses: Collection[str],
    history: bool = False,
    related: Related | None = None,
) -> Iterator[dict[str, Any]]:
    """The claims of `claims`, in its order, each in the output shape of annotations.outputs;
    with `history`, each also holds "history", its review events (EVENT_FIELDS) oldest first.
    With `related`, the articles and verdicts the claims name are in it before they come.

    `claims` decides which claims are exported and in what order: their ids are read from it
    as a stream. The claims are then read CHUNK_SIZE at a time by their ids, so a claim
    changed meanwhile (moved, decided) comes as it is then, with its own sources and
    history, in its place in the stream; one that has left `statuses` is left out. Three queries per
    chunk (claims, sources, history), two without history.
    """
    ids = claims.values_list("pk", flat=True).iterator(chunk_size=CHUNK_SIZE)
    while chunk_ids := list(islice(ids, CHUNK_SIZE)):
        outputs = [
            output for output in claim_outputs_by_id(chunk_ids) if output["status"] in statuses
        ]
        if history:
            events = _history(chunk_ids)
            for output in outputs:
                output["history"] = events.get(output["id"], [])
        if related is not None:
            related.cover(outputs)
        yield from outputs


def _history(claim_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = (
        ReviewEvent.objects.filter(claim_id__in=claim_ids)
        .order_by("claim_id", "created_at", "id")
        .values_list("claim_id", *_EVENT_PATHS)
    )
    for claim_id, *values in rows:
        grouped[claim_id].append(dict(zip(_EVENT_KEYS, values, strict=True)))
    return grouped


@dataclass
class Related:
    """The verdicts (by slug) and the articles (by id, without their body) that the claims of
    an export name, read once per export rather than once per chunk."""

    verdicts: dict[str, Verdict]
    articles: dict[int, Article]

    @classmethod
    def of(cls, claims: QuerySet[Claim]) -> Related:
        """Every verdict, and the articles of `claims` (one query each)."""
        verdicts = {verdict.slug: verdict for verdict in Verdict.objects.all()}
        articles = Article.objects.filter(pk__in=claims.values("article_id"))
        return cls(verdicts=verdicts, articles=articles.only(*_ARTICLE_FIELDS).in_bulk())

    def verdict(self, output: dict[str, Any]) -> Verdict | None:
        slug: str | None = output["verdict"]
        return None if slug is None else self.verdicts[slug]

    def article(self, output: dict[str, Any]) -> Article:
        return self.articles[output["article"]]

    def cover(self, outputs: list[dict[str, Any]]) -> None:
        """Read the articles and verdicts these claims name that are not known yet: only a
        claim that entered the export after it began (decided meanwhile) names one, so this
        costs no query in the ordinary case."""
        articles = {output["article"] for output in outputs} - self.articles.keys()
        if articles:
            self.articles.update(Article.objects.only(*_ARTICLE_FIELDS).in_bulk(articles))
        slugs = {output["verdict"] for output in outputs} - self.verdicts.keys() - {None}
        if slugs:
            self.verdicts.update(Verdict.objects.in_bulk(slugs, field_name="slug"))


def dumps(value: Any) -> str:
    """`value` as JSON text, written as the API writes it (annotations.encoding)."""
    return to_json(value).decode()


def array_items(items: Iterable[Any], indent: str = "") -> Iterator[str]:
    """The elements of a JSON array, one per line, separated by commas (no brackets)."""
    separator = ""
    for item in items:
        yield f"{separator}\n{indent}{dumps(item)}"
        separator = ","


def in_blocks(chunks: Iterable[str], size: int = 64 * 1024) -> Iterator[bytes]:
    """The chunks joined into blocks of about `size` characters, UTF-8 encoded: one write to
    the socket per block rather than one per claim, and only a block in memory at a time."""
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
