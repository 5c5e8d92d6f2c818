"""The claim reads that every review runs, written in SQL: whether a write's user may see
the claim (its standing), the locked read of a decision (and of a change or a deletion), the
reads of "review next", and the sources an answer shows.

Each reads one claim with what its answer shows besides the claim (the verdict's slug, the
author's and the reviewer's usernames: ANSWER_SHOWS), usually under a row
lock; the claim's sources follow in a second statement (sources_of). Through the ORM, Django
spent more CPU composing each of these reads (0.4 to 0.6 ms) than PostgreSQL spent running
it; with 8 reviewers on 2 cores they were about a fifth of the CPU of a "next" plus a
decision, and one claim's sources through its related manager took 0.35 ms against 0.05
here (bench/README.md).

Every table and column is named from the models' metadata (a field added to Claim is read
here too), every value is a parameter prepared as the ORM prepares it, and a row becomes
model instances as the ORM makes them, with Django's converters (SQLite returns datetimes as
text). tests/test_claim_sql.py holds the results equal to the ORM's on both databases.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import cache, partial
from typing import Any, cast

from django.db import connection
from django.db.models import Field, ForeignKey, Model

from annotations.models import MAX_ID, Claim, Source
from annotations.sql_names import column, table
from annotations.workflow import Status

_CLAIM_FIELDS: list[Field[Any, Any]] = list(Claim._meta.concrete_fields)
_CLAIM_NAMES = [field.attname for field in _CLAIM_FIELDS]
_SOURCE_FIELDS: list[Field[Any, Any]] = list(Source._meta.concrete_fields)
_SOURCE_NAMES = [field.attname for field in _SOURCE_FIELDS]
# What an answer about a claim shows of each related row (claim_rows.claim_dict): read in the
# same query, or each is one more. Not the article, whose body may be megabytes.
ANSWER_SHOWS = (("verdict", "slug"), ("author", "username"), ("reviewer", "username"))
# (the claim's foreign key, the one field shown, the table's alias in _select)
_RELATIONS: list[tuple[ForeignKey[Any, Any], str, str]] = [
    (cast("ForeignKey[Any, Any]", Claim._meta.get_field(name)), shown, f"r{number}")
    for number, (name, shown) in enumerate(ANSWER_SHOWS)
]


def claim_standing(pk: int | str) -> Claim | None:
    """The claim's id, status and author, every other field deferred: what deciding whether
    a user may see it takes (permissions.can_view_claim), before a write re-reads the claim
    under its lock. None for an id that names no claim or is no id at all."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        return None
    if not 0 < number <= MAX_ID:
        return None
    columns = ", ".join(_c(name) for name in _STANDING)
    sql = f"SELECT {columns} FROM {table(Claim)} c WHERE {_c('id')} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [number])
        row = cursor.fetchone()
    # Integers and text: no converter changes them, on either database.
    return None if row is None else Claim.from_db(connection.alias, _STANDING, list(row))


_STANDING = ["id", "status", "author_id"]


def claim_by_id(pk: int) -> Claim | None:
    """The claim with what its answer shows, without a lock (a held claim, re-read)."""
    return _read_one(f"{_c('id')} = %s", [pk])


def locked_claim(pk: int) -> Claim | None:
    """The claim under a row lock (FOR UPDATE) until the transaction ends; on SQLite the
    transaction's write lock does that."""
    return _read_one(f"{_c('id')} = %s", [pk], lock=True)


def held_claim_id(*, reviewer_id: int, cutoff: datetime) -> int | None:
    """The oldest submitted claim the reviewer holds with a live lease (assigned at or after
    `cutoff`), by the index on (reviewer, status, submitted_at, id)."""
    sql = (
        f"SELECT {_c('id')} FROM {table(Claim)} c"  # noqa: S608 (names from the models)
        f" WHERE {_c('reviewer')} = %s AND {_c('status')} = %s AND {_c('assigned_at')} >= %s"
        f" ORDER BY {_c('submitted_at')}, {_c('id')} LIMIT 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [reviewer_id, Status.SUBMITTED, _moment(cutoff)])
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
    not written by the reviewer, locked. On PostgreSQL claims another transaction has locked
    are skipped (SKIP LOCKED), so reviewers asking at the same instant get distinct claims;
    on SQLite the transaction's write lock makes them ask one after the other."""
    assigned_at = _c("assigned_at")
    where = [
        f"{_c('status')} = %s",
        f"{_c('author')} <> %s",
        f"({assigned_at} IS NULL OR {assigned_at} < %s)",
    ]
    params: list[Any] = [Status.SUBMITTED, reviewer_id, _moment(cutoff)]
    for name, value in (("article", article_id), ("verdict", verdict_id), ("author", author_id)):
        if value is not None:
            where.append(f"{_c(name)} = %s")
            params.append(value)
    order = f" ORDER BY {_c('submitted_at')}, {_c('id')} LIMIT 1"
    return _read_one(" AND ".join(where) + order, params, lock=True, skip_locked=True)


def sources_of(claim: Claim) -> list[Source]:
    """The claim's sources in their order (position, then id). Read once, in SQL, then kept
    as prefetch_related keeps them, so that claim.sources.all() reads nothing more."""
    kept = getattr(claim, "_prefetched_objects_cache", {}).get("sources")
    if kept is not None:
        return list(kept)
    columns = ", ".join(f"s.{column(Source, field.name)}" for field in _SOURCE_FIELDS)
    sql = (
        f"SELECT {columns} FROM {table(Source)} s"  # noqa: S608 (names from the models)
        f" WHERE {_s('claim')} = %s ORDER BY {_s('position')}, {_s('id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [claim.pk])
        rows = cursor.fetchall()
    converters = _source_converters(connection.vendor)
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


def _read_one(
    condition: str, params: Sequence[Any], *, lock: bool = False, skip_locked: bool = False
) -> Claim | None:
    sql = f"{_select(connection.vendor)} WHERE {condition}"
    features = connection.features
    if lock and features.has_select_for_update:
        # The clause as the ORM's select_for_update(skip_locked=..., of=("self",)) writes it.
        locking = connection.ops.for_update_sql(
            skip_locked=skip_locked and features.has_select_for_update_skip_locked,
            of=("c",) if features.has_select_for_update_of else (),
        )
        sql += f" {locking}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else _claim_from(row)


@cache
def _select(vendor: str) -> str:
    """SELECT every column of the claim (alias c), then the id and the shown field of each
    relation, FROM the claim joined to them."""
    columns = [f"c.{column(Claim, field.name)}" for field in _CLAIM_FIELDS]
    joins = []
    for foreign_key, shown, alias in _RELATIONS:
        target = foreign_key.related_model
        pk_column = f"{alias}.{column(target, target._meta.pk.name)}"  # type: ignore[union-attr]
        columns += [pk_column, f"{alias}.{column(target, shown)}"]
        joins.append(
            f"LEFT JOIN {table(target)} {alias} ON {pk_column} = c.{column(Claim, foreign_key.name)}"
        )
    return f"SELECT {', '.join(columns)} FROM {table(Claim)} c {' '.join(joins)}"  # noqa: S608


def _claim_from(row: Sequence[Any]) -> Claim:
    values = _converted(row, _claim_converters(connection.vendor))
    claim = Claim.from_db(connection.alias, _CLAIM_NAMES, values[: len(_CLAIM_NAMES)])
    related = values[len(_CLAIM_NAMES) :]
    for number, (foreign_key, shown, _) in enumerate(_RELATIONS):
        pk, value = related[2 * number : 2 * number + 2]
        instance = None if pk is None else _partial(foreign_key.related_model, pk, shown, value)
        # What select_related does: the instance in the foreign key's cache, no query.
        foreign_key.set_cached_value(claim, instance)
    return claim


@cache
def _claim_converters(vendor: str) -> list[list[Callable[[Any], Any]]]:
    """For each column of _select, what the ORM applies to its values. Cached per vendor:
    the converters depend on the settings only (SQLite's read the time zone)."""
    converters = [_converters_of(field, "c") for field in _CLAIM_FIELDS]
    for foreign_key, shown, alias in _RELATIONS:
        target = foreign_key.related_model._meta
        converters += [
            _converters_of(target.pk, alias),  # type: ignore[arg-type]
            _converters_of(target.get_field(shown), alias),  # type: ignore[arg-type]
        ]
    return converters


@cache
def _source_converters(vendor: str) -> list[list[Callable[[Any], Any]]]:
    return [_converters_of(field, "s") for field in _SOURCE_FIELDS]


def _partial(model: type[Model], pk: Any, shown: str, value: Any) -> Model:
    """An instance with its id and one field; reading any other is a query (deferred).
    from_db takes the values in the order of the model's fields."""
    given = {model._meta.pk.attname: pk, model._meta.get_field(shown).attname: value}  # type: ignore[union-attr]
    names = [field.attname for field in model._meta.concrete_fields if field.attname in given]
    return model.from_db(connection.alias, names, [given[name] for name in names])


def _converters_of(field: Field[Any, Any], alias: str) -> list[Callable[[Any], Any]]:
    """What Django's compiler applies to this column's values (SQLCompiler.get_converters)."""
    column = field.get_col(alias)
    found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
    return [partial(_apply, convert, column) for convert in found]


def _apply(convert: Callable[..., Any], column: Any, value: Any) -> Any:
    return convert(value, column, connection)


def _converted(row: Sequence[Any], converters: list[list[Callable[[Any], Any]]]) -> list[Any]:
    values = list(row)
    for index, convert_all in enumerate(converters):
        for convert in convert_all:
            values[index] = convert(values[index])
    return values


def _moment(value: datetime) -> Any:
    """A datetime as the ORM sends it: SQLite stores naive UTC text, which the comparison
    in SQL must match."""
    return connection.ops.adapt_datetimefield_value(value)


def _c(name: str) -> str:
    return f"c.{column(Claim, name)}"


def _s(name: str) -> str:
    return f"s.{column(Source, name)}"
