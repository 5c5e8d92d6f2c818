"""Exports read claims in chunks: queries depend on the number of chunks, not of claims."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations import export
from annotations.export import streaming
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
    ("fmt", "per_chunk"), [("native", 3), ("claimreview", 2), ("webannotation", 2)]
)
def test_each_chunk_costs_a_fixed_number_of_queries(
    fmt: str, per_chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Claims, their sources and (native only) their history: one query each per chunk;
    the verdicts and articles are read once per export."""
    monkeypatch.setattr(streaming, "CHUNK_SIZE", 5)
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
    document = json.loads("".join(export.export_chunks("native", statuses=STATUSES)))
    assert len(document["claims"]) == 9
    for exported in document["claims"]:
        claim = Claim.objects.get(pk=exported["id"])
        assert [s["url"] for s in exported["sources"]] == list(
            claim.sources.order_by("position", "id").values_list("url", flat=True)
        )
        assert [e["to_status"] for e in exported["history"]] == list(
            claim.events.order_by("created_at", "id").values_list("to_status", flat=True)
        )


def test_a_claim_changed_during_the_export_keeps_its_sources_and_history() -> None:
    """Another request moves and decides a claim right after the export has read the claims
    and before it reads their sources and history: the claim must still come with its own."""
    add_claims(6)
    changed = Claim.objects.filter(status="submitted").order_by("id").first()
    assert changed is not None
    done = False

    def change_after_the_claims_are_read(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        nonlocal done
        result = execute(sql, params, many, context)
        if not done and '"annotations_claim"."quote"' in sql:
            done = True
            Claim.objects.filter(pk=changed.pk).update(
                start=0, end=5, status="approved", version=changed.version + 1
            )
        return result

    with connection.execute_wrapper(change_after_the_claims_are_read):
        text = "".join(export.export_chunks("native", statuses=STATUSES))
    assert done
    exported = {claim["id"]: claim for claim in json.loads(text)["claims"]}
    assert changed.pk in exported
    for claim_id, claim in exported.items():
        assert len(claim["sources"]) == 1, claim_id
        assert claim["history"], claim_id


def test_a_claim_that_leaves_the_statuses_during_the_export_is_left_out() -> None:
    """A reviewer rejects a claim after the export has listed the claims and before it reads
    them: the claim is not exported as rejected among approved and submitted ones."""
    add_claims(6)
    rejected = Claim.objects.filter(status="submitted").order_by("id").first()
    assert rejected is not None
    done = False

    def reject_before_the_claims_are_read(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        nonlocal done
        if not done and '"annotations_claim"."quote"' in sql:
            done = True
            Claim.objects.filter(pk=rejected.pk).update(
                status="rejected", version=rejected.version + 1
            )
        return execute(sql, params, many, context)

    with connection.execute_wrapper(reject_before_the_claims_are_read):
        text = "".join(export.export_chunks("native", statuses=STATUSES))
    assert done
    exported = [claim["id"] for claim in json.loads(text)["claims"]]
    assert len(exported) == 5
    assert rejected.pk not in exported


def test_output_starts_before_the_claims_are_read() -> None:
    add_claims(6)
    with CaptureQueriesContext(connection) as captured:
        chunks = export.export_chunks("claimreview", statuses=STATUSES)
        assert next(chunks) == "["
        before_claims = len(captured.captured_queries)
        rest = "".join(chunks)
    assert before_claims == 0
    reviews = json.loads("[" + rest)
    assert [review["@type"] for review in reviews] == ["ClaimReview"] * 6
