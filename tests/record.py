"""For tests only: lifting the database's guard on the claims' record and on the public
record (annotations/migrations/_database_objects.py) for a moment, to empty a desk the way
no desk ever may."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

from annotations.migrations._database_objects import drop_guard_sql, guard_sql


@contextmanager
def record_guard_lifted() -> Iterator[None]:
    vendor = connection.vendor
    with connection.cursor() as cursor:
        for statement in drop_guard_sql(vendor):
            cursor.execute(statement)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for statement in guard_sql(vendor):
                cursor.execute(statement)


def erase_every_claim() -> None:
    """Every claim gone with its whole record, as if the desk were new."""
    from annotations.models import Claim

    with record_guard_lifted(), connection.cursor() as cursor:
        # The public record holds its claims (PROTECT) and refuses the ORM's deletes.
        cursor.execute("DELETE FROM annotations_publication")
        cursor.execute("DELETE FROM annotations_reanchoring")
        Claim.objects.all().delete()  # sources, history and versions go with them
