"""factcheck/db.py: timestamps from PostgreSQL parsed by psycopg's compiled loader must be the
values Django's own loader gives, in the same time zone. And the settings' prepared
statements (DB_PREPARED_STATEMENTS) must be prepared."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader

from annotations import services
from annotations.models import Claim
from factcheck.db import _compiled_timestamptz_loader
from factcheck.env import env_bool

pytestmark = [
    pytest.mark.postgres(
        reason="psycopg's loader and PostgreSQL's prepared statements (set DATABASE_URL to a "
        "postgres:// URL)"
    ),
    pytest.mark.django_db,
]

# Text as PostgreSQL sends it, from several sessions' points of view.
STAMPS = [
    "2026-11-27 04:12:00.123456+00",
    "2026-11-27 04:12:00+00",
    "1969-07-20 20:17:40.5+00",
    "2026-03-29 01:30:00+02",
    "2026-10-25 02:59:59.999999-05:30",
    "0001-01-01 00:00:00+00",
    "9999-12-31 23:59:59.999999+00",
]


def read(sql: str, django_loader: bool) -> list[datetime]:
    with connection.cursor() as cursor:
        if django_loader:
            register_tzloader(connection.timezone, cursor.cursor)
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]


def test_the_compiled_loader_is_the_one_registered():
    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(
        connection.connection.adapters.types["timestamptz"].oid, 0
    )
    assert _compiled_timestamptz_loader() is not None, "psycopg's C extension is installed"
    assert loader.__name__ == "CompiledTzLoader"
    assert loader.timezone == connection.timezone


@pytest.mark.parametrize("text", STAMPS)
def test_values_equal_djangos_loader(text):
    sql = f"SELECT '{text}'::timestamptz"
    (ours,) = read(sql, django_loader=False)
    (django,) = read(sql, django_loader=True)
    assert ours == django
    assert ours.tzinfo is django.tzinfo is connection.timezone
    assert ours.isoformat() == django.isoformat()


def test_null_stays_none():
    assert read("SELECT NULL::timestamptz", django_loader=False) == [None]


def test_a_claim_reads_back_the_instant_it_stored(editor, article):
    claim = services.claim_create(author=editor, article=article, start=0, end=8)
    stored = Claim.objects.values_list("created_at", flat=True).get(pk=claim.pk)
    assert stored == claim.created_at
    assert stored.utcoffset() == timedelta(0)


@pytest.mark.skipif(
    connection.vendor == "postgresql"
    and connection.settings_dict["OPTIONS"].get("prepare_threshold") is None,
    reason="DB_PREPARED_STATEMENTS=0 turns prepared statements off",
)
def test_a_statement_repeated_on_a_connection_is_prepared_once():
    """DB_PREPARED_STATEMENTS (on by default): parameters travel apart from the statement, so
    PostgreSQL plans a statement this connection keeps running once, not on every request."""
    for _ in range(6):
        list(Claim.objects.filter(status="approved", author_id=1).values_list("pk"))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%FROM "annotations_claim"%'],
        )
        prepared = [statement for (statement,) in cursor.fetchall()]
    assert len(prepared) == 1
    assert '"annotations_claim"."author_id" = $1' in prepared[0]


@pytest.mark.skipif(
    env_bool("DB_PARALLEL_QUERY"), reason="DB_PARALLEL_QUERY=1 leaves it to the server's settings"
)
def test_the_apps_sessions_run_no_parallel_query():
    """DB_PARALLEL_QUERY (off by default): the count of a large list is not split over worker
    processes, which among concurrent requests on a small machine cost more than they gain."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone() == ("0",)
        cursor.execute("SET LOCAL parallel_setup_cost = 0")
        cursor.execute("SET LOCAL parallel_tuple_cost = 0")
        cursor.execute("SET LOCAL min_parallel_index_scan_size = 0")
        cursor.execute("SET LOCAL min_parallel_table_scan_size = 0")
        cursor.execute("EXPLAIN SELECT COUNT(*) FROM annotations_claim")
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "Gather" not in plan, plan
