"""For tests only: lifting the database's guard on the claims' record and on the public
record (migrations 0002_record, 0004_publication_append_only and 0008_revisions_kept) for a moment, to empty a
desk the way no desk ever may."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module

from django.db import connection

_record = import_module("annotations.migrations.0002_record")
_public = import_module("annotations.migrations.0004_publication_append_only")
_revisions = import_module("annotations.migrations.0008_revisions_kept")


@contextmanager
def record_guard_lifted() -> Iterator[None]:
    vendor = connection.vendor
    with connection.cursor() as cursor:
        for statement in [
            *_record.drop_record_trigger_sql(vendor),
            *_public.drop_publication_trigger_sql(vendor),
            *_revisions.drop_revision_trigger_sql(vendor),
        ]:
            cursor.execute(statement)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for statement in [
                *_record.record_trigger_sql(vendor),
                *_public.publication_trigger_sql(vendor),
                *_revisions.revision_trigger_sql(vendor),
            ]:
                cursor.execute(statement)


def erase_every_claim() -> None:
    """Every claim gone with its whole record, as if the desk were new."""
    from annotations.models import Claim

    with record_guard_lifted(), connection.cursor() as cursor:
        # The public record holds its claims (PROTECT) and refuses the ORM's deletes.
        cursor.execute("DELETE FROM annotations_publication")
        cursor.execute("DELETE FROM annotations_reanchoring")
        Claim.objects.all().delete()  # sources, history and versions go with them
