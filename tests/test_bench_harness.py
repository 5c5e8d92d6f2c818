"""The benchmark's own arithmetic, its data and its clean-up: bench/ measures nothing in the
suite, but what it loads and asks of the application must hold against the code as it is."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import unicodedata
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest

from bench import budgets
from bench.budgets import Budget, Row
from bench.loadgen import Sample
from bench.report import export_memory_rows, markdown, server_memory_rows
from bench.run import options
from bench.server import Memory, MemorySampler, database_url, throwaway_database

REPO = Path(__file__).resolve().parent.parent


def test_percentiles_use_the_nearest_rank() -> None:
    sample = Sample(latencies=[n / 1000 for n in range(1, 101)], elapsed=2.0)
    assert sample.percentile(0.95) == pytest.approx(0.095)
    assert sample.percentile(0.99) == pytest.approx(0.099)
    assert sample.median == pytest.approx(0.0505)
    assert sample.throughput == pytest.approx(50.0)


def test_an_empty_sample_has_no_figures() -> None:
    sample = Sample()
    assert sample.median is None
    assert sample.percentile(0.95) is None
    assert sample.throughput is None


def test_failed_requests_are_counted_by_status() -> None:
    sample = Sample()
    sample.add(0.01, 201, ok=True)
    sample.add(0.02, 429, ok=False)
    assert (sample.count, sample.errors, sample.statuses) == (2, 1, {201: 1, 429: 1})


def test_budgets_hold_at_the_limit_and_fail_past_it() -> None:
    latency = Budget("median_ms", 6)
    assert latency.holds(6.0) is True
    assert latency.holds(6.1) is False
    assert latency.holds(None) is None
    throughput = Budget("rps", 150, at_most=False)
    assert throughput.holds(150.0) is True
    assert throughput.holds(149.9) is False
    assert throughput.describe() == ">= 150 req/s"


def test_the_budgets_are_those_bench_readme_gives() -> None:
    assert (budgets.CREATE.metric, budgets.CREATE.limit) == ("median_ms", 6)
    assert (budgets.API_ARTICLE.limit, budgets.HTML_PAGE.limit) == (20, 25)
    assert budgets.ARTICLE_SIZE == 500
    assert (budgets.LIST.limit, budgets.LIST.at_most) == (150, False)
    assert (budgets.LIST_READERS, budgets.LIST_SIZE) == (4, 100_000)
    assert budgets.REVIEW_NEXT.limit == 25
    assert (budgets.EXPORT.limit, budgets.EXPORT_SIZE) == (0.5, 10_000)
    assert budgets.SERVER_PSS.limit == 300
    readme = (REPO / "bench" / "README.md").read_text()
    for line in [
        "| create a claim (API, one request) | <= 6 ms median |",
        "| claims list, 4 readers | >= 150 requests/s at 100,000 claims |",
        "| server peak PSS, 4 workers | <= 300 MiB |",
    ]:
        assert line in readme


def row(latencies_ms: list[float], *, errors: int = 0, **extra: object) -> Row:
    sample = Sample()
    for value in latencies_ms:
        sample.add(value / 1000, 200, ok=True)
    sample.errors = errors
    return Row(
        "POST /api/review-queue/next/",
        "1000 queued",
        sample,
        Memory(),
        budgets=[budgets.REVIEW_NEXT, budgets.NO_DOUBLE],
        extra=dict(extra),
    )


def test_a_row_passes_only_when_every_budget_holds_and_nothing_failed() -> None:
    assert row([10, 20, 30], double=0).figures({})["result"] == "pass"
    assert row([10, 20, 30], double=1).figures({})["result"] == "MISS"
    assert row([20, 30, 40], double=0).figures({})["result"] == "MISS"
    assert row([10, 20, 30], errors=1, double=0).figures({})["result"] == "MISS"
    # A figure that was not measured cannot pass.
    assert row([10, 20, 30]).figures({})["result"] == "n/a"
    figures = row([10, 20, 30], double=0).figures({})
    assert figures["budget"] == "<= 25 ms median, 0 double assignments"


def test_export_memory_is_held_flat_from_the_smallest_export_to_the_largest() -> None:
    flat = {
        1000: Memory(total=330, largest_process=74, proportional=210, growth=3.0),
        10000: Memory(total=335, largest_process=76, proportional=214, growth=4.0),
        100000: Memory(total=331, largest_process=75.5, proportional=212, growth=4.5),
    }
    rows = export_memory_rows(flat)
    assert [r["size"] for r in rows] == ["1000 claims", "10000 claims", "100000 claims"]
    assert [r["grew_mib"] for r in rows] == [3.0, 4.0, 4.5]
    assert "result" not in rows[0]
    assert (rows[-1]["growth_mib"], rows[-1]["result"]) == (1.5, "pass")
    grown = {**flat, 100000: Memory(total=600, largest_process=160, proportional=400, growth=90)}
    assert export_memory_rows(grown)[-1]["result"] == "MISS"


def test_the_sampler_reports_what_one_process_grew_by_in_a_window() -> None:
    sampler = MemorySampler(os.getpid(), interval=3600)
    sampler.window()
    ballast = bytearray(64 * 2**20)
    ballast[::4096] = b"x" * len(ballast[::4096])  # touch every page
    grown = sampler.window()
    assert grown.growth >= 48
    assert sampler.window().growth < 8
    del ballast


def test_the_server_is_held_to_its_pss_and_shows_its_rss() -> None:
    rss, pss = server_memory_rows(Memory(total=380, largest_process=80, proportional=250), 4)
    assert "result" not in rss and "grew_mib" not in rss
    assert (pss["budget"], pss["result"]) == ("<= 300 MiB PSS", "pass")
    table = markdown([rss, pss])
    assert table.splitlines()[-1].startswith("| server peak PSS, 4 workers | whole run |")


def test_the_quick_run_is_smaller_than_the_full_one() -> None:
    full, quick = options([]), options(["--quick"])
    assert full.export_sizes == [1000, 10000, 100000]
    assert max(quick.export_sizes) < max(full.export_sizes)
    assert quick.reader_seconds < full.reader_seconds
    assert options(["--export-sizes", "1000,50000"]).export_sizes == [1000, 50000]


def test_the_benchmark_runs_as_a_script() -> None:
    shown = subprocess.run(
        [sys.executable, "bench/run.py", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert "--quick" in shown.stdout


def test_database_url_keeps_the_server_and_replaces_the_name() -> None:
    assert (
        database_url("postgres://bench:pw@db.internal:5433/other?sslmode=require", "scratch")
        == "postgres://bench:pw@db.internal:5433/scratch?sslmode=require"
    )


@pytest.mark.postgres
def test_the_throwaway_database_is_dropped_even_after_an_error() -> None:
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


# --- The data ---------------------------------------------------------------------------------


def test_every_sentence_of_an_article_is_non_ascii_text() -> None:
    from bench.data import article_text

    body, spans = article_text(200, "seed")
    lines = body.splitlines()
    assert [body[start:end] for start, end in spans] == lines
    for line in lines:
        assert "“" in line and "”" in line and " — " in line
        assert any("CYRILLIC" in unicodedata.name(char, "") for char in line)
        assert any(ord(char) > 0xFFFF for char in line)  # an emoji, beyond the BMP
    assert any("\u200d" in line for line in lines)  # a ZWJ sequence
    assert any("\U0001f1fa\U0001f1e6" in line for line in lines)  # a flag


@pytest.fixture
def scale(db: None) -> list[dict[str, Any]]:
    from annotations import services
    from annotations.models import Verdict

    services.verdicts_ensure()
    fields = ("label", "slug", "rating", "description", "colour", "order")
    return [{name: getattr(v, name) for name in fields} for v in Verdict.objects.all()]


@pytest.mark.django_db
def test_the_claims_load_through_the_native_import_in_every_state(
    scale: list[dict[str, Any]],
) -> None:
    from annotations.models import Claim, ReviewEvent
    from annotations.workflow import Status
    from bench import data

    cast = data.make_cast(2)
    loader = data.Loader(verdicts=scale)
    article, spans = data.make_article("harness", 20)
    states = [str(status) for status in Status]
    # More claims than sentences: several claims share a span, at different times.
    assert loader.claims_on(
        article=article,
        spans=spans,
        count=30,
        author=cast.editor,
        statuses=states,
        reviewer=cast.reviewers[0],
    )
    claims = Claim.objects.filter(article=article)
    assert set(claims.values_list("status", flat=True)) == set(states)
    assert claims.count() == 30 == loader.claims
    approved = claims.filter(status=Status.APPROVED).first()
    assert approved is not None and approved.reviewer == cast.reviewers[0]
    assert approved.published_at is not None and approved.sources.count() == 1
    assert "“" not in approved.claim_text and any(ord(c) > 127 for c in approved.quote)
    events = ReviewEvent.objects.filter(claim=approved).values_list("action", flat=True)
    assert list(events.order_by("created_at")) == ["create", "submit", "approve"]
    drafts = claims.filter(status=Status.DRAFT)
    assert not drafts.exclude(submitted_at=None).exists()
    assert loader.spread(seed="harness-spread", count=3, author=cast.editor, statuses=states[1:2])
    assert loader.steps[-1]["claims"] == 3


@pytest.mark.django_db
def test_the_create_workload_and_the_query_count_speak_the_api(scale: list[dict[str, Any]]) -> None:
    from django.test import Client as InProcess

    from bench import data
    from bench.workloads import queries_of

    cast = data.make_cast(1)
    client = InProcess()
    answer = client.post(
        "/api/auth/token/",
        {"username": data.EDITOR, "password": data.PASSWORD},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    token = answer.json()["token"]
    article, spans = data.make_article("harness-create", 3)
    slugs = [verdict["slug"] for verdict in scale]
    for body in data.claim_payloads(article, spans, slugs):
        created = client.post(
            "/api/claims/",
            json.dumps(body),
            content_type="application/json",
            headers={"Authorization": f"Token {token}"},
        )
        assert created.status_code == 201, created.content
    path = f"/api/articles/{article.pk}/annotations/"
    assert queries_of(path, token=token) > 0
    other, other_spans = data.make_article("harness-more", 40)
    data.Loader(verdicts=scale).claims_on(
        article=other, spans=other_spans, count=40, author=cast.editor, statuses=["draft"]
    )
    more = f"/api/articles/{other.pk}/annotations/"
    assert queries_of(more, token=token) == queries_of(path, token=token)


@pytest.mark.django_db
def test_the_edit_workload_saves_a_revision_and_places_every_claim(
    scale: list[dict[str, Any]],
) -> None:
    from annotations.models import Reanchoring
    from bench import data, reanchor
    from bench.workloads import Bench

    bench = Bench(argparse.Namespace(), port=0, sampler=None)  # type: ignore[arg-type]
    cast = data.make_cast(1)
    row = reanchor.service_workload(bench, data.Loader(verdicts=scale), cast, claims=24, size=4000)
    assert row.sample.count == 1 and row.sample.errors == 0
    outcomes = Reanchoring.objects.values_list("outcome", flat=True)
    assert len(outcomes) == 24
    assert set(outcomes) <= {"unchanged", "moved", "edited", "orphaned"}
