"""Exports read claims in chunks: queries depend on the number of chunks, not of claims."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations import export
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
def test_query_count_does_not_grow_with_the_number_of_claims(fmt: str):
    add_claims(4)
    few, _ = queries_for(fmt)
    add_claims(36)
    many, _ = queries_for(fmt)
    assert few == many


def test_claims_are_fetched_chunk_by_chunk(monkeypatch: pytest.MonkeyPatch):
    """Were the claims materialised at once, their sources would be read in one query."""
    add_claims(30)
    monkeypatch.setattr(export, "CHUNK_SIZE", 7)
    _, queries = queries_for("native")
    source_queries = [q for q in queries if 'FROM "annotations_source"' in q["sql"]]
    assert len(source_queries) == 5  # ceil(30 / 7)


def test_each_claim_gets_its_own_sources_and_history_across_chunks(
    monkeypatch: pytest.MonkeyPatch,
):
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
    monkeypatch.setattr(export, "CHUNK_SIZE", 2)
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


def test_a_claim_changed_during_the_export_keeps_its_sources_and_history():
    """Another request moves and decides a claim right after the export has read the claims
    and before it reads their sources and history: the claim must still come with its own."""
    add_claims(6)
    changed = Claim.objects.filter(status="submitted").order_by("id").first()
    assert changed is not None
    done = False

    def change_after_the_claims_are_read(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
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


def test_output_starts_before_the_claims_are_read():
    add_claims(6)
    with CaptureQueriesContext(connection) as captured:
        chunks = export.export_chunks("claimreview", statuses=STATUSES)
        assert next(chunks) == "["
        before_claims = len(captured.captured_queries)
        rest = "".join(chunks)
    assert before_claims <= 1  # only the verdict scale
    reviews = json.loads("[" + rest)
    assert [review["@type"] for review in reviews] == ["ClaimReview"] * 6


def test_a_claim_row_puts_each_column_in_its_attribute():
    row = export.ClaimRow([f"value of {name}" for name in export._CLAIM_COLUMNS])
    for name in export._CLAIM_COLUMNS:
        assert getattr(row, name) == f"value of {name}"
    assert row.pk == row.id
