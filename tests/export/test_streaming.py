"""Exports read claims in chunks: queries depend on the number of chunks, not of claims."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations import export, services
from annotations.export import claimreview, streaming, webannotation
from annotations.models import Claim
from annotations.roles import Role
from tests.factories import ArticleFactory, make_claim, make_user

pytestmark = pytest.mark.django_db
STATUSES = ("approved", "submitted")


def add_claims(count: int) -> None:
    editor = make_user(Role.EDITOR, "ed")
    reviewer = make_user(Role.REVIEWER, "rev")
    articles = [ArticleFactory() for _ in range(3)]
    for number in range(count):
        make_claim(
            author=editor,
            reviewer=reviewer,
            article=articles[number % 3],
            status=STATUSES[number % 2],
        )


def queries_for(fmt: str) -> tuple[int, list[dict[str, Any]]]:
    with CaptureQueriesContext(connection) as captured:
        for _chunk in export.export_chunks(fmt, statuses=STATUSES):
            pass
    return len(captured.captured_queries), captured.captured_queries


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_query_count_does_not_grow_with_the_number_of_claims(fmt: str) -> None:
    add_claims(4)
    few, _ = queries_for(fmt)
    add_claims(36)
    many, _ = queries_for(fmt)
    assert few == many


@pytest.mark.parametrize(
    ("fmt", "per_chunk"), [("native", 1), ("claimreview", 2), ("webannotation", 1)]
)
def test_each_chunk_costs_a_fixed_number_of_queries(
    fmt: str, per_chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The claims (and, for the native format, their history) are read through one cursor
    each; a chunk costs the query for its sources, or for ClaimReview (which shows none) the
    queries for its public records and its claimants. The verdicts and articles are read once
    per export."""
    monkeypatch.setattr(streaming, "CHUNK_SIZE", 5)
    # ClaimReview and Web Annotation read the chunk size by name, in their own modules.
    monkeypatch.setattr(claimreview, "CHUNK_SIZE", 5)
    monkeypatch.setattr(webannotation, "CHUNK_SIZE", 5)
    add_claims(10)
    two_chunks, _ = queries_for(fmt)
    add_claims(10)
    four_chunks, _ = queries_for(fmt)
    assert four_chunks - two_chunks == 2 * per_chunk


def test_claims_are_fetched_chunk_by_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Were the claims materialised at once, their sources would be read in one query."""
    add_claims(30)
    monkeypatch.setattr(streaming, "CHUNK_SIZE", 7)
    _, queries = queries_for("native")
    source_queries = [q for q in queries if 'FROM "annotations_source"' in q["sql"]]
    assert len(source_queries) == 5  # ceil(30 / 7)


def test_each_claim_gets_its_own_sources_and_history_across_chunks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Claims on the same span differ only by id; some have no source, some several."""
    editor = make_user(Role.EDITOR, "ed")
    reviewer = make_user(Role.REVIEWER, "rev")
    article = ArticleFactory()
    for number in range(9):
        sources = [
            {"url": f"https://stats.example.org/{number}/{index}", "title": f"S{number}.{index}"}
            for index in range(number % 4)
        ]
        make_claim(
            author=editor,
            reviewer=reviewer,
            article=article,
            status=STATUSES[number % 2],
            sources=sources,
        )
    monkeypatch.setattr(streaming, "CHUNK_SIZE", 2)
    document = json.loads(b"".join(export.export_chunks("native", statuses=STATUSES)))
    assert len(document["claims"]) == 9
    for exported in document["claims"]:
        claim = Claim.objects.get(pk=exported["id"])
        assert [s["url"] for s in exported["sources"]] == list(
            claim.sources.order_by("position", "id").values_list("url", flat=True)
        )
        assert [e["to_status"] for e in exported["history"]] == list(
            claim.events.order_by("created_at", "id").values_list("to_status", flat=True)
        )


@pytest.mark.postgres(reason="needs PostgreSQL: a second connection writing during the export")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fmt", export.FORMATS)
def test_an_export_reads_one_snapshot_whatever_is_decided_while_it_streams(
    fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reviewer approves a claim on an article that has no other exported claim, on another
    connection, right after the export's first query. Read in one snapshot, the export leaves
    that claim out entirely: no article without its claim, no claim without its article, and
    a Web Annotation total that counts the items."""
    monkeypatch.setattr(streaming, "CHUNK_SIZE", 2)
    editor = make_user(Role.EDITOR, "ed")
    reviewer = make_user(Role.REVIEWER, "rev")
    articles = [ArticleFactory() for _ in range(2)]
    for number in range(6):
        make_claim(
            author=editor, reviewer=reviewer, article=articles[number % 2], status="approved"
        )
    late = make_claim(author=editor, article=ArticleFactory(), status="submitted")

    failures: list[Exception] = []

    def approve_elsewhere() -> None:
        try:
            services.claim_transition(
                claim_id=late.pk, actor=reviewer, action="approve", version=late.version
            )
        except Exception as error:
            failures.append(error)
        finally:
            connection.close()

    decided = False

    def decide_after_the_first_query(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        nonlocal decided
        result = execute(sql, params, many, context)
        if not decided:
            decided = True
            decision = threading.Thread(target=approve_elsewhere)
            decision.start()
            decision.join(timeout=30)
        return result

    with connection.execute_wrapper(decide_after_the_first_query):
        text = b"".join(export.export_chunks(fmt, statuses=("approved",)))
    assert decided and not failures
    assert Claim.objects.get(pk=late.pk).status == "approved"

    document = json.loads(text)
    if fmt == "native":
        exported = [claim["id"] for claim in document["claims"]]
        assert {article["id"] for article in document["articles"]} == {a.pk for a in articles}
        assert len(exported) == 6 and late.pk not in exported
    elif fmt == "claimreview":
        assert len(document) == 6
        assert not any(review["url"].endswith(f"/{late.pk}/") for review in document)
    else:
        assert document["total"] == len(document["first"]["items"]) == 6


def test_output_starts_before_the_claims_are_read() -> None:
    add_claims(6)
    with CaptureQueriesContext(connection) as captured:
        chunks = export.export_chunks("claimreview", statuses=STATUSES)
        assert next(chunks) == b"["
        before_claims = len(captured.captured_queries)
        rest = b"".join(chunks)
    assert before_claims == 0
    reviews = json.loads(b"[" + rest)
    assert [review["@type"] for review in reviews] == ["ClaimReview"] * 6
