"""The benchmark's own arithmetic and its clean-up: bench/ measures nothing in the suite."""

from __future__ import annotations

import os
import uuid

import psycopg
import pytest

from bench.loadgen import Sample
from bench.run import Budget
from bench.server import database_url, throwaway_database


def test_percentiles_use_the_nearest_rank():
    sample = Sample(latencies=[n / 1000 for n in range(1, 101)], elapsed=2.0)
    assert sample.percentile(0.95) == pytest.approx(0.095)
    assert sample.percentile(0.99) == pytest.approx(0.099)
    assert sample.median == pytest.approx(0.0505)
    assert sample.throughput == pytest.approx(50.0)


def test_an_empty_sample_has_no_figures():
    sample = Sample()
    assert sample.median is None
    assert sample.percentile(0.95) is None
    assert sample.throughput is None


def test_failed_requests_are_counted_by_status():
    sample = Sample()
    sample.add(0.01, 201, ok=True)
    sample.add(0.02, 429, ok=False)
    assert (sample.count, sample.errors, sample.statuses) == (2, 1, {201: 1, 429: 1})


def test_budgets_hold_at_the_limit_and_fail_past_it():
    latency = Budget("median_ms", 6)
    assert latency.holds(6.0) is True
    assert latency.holds(6.1) is False
    assert latency.holds(None) is None
    throughput = Budget("rps", 200, at_most=False)
    assert throughput.holds(200.0) is True
    assert throughput.holds(199.9) is False
    assert throughput.describe() == ">= 200 req/s"


def test_database_url_keeps_the_server_and_replaces_the_name():
    assert (
        database_url("postgres://bench:pw@db.internal:5433/other?sslmode=require", "scratch")
        == "postgres://bench:pw@db.internal:5433/scratch?sslmode=require"
    )


@pytest.mark.postgres
def test_the_throwaway_database_is_dropped_even_after_an_error():
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgres"):
        pytest.skip("needs PostgreSQL: set DATABASE_URL to a postgres:// URL")
    name = f"factcheck_bench_test_{uuid.uuid4().hex[:8]}"
    inside = None
    with pytest.raises(RuntimeError), throwaway_database(server, name) as url:
        inside = psycopg.connect(url)
        assert inside.execute("SELECT current_database()").fetchone() == (name,)
        # A connection still open at the end must not keep the database alive.
        raise RuntimeError("interrupted")
    assert inside is not None
    inside.close()
    with psycopg.connect(database_url(server, "postgres")) as admin:
        left = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    assert left is None
