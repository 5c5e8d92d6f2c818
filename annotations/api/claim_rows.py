"""Claims in the API's claim shape (ClaimOutput), read as plain rows for the places that send
many claims at once: an article's annotations, the claims list, the annotation page; and
one claim already in hand (claim_dict) for the answers of writes.

ClaimOutput builds a model instance per claim and per source and walks a field object per
value; for 500 claims that is most of the response time. Here two queries return tuples and
each claim becomes one dict which, written by the API's JSON renderer, is ClaimOutput's
(tests/api/test_claim_rows.py holds them equal): datetimes stay datetimes, in the current
time zone, for the renderer to write. The number of queries stays two whatever the number
of claims.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from annotations import claim_sql
from annotations.models import Claim, Source
from annotations.services import SOURCE_FIELDS
from factcheck.db import id_list

# (output key, column) in ClaimOutput's field order.
_CLAIM_COLUMNS = (
    ("id", "id"),
    ("article", "article_id"),
    ("start", "start"),
    ("end", "end"),
    ("quote", "quote"),
    ("prefix", "prefix"),
    ("suffix", "suffix"),
    ("claim_text", "claim_text"),
    ("claimant", "claimant"),
    ("verdict", "verdict__slug"),
    ("rationale", "rationale"),
    ("status", "status"),
    ("author", "author__username"),
    ("reviewer", "reviewer__username"),
    ("version", "version"),
    ("submitted_at", "submitted_at"),
    ("published_at", "published_at"),
    ("created_at", "created_at"),
    ("updated_at", "updated_at"),
)
_CLAIM_PATHS = [column.split("__") for _, column in _CLAIM_COLUMNS]
_COLUMN_COUNT = len(_CLAIM_COLUMNS)
# The datetimes come last, so that a row splits into plain values and datetimes to put in
# the current time zone.
_DATETIME_KEYS = ("submitted_at", "published_at", "created_at", "updated_at")
_FIRST_DATETIME = len(_CLAIM_COLUMNS) - len(_DATETIME_KEYS)
# ClaimOutput puts "sources" after "rationale": a placeholder keeps that place until
# _attach_sources fills it.
_SOURCES_AT = [key for key, _ in _CLAIM_COLUMNS].index("rationale") + 1
_PLAIN_KEYS = (
    *(key for key, _ in _CLAIM_COLUMNS[:_SOURCES_AT]),
    "sources",
    *(key for key, _ in _CLAIM_COLUMNS[_SOURCES_AT:_FIRST_DATETIME]),
)


def current_zone() -> tzinfo:
    """The zone the API writes datetimes in: the current time zone, as the standard UTC object
    when it is UTC, which is what the database's datetimes carry (so they need no conversion)."""
    zone = timezone.get_current_timezone()
    return UTC if getattr(zone, "key", None) in ("UTC", "Etc/UTC") else zone


def in_zone(value: datetime | None, zone: tzinfo) -> datetime | None:
    """A datetime for the API's JSON encoder (annotations/api/renderers.py), which writes it
    as DRF's DateTimeField does once it is in the current time zone: ISO 8601, UTC as Z."""
    if value is None or value.tzinfo is zone:
        return value
    return value.astimezone(zone)


def _iso_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def claim_dicts(claims: QuerySet[Claim]) -> list[dict[str, Any]]:
    """Every claim of `claims`, in the queryset's order, as ClaimOutput would write it.
    Two queries: the claims (with verdict slug and usernames joined), then their sources."""
    return [data for data, _ in claim_dicts_with_author_ids(claims)]


def claim_dicts_with_author_ids(claims: QuerySet[Claim]) -> list[tuple[dict[str, Any], int]]:
    """As claim_dicts, each with the author's id (for the permission predicates)."""
    rows = claims.values_list(*(column for _, column in _CLAIM_COLUMNS), "author_id")
    zone = current_zone()
    # The sources are attached below, all claims' at once.
    out = [(_claim_data(row, None, zone), row[-1]) for row in rows]
    _attach_sources([data for data, _ in out])
    return out


def claim_dicts_by_id(ids: Iterable[int]) -> list[dict[str, Any]]:
    """The claims with these ids, in the order given (a page of the claims list)."""
    wanted = list(ids)
    found = {data["id"]: data for data in claim_dicts(Claim.objects.filter(pk__in=id_list(wanted)))}
    return [found[pk] for pk in wanted if pk in found]


def claim_dict(claim: Claim) -> dict[str, Any]:
    """One claim as ClaimOutput writes it, without DRF's field objects: the answer of a
    create, a change, a decision or "review next" (0.4 ms of each, measured).
    Read the claim with its verdict, author and reviewer (services.CLAIM_ANSWER_RELATIONS),
    or each is one more query; its sources come from prefetch_related's cache or one query
    (annotations.claim_sql.sources_of)."""
    values = [_follow(claim, path) for path in _CLAIM_PATHS]
    sources = [
        _source_dict([getattr(source, name) for name in SOURCE_FIELDS])
        for source in claim_sql.sources_of(claim)
    ]
    return _claim_data(values, sources, current_zone())


def _follow(claim: Claim, path: list[str]) -> Any:
    """The value a column of _CLAIM_COLUMNS names, read off an instance ("verdict__slug" is
    claim.verdict.slug, None without a verdict)."""
    value: Any = claim
    for name in path:
        if value is None:
            return None
        value = getattr(value, name)
    return value


def _claim_data(
    values: Sequence[Any], sources: list[dict[str, Any]] | None, zone: tzinfo
) -> dict[str, Any]:
    """A claim's values in _CLAIM_COLUMNS order (anything after them ignored) as
    ClaimOutput's dict, its datetimes in `zone`."""
    plain = (*values[:_SOURCES_AT], sources, *values[_SOURCES_AT:_FIRST_DATETIME])
    data = dict(zip(_PLAIN_KEYS, plain, strict=True))
    for key, value in zip(_DATETIME_KEYS, values[_FIRST_DATETIME:_COLUMN_COUNT], strict=True):
        data[key] = in_zone(value, zone)
    return data


def _source_dict(values: Sequence[Any]) -> dict[str, Any]:
    """A source's values in SOURCE_FIELDS order as SourceOutput's dict."""
    source = dict(zip(SOURCE_FIELDS, values, strict=True))
    source["accessed_on"] = _iso_date(source["accessed_on"])
    return source


def _attach_sources(dicts: list[dict[str, Any]]) -> None:
    by_claim: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if dicts:
        # The ids as one array parameter (factcheck.db.id_list): Django prepares, and psycopg
        # parses, a statement with 500 placeholders in Python, 3 ms of a 7 ms query. (It was
        # once reverted for the memory it seemed to cost; that growth was DRF's reference
        # cycles keeping answers alive, see factcheck.middleware.ReleaseRenderedDataMiddleware.)
        sources = (
            Source.objects.filter(claim_id__in=id_list([data["id"] for data in dicts]))
            .order_by("claim_id", "position", "id")
            .values_list("claim_id", *SOURCE_FIELDS)
        )
        for claim_id, *values in sources:
            by_claim[claim_id].append(_source_dict(values))
    for data in dicts:
        data["sources"] = by_claim.get(data["id"], [])
