"""Claims in the API's claim shape (ClaimOutput), read as plain rows for the places that send
many claims at once: an article's annotations, the claims list, the annotation page.

ClaimOutput builds a model instance per claim and per source and walks a field object per
value; for 500 claims that is most of the response time. Here two queries return tuples and
each claim becomes one dict, identical to ClaimOutput's (tests/api/test_claim_rows.py holds
them equal), so the number of queries stays two whatever the number of claims.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from annotations.models import Claim, Source

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
_DATETIME_KEYS = frozenset({"submitted_at", "published_at", "created_at", "updated_at"})
_SOURCE_KEYS = ("url", "title", "publisher", "accessed_on", "archive_url", "passage", "kind")


def iso_datetime(value: datetime | None) -> str | None:
    """A datetime as DRF writes it: in the current time zone, ISO 8601, UTC as "Z"."""
    if value is None:
        return None
    zone = timezone.get_current_timezone()
    text = (value if value.tzinfo is zone else value.astimezone(zone)).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _iso_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def claim_dicts(claims: QuerySet[Claim]) -> list[dict[str, Any]]:
    """Every claim of `claims`, in the queryset's order, as ClaimOutput would write it.
    Two queries: the claims (with verdict slug and usernames joined), then their sources."""
    return [data for data, _ in claim_dicts_with_author_ids(claims)]


def claim_dicts_with_author_ids(claims: QuerySet[Claim]) -> list[tuple[dict[str, Any], int]]:
    """As claim_dicts, each with the author's id (for the permission predicates)."""
    rows = (
        claims.select_related(None)
        .prefetch_related(None)
        .values_list(*(column for _, column in _CLAIM_COLUMNS), "author_id")
    )
    out: list[tuple[dict[str, Any], int]] = []
    for *values, author_id in rows:
        data: dict[str, Any] = {}
        for (key, _), value in zip(_CLAIM_COLUMNS, values, strict=True):
            data[key] = iso_datetime(value) if key in _DATETIME_KEYS else value
            if key == "rationale":
                data["sources"] = []  # filled below, kept in ClaimOutput's key order
        out.append((data, author_id))
    _attach_sources([data for data, _ in out])
    return out


def claim_dicts_by_id(ids: Iterable[int]) -> list[dict[str, Any]]:
    """The claims with these ids, in the order given (a page of the claims list)."""
    wanted = list(ids)
    found = {data["id"]: data for data in claim_dicts(Claim.objects.filter(pk__in=wanted))}
    return [found[pk] for pk in wanted if pk in found]


def _attach_sources(claims: list[dict[str, Any]]) -> None:
    by_claim: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if claims:
        sources = (
            Source.objects.filter(claim_id__in=[data["id"] for data in claims])
            .order_by("claim_id", "position", "id")
            .values_list("claim_id", *_SOURCE_KEYS)
        )
        for claim_id, *values in sources:
            source = dict(zip(_SOURCE_KEYS, values, strict=True))
            source["accessed_on"] = _iso_date(source["accessed_on"])
            by_claim[claim_id].append(source)
    for data in claims:
        data["sources"] = by_claim.get(data["id"], [])
