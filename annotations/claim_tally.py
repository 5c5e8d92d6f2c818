"""Counting claims from their tally (models.ClaimTally) instead of the claims themselves.

The database's triggers append a row to the tally for every change of a claim's status,
author or verdict. `count` sums the rows that match; when enough unsettled rows have piled
up, `settle` folds them into one row per (status, author, verdict). A count then reads a few
hundred rows however many claims there are, and is exact: the triggers write in the claim's
own transaction, so the tally and the claims change together for every reader.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Aggregate, Count, Q, QuerySet, Sum
from django.db.models.constants import LOOKUP_SEP

from annotations.models import Claim, ClaimTally
from annotations.sql_names import column, table

Key = tuple[str, int, "int | None"]  # status, author_id, verdict_id

# The claims' fields the tally's rows carry (status, author, verdict), by name and by column
# attribute: a count whose conditions name only these can be read from the tally.
TALLIED_FIELDS = frozenset(
    name
    for field in ClaimTally._meta.concrete_fields
    if not field.primary_key and field.name in {f.name for f in Claim._meta.concrete_fields}
    for name in (field.name, field.attname)
)

# Unsettled rows that make a count settle the tally first: each decision appends two.
SETTLE_AFTER = 500

# PostgreSQL advisory lock taken by the one settler at a time (any fixed number will do).
_SETTLE_LOCK = 0x7A11_7A11


def carries(lookups: Iterable[str]) -> bool:
    """Whether every lookup on the claims (as QuerySet.filter takes them: "status",
    "verdict__slug"...) starts from a field the tally carries."""
    return all(lookup.split(LOOKUP_SEP)[0] in TALLIED_FIELDS for lookup in lookups)


def count(where: Q) -> int:
    """How many claims match `where`, a condition on status, author_id and verdict_id."""
    return counts(claims=where)["claims"]


def counts(**wheres: Q) -> dict[str, int]:
    """How many claims match each of `wheres` (conditions as for `count`), in one query."""
    figures = ClaimTally.objects.aggregate(
        **{name: Sum("claims", filter=where, default=0) for name, where in wheres.items()},
        unsettled_rows=Count("pk", filter=Q(settled=False)),
    )
    if figures.pop("unsettled_rows") >= SETTLE_AFTER:
        settle(at_least=SETTLE_AFTER, wait=False)
    return {name: int(value) for name, value in figures.items()}


def settle(*, at_least: int = 1, wait: bool = True) -> None:
    """Replace the tally's rows by their sums, one row per (status, author, verdict), if
    `at_least` of them are unsettled.

    One statement deletes the rows and returns them, so exactly the rows summed go: a
    claim's change committed meanwhile leaves its rows for the next settling. The triggers'
    inserts never wait for a settler. Without `wait`, a settler finding another at work on
    PostgreSQL leaves it to that one; on SQLite the transaction waits for the database's
    write lock, as every write there does."""
    columns = ", ".join(
        column(ClaimTally, name) for name in ("status", "author", "verdict", "claims")
    )
    with transaction.atomic():
        if not _lock_settling(wait=wait):
            return
        # Another settler may have folded the rows since they were counted.
        if ClaimTally.objects.filter(settled=False).count() < at_least:
            return
        with connection.cursor() as cursor:
            # Only the model's own table and column names are formatted in.
            cursor.execute(f"DELETE FROM {table(ClaimTally)} RETURNING {columns}")  # noqa: S608
            totals: Counter[Key] = Counter()
            for status, author_id, verdict_id, claims in cursor.fetchall():
                totals[status, author_id, verdict_id] += claims
        _write_settled(totals)


def differences() -> dict[Key, tuple[int, int]]:
    """Each (status, author, verdict) whose tally is not its number of claims: (tally, claims).
    Empty while the triggers are in place."""
    with transaction.atomic():
        _hold_tally_and_claims()
        tallied = _by_key(ClaimTally.objects.all(), Sum("claims"))
        counted = _by_key(Claim.objects.all(), Count("pk"))
    return {
        key: (tallied[key], counted[key])
        for key in tallied.keys() | counted.keys()
        if tallied[key] != counted[key]
    }


def rebuild() -> int:
    """Count the claims again and make the tally those counts; returns the rows written.

    For a tally that no longer matches the claims: a data-only restore with triggers off,
    or a migration that rebuilt the claims table on SQLite without its triggers."""
    with transaction.atomic():
        _hold_tally_and_claims()
        ClaimTally.objects.all().delete()
        return _write_settled(_by_key(Claim.objects.all(), Count("pk")))


def _lock_settling(*, wait: bool) -> bool:
    """Take the right to rewrite the tally for the current transaction; False if `wait` is
    off and another transaction holds it. On SQLite, whose transactions start by taking
    the database's write lock (transaction_mode IMMEDIATE), the transaction holds it."""
    if connection.vendor != "postgresql":
        return True
    lock = "pg_advisory_xact_lock" if wait else "pg_try_advisory_xact_lock"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {lock}(%s)", [_SETTLE_LOCK])
        taken = cursor.fetchone()[0]
    # pg_advisory_xact_lock returns nothing once it has the lock.
    return taken is not False


def _hold_tally_and_claims() -> None:
    # No settler rewrites the tally meanwhile, and the claims' writers wait until the
    # transaction ends (readers go on), so that the tally and the claims are read at one
    # moment.
    _lock_settling(wait=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table(Claim)} IN SHARE MODE")


def _write_settled(totals: Counter[Key]) -> int:
    """One settled row per key whose total is not zero; returns how many."""
    rows = ClaimTally.objects.bulk_create(
        ClaimTally(
            status=status, author_id=author_id, verdict_id=verdict_id, claims=claims, settled=True
        )
        for (status, author_id, verdict_id), claims in totals.items()
        if claims
    )
    return len(rows)


def _by_key(rows: QuerySet[Any], total: Aggregate) -> Counter[Key]:
    """`total` of the claims' or the tally's rows per (status, author, verdict)."""
    grouped = rows.order_by().values_list("status", "author_id", "verdict_id").annotate(total=total)
    return Counter({(status, author, verdict): n for status, author, verdict, n in grouped})


class Counted:
    """A queryset with its count from the tally, for Django's paginator, which asks an
    object list for count() and then slices it."""

    def __init__(self, queryset: QuerySet[Any], count: int) -> None:
        self.queryset = queryset
        self._count = count

    def count(self) -> int:
        return self._count

    @property
    def ordered(self) -> bool:
        return self.queryset.ordered

    def __getitem__(self, index: Any) -> Any:
        return self.queryset[index]

    def __repr__(self) -> str:
        # Named in the paginator's warning about an unordered list.
        return f"<Counted {self._count} of {self.queryset!r}>"
