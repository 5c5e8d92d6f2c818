"""The claim reads that every review runs, written in SQL: the locked read of a decision
(and of a change or a deletion), the reads of "review next", and the sources an answer shows.

Each reads one claim with what its answer shows besides the claim (the verdict's slug, the
author's and the reviewer's usernames: services.CLAIM_ANSWER_RELATIONS), usually under a row
lock; the claim's sources follow in a second statement (sources_of). Through the ORM, Django spent more CPU composing each of them (0.4 to 0.6 ms) than
PostgreSQL spent running it; with 8 reviewers on 2 cores those reads were about a fifth of
the CPU of a "next" plus a decision, and reading one claim's sources through its related
manager 0.35 ms against 0.05 (bench/README.md). Here the statement is composed once
per database vendor from the models' metadata, so a field added to Claim is read here too,
and a row becomes model instances as the ORM would make them, converters included (SQLite
returns datetimes as text). tests/test_claim_sql.py holds the result equal to the ORM's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import cache, partial
from typing import Any, cast

from django.db import connection
from django.db.models import Field, ForeignKey, Model

from annotations.models import Claim, Source
from annotations.workflow import Status

_CLAIM_FIELDS: list[Field[Any, Any]] = list(Claim._meta.concrete_fields)
_CLAIM_NAMES = [field.attname for field in _CLAIM_FIELDS]
# Each relation an answer shows: (the claim's foreign key, the one field shown, an alias).
_RELATIONS: list[tuple[ForeignKey[Any, Any], str, str]] = [
    (cast("ForeignKey[Any, Any]", Claim._meta.get_field(name)), shown, alias)
    for name, shown, alias in (
        ("verdict", "slug", "v"),
        ("author", "username", "a"),
        ("reviewer", "username", "r"),
    )
]

_SOURCE_FIELDS: list[Field[Any, Any]] = list(Source._meta.concrete_fields)
_SOURCE_NAMES = [field.attname for field in _SOURCE_FIELDS]

Converter = Callable[[Any], Any]


def claim_by_id(pk: int) -> Claim | None:
    return _read_one("c.id = %s", [pk])


def locked_claim(pk: int) -> Claim | None:
    """The claim under a row lock (FOR UPDATE) until the transaction ends; on SQLite the
    transaction's write lock does that."""
    return _read_one("c.id = %s", [pk], lock=True)


def held_claim_id(*, reviewer_id: int, cutoff: datetime) -> int | None:
    """The oldest submitted claim the reviewer holds with a live lease (assigned at or after
    `cutoff`), by the index on (reviewer, status, submitted_at, id)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.id FROM {quote(Claim._meta.db_table)} c"  # noqa: S608 (a name from the model)
            " WHERE c.reviewer_id = %s AND c.status = %s AND c.assigned_at >= %s"
            " ORDER BY c.submitted_at, c.id LIMIT 1",
            [reviewer_id, Status.SUBMITTED, cutoff],
        )
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def next_free_claim(
    *,
    reviewer_id: int,
    cutoff: datetime,
    article_id: int | None = None,
    verdict_id: int | None = None,
    author_id: int | None = None,
) -> Claim | None:
    """The oldest submitted claim that nobody holds (or whose lease ran out before `cutoff`),
    not written by the reviewer, locked; claims another transaction has locked are skipped,
    so reviewers asking at the same instant get distinct claims."""
    where = [
        "c.status = %s",
        "c.author_id <> %s",
        "(c.assigned_at IS NULL OR c.assigned_at < %s)",
    ]
    params: list[Any] = [Status.SUBMITTED, reviewer_id, cutoff]
    for column, value in (
        ("article_id", article_id),
        ("verdict_id", verdict_id),
        ("author_id", author_id),
    ):
        if value is not None:
            where.append(f"c.{column} = %s")
            params.append(value)
    return _read_one(
        " AND ".join(where) + " ORDER BY c.submitted_at, c.id LIMIT 1",
        params,
        lock=True,
        skip_locked=True,
    )


def sources_of(claim: Claim) -> list[Source]:
    """The claim's sources in their order (Source.Meta.ordering). Read once, in SQL, then kept
    as prefetch_related keeps them, so that claim.sources.all() reads nothing more."""
    kept = getattr(claim, "_prefetched_objects_cache", {}).get("sources")
    if kept is not None:
        return list(kept)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(f's.{quote(name)}' for name in _column_names(_SOURCE_FIELDS))}"  # noqa: S608
            f" FROM {quote(Source._meta.db_table)} s WHERE s.claim_id = %s"
            " ORDER BY s.position, s.id",
            [claim.pk],
        )
        rows = cursor.fetchall()
    converters = _converters_of(connection.vendor, Source, "s")
    sources = [
        Source.from_db(connection.alias, _SOURCE_NAMES, _converted(row, converters)) for row in rows
    ]
    keep_sources(claim, sources)
    return sources


def keep_sources(claim: Claim, sources: list[Source]) -> None:
    """Keep `sources` as the claim's, the way prefetch_related keeps them: claim.sources.all()
    then answers from them without a query. For sources just written or just read."""
    for source in sources:
        Source.claim.field.set_cached_value(source, claim)
    kept = claim.sources.all()
    kept._result_cache = sources
    kept._prefetch_done = True  # type: ignore[attr-defined]
    already = getattr(claim, "_prefetched_objects_cache", {})
    claim._prefetched_objects_cache = {**already, "sources": kept}  # type: ignore[attr-defined]


def _column_names(fields: Sequence[Field[Any, Any]]) -> list[str]:
    names = [field.column for field in fields]
    assert all(names)  # every concrete field has a column
    return cast("list[str]", names)


def _read_one(
    condition: str, params: Sequence[Any], *, lock: bool = False, skip_locked: bool = False
) -> Claim | None:
    sql = _select(connection.vendor) + " WHERE " + condition
    if lock and connection.features.has_select_for_update:
        sql += " FOR UPDATE OF c" if connection.features.has_select_for_update_of else " FOR UPDATE"
        if skip_locked and connection.features.has_select_for_update_skip_locked:
            sql += " SKIP LOCKED"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else _claim_from(row)


@cache
def _select(vendor: str) -> str:
    """SELECT every column of the claim (alias c), then the id and the shown field of each
    relation, FROM the claim joined to them. Names come from the models' metadata; every
    value is a parameter."""

    def quote(name: str | None) -> str:
        assert name is not None  # concrete fields have a column
        return connection.ops.quote_name(name)

    columns = [f"c.{quote(field.column)}" for field in _CLAIM_FIELDS]
    joins = []
    for foreign_key, shown, alias in _RELATIONS:
        target = foreign_key.related_model._meta
        columns += [f"{alias}.{quote(target.pk.column)}", f"{alias}.{quote(shown)}"]
        joins.append(
            f"LEFT JOIN {quote(target.db_table)} {alias}"
            f" ON {alias}.{quote(target.pk.column)} = c.{quote(foreign_key.column)}"
        )
    table = quote(Claim._meta.db_table)
    return f"SELECT {', '.join(columns)} FROM {table} c {' '.join(joins)}"  # noqa: S608


@cache
def _converters(vendor: str) -> list[list[Converter]]:
    """For each column of _select, what the ORM would apply to the database's value."""
    converters = [_field_converters(field, "c") for field in _CLAIM_FIELDS]
    for foreign_key, shown, alias in _RELATIONS:
        target = foreign_key.related_model._meta
        converters += [
            _field_converters(target.pk, alias),  # type: ignore[arg-type]
            _field_converters(target.get_field(shown), alias),  # type: ignore[arg-type]
        ]
    return converters


@cache
def _converters_of(vendor: str, model: type[Model], alias: str) -> list[list[Converter]]:
    return [_field_converters(field, alias) for field in model._meta.concrete_fields]  # type: ignore[arg-type]


def _field_converters(field: Field[Any, Any], alias: str) -> list[Converter]:
    column = field.get_col(alias)
    found = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
    return [partial(_apply, convert, column) for convert in found]


def _converted(row: Sequence[Any], converters: list[list[Converter]]) -> list[Any]:
    values = list(row)
    for index, convert_all in enumerate(converters):
        for convert in convert_all:
            values[index] = convert(values[index])
    return values


def _apply(convert: Callable[..., Any], column: Any, value: Any) -> Any:
    return convert(value, column, connection)


def _claim_from(row: Sequence[Any]) -> Claim:
    values = _converted(row, _converters(connection.vendor))
    claim = Claim.from_db(connection.alias, _CLAIM_NAMES, values[: len(_CLAIM_NAMES)])
    related = values[len(_CLAIM_NAMES) :]
    for number, (foreign_key, shown, _) in enumerate(_RELATIONS):
        pk, value = related[2 * number : 2 * number + 2]
        instance = None if pk is None else _partial(foreign_key.related_model, pk, shown, value)
        # What select_related does: the instance in the foreign key's cache, no query.
        foreign_key.set_cached_value(claim, instance)
    return claim


def _partial(model: type[Model], pk: Any, shown: str, value: Any) -> Model:
    """An instance with its id and one field; reading any other is a query (deferred)."""
    return model.from_db(connection.alias, [model._meta.pk.attname, shown], [pk, value])
