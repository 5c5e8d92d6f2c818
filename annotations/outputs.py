"""What a claim and its sources look like outside the desk's database: the API's answers, the
annotation page's data and the fields the native export shares with them. Declared once,
here; annotations.api.serializers.ClaimOutput takes its field list from CLAIM_FIELDS for the
API's schema.

A claim is read as plain values (values_list), not as model instances, so that an article
with hundreds of claims costs two queries and no per-object work: one for the claims with
their verdict's slug and people's usernames, one for their sources. Datetimes stay datetime
objects in UTC, for the JSON encoder to write (ISO 8601, UTC as Z); they are read through
annotations.timestamps, since a page of claims holds hundreds of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from django.db.models import QuerySet

from annotations.models import Claim, ReviewEvent, Source
from annotations.timestamps import values_of
from annotations.workflow import DECISION_ACTIONS, DECISION_LABELS

# (key in the output, the claim's field or relation path it is read from), in output order.
# "sources" is the claim's list of sources, each with SOURCE_OUTPUT_FIELDS.
CLAIM_FIELDS: tuple[tuple[str, str], ...] = (
    ("id", "id"),
    ("article", "article_id"),
    ("start", "start"),
    ("end", "end"),
    ("quote", "quote"),
    ("prefix", "prefix"),
    ("suffix", "suffix"),
    # The number of the article's revision the offsets point into: its current one, or an
    # earlier one for a claim orphaned when the article changed.
    ("revision", "revision__number"),
    ("claim_text", "claim_text"),
    # The claimant's name ("" when none was recorded) and id (models.Claimant).
    ("claimant", "claimant__name"),
    ("claimant_id", "claimant_id"),
    ("verdict", "verdict__slug"),
    ("rationale", "rationale"),
    ("sources", "sources"),
    ("status", "status"),
    ("author", "author__username"),
    ("reviewer", "reviewer__username"),
    ("version", "version"),
    ("submitted_at", "submitted_at"),
    ("published_at", "published_at"),
    ("created_at", "created_at"),
    ("updated_at", "updated_at"),
)
CLAIM_KEYS = tuple(key for key, _ in CLAIM_FIELDS)
# A source's content: what a write may carry and a version keeps. Its output adds its "id",
# by which an update names a source to keep (annotations.services.claims.claim_update).
SOURCE_FIELDS = (
    "url",
    "title",
    "publisher",
    "published_on",
    "accessed_on",
    "archive_url",
    "passage",
    "kind",
)
SOURCE_OUTPUT_FIELDS = ("id", *SOURCE_FIELDS)

_VALUE_PATHS = tuple(path for key, path in CLAIM_FIELDS if key != "sources")


def claim_outputs(claims: QuerySet[Claim]) -> list[dict[str, Any]]:
    """Every claim of `claims`, in the queryset's order, in the output shape. Two queries,
    however many claims."""
    return [output for output, _ in claim_outputs_with_author_ids(claims)]


def claim_outputs_with_author_ids(
    claims: QuerySet[Claim], keys: tuple[str, ...] = CLAIM_KEYS
) -> list[tuple[dict[str, Any], int]]:
    """As claim_outputs, each with its author's id, for the permission predicates; only
    `keys` of the output shape (CLAIM_KEYS, in their order), for a reader that shows fewer."""
    paths = dict(CLAIM_FIELDS)
    value_keys = tuple(key for key in keys if key != "sources")
    rows = values_of(claims, *(paths[key] for key in value_keys), "author_id")
    read = [(_output(row[:-1], keys), row[-1]) for row in rows]
    if read and "sources" in keys:
        sources = sources_by_claim(Source.objects.filter(claim__in=claims.values("pk")))
        for output, _ in read:
            output["sources"] = sources.get(output["id"], [])
    return read


def claim_outputs_by_id(ids: Iterable[int]) -> list[dict[str, Any]]:
    """The claims with these ids in the order given (a page of a list)."""
    wanted = list(ids)
    found = {output["id"]: output for output in claim_outputs(Claim.objects.filter(pk__in=wanted))}
    return [found[pk] for pk in wanted if pk in found]


def claim_output_chunks(
    claims: QuerySet[Claim], size: int, keys: tuple[str, ...] = CLAIM_KEYS
) -> Iterator[list[dict[str, Any]]]:
    """The claims of `claims` in its order and in the output shape (only `keys` of it, for a
    format that shows fewer), `size` at a time, read through one cursor: two queries per
    chunk (the chunk of claims, and their sources if "sources" is one of `keys`), and no
    more than a chunk in memory however many claims there are."""
    paths = dict(CLAIM_FIELDS)
    value_keys = tuple(key for key in keys if key != "sources")
    rows = values_of(claims, *(paths[key] for key in value_keys)).iterator(chunk_size=size)
    while chunk := [_output(row, keys) for row in islice(rows, size)]:
        if "sources" in keys:
            ids = [output["id"] for output in chunk]
            sources = sources_by_claim(Source.objects.filter(claim_id__in=ids))
            for output in chunk:
                output["sources"] = sources.get(output["id"], [])
        yield chunk


def claim_output(claim: Claim) -> dict[str, Any]:
    """One claim already in hand, in the output shape. Read it with its verdict, author and
    reviewer (select_related), or each is one more query; its sources are one query unless
    prefetched."""
    output = _output(tuple(_follow(claim, path) for path in _VALUE_PATHS), CLAIM_KEYS)
    output["sources"] = [source_output(source) for source in claim.sources.all()]
    return output


def claim_output_value(claim: Claim, key: str) -> Any:
    """One key of a claim's output (not "sources"), read off a claim in hand."""
    value = _follow(claim, dict(CLAIM_FIELDS)[key])
    return "" if key == "claimant" and value is None else value


def source_output(source: Source) -> dict[str, Any]:
    return {name: getattr(source, name) for name in SOURCE_OUTPUT_FIELDS}


def sources_by_claim(sources: QuerySet[Source]) -> dict[int, list[dict[str, Any]]]:
    """The sources of `sources`, each in the output shape, grouped by claim id, in order."""
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = sources.order_by("claim_id", "position", "id").values_list(
        "claim_id", *SOURCE_OUTPUT_FIELDS
    )
    for claim_id, *values in rows:
        grouped[claim_id].append(dict(zip(SOURCE_OUTPUT_FIELDS, values, strict=True)))
    return grouped


def _output(values: tuple[Any, ...], keys: tuple[str, ...]) -> dict[str, Any]:
    """A claim's values of `keys` (CLAIM_KEYS or some of them, in order) but "sources" as its
    output of `keys`, with an empty source list if "sources" is one of them."""
    if "sources" in keys:
        at = keys.index("sources")
        values = (*values[:at], [], *values[at:])
    output = dict(zip(keys, values, strict=True))
    if output.get("claimant", "") is None:
        output["claimant"] = ""
    return output


def _follow(claim: Claim, path: str) -> Any:
    """The value at a relation path of CLAIM_FIELDS read off an instance: "verdict__slug" is
    claim.verdict.slug, None without a verdict."""
    value: Any = claim
    for name in path.split("__"):
        if value is None:
            return None
        value = getattr(value, name)
    return value


def latest_decisions(claims: QuerySet[Claim]) -> dict[int, dict[str, Any]]:
    """The last decision someone other than the author took on each claim of `claims` (a
    review decision, a reopening or a retraction), by claim id: its action, the action's
    label (in the active language), who took it, its comment and when. One query, however
    many claims."""
    # Every decision of these claims, oldest first, each replacing the one before: a claim
    # has few, and one pass over them is cheaper than a subquery per claim.
    rows = values_of(
        ReviewEvent.objects.filter(
            claim__in=claims.order_by().values("pk"), action__in=DECISION_ACTIONS
        ).order_by("claim_id", "created_at", "id"),
        "claim_id",
        "action",
        "actor__username",
        "comment",
        "created_at",
    )
    labels = {action: str(label) for action, label in DECISION_LABELS.items()}
    return {
        claim_id: {
            "action": action,
            "label": labels.get(action, action),
            "actor": actor,
            "comment": comment,
            "at": at,
        }
        for claim_id, action, actor, comment, at in rows
    }
