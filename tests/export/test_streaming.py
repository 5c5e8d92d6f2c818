"""Exports stream: claims are read in chunks, sources and history merged with them, and the
number of queries does not depend on the number of claims."""

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


def test_sources_and_history_are_one_read_each_whatever_the_chunks(
    monkeypatch: pytest.MonkeyPatch,
):
    """They are merged with the claims as the claims stream (with_sources_and_events)."""
    add_claims(30)
    monkeypatch.setattr(export, "CHUNK_SIZE", 7)
    _, queries = queries_for("native")
    assert len([q for q in queries if 'FROM "annotations_source"' in q["sql"]]) == 1
    assert len([q for q in queries if 'FROM "annotations_reviewevent"' in q["sql"]]) == 1


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


class _Rows:
    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self.rows = rows

    def iterator(self, chunk_size: int) -> Any:
        return iter(self.rows)


def test_rows_of_a_claim_missing_from_the_claims_read_are_skipped():
    """A claim that changed between the reads must not pass its rows to the next claim."""
    rows = _Rows(
        [
            (1, 0, 5, 10, "a"),
            (1, 0, 5, 11, "stray"),  # claim 11 is not among the claims read
            (1, 7, 9, 12, "b"),
            (1, 7, 9, 12, "c"),
            (2, 0, 3, 13, "d"),
        ]
    )
    merged = export._RowsInClaimOrder(rows, enabled=True)  # type: ignore[arg-type]
    assert merged.take((1, 0, 5, 10)) == [("a",)]
    assert merged.take((1, 7, 9, 12)) == [("b",), ("c",)]
    assert merged.take((1, 8, 9, 14)) == []
    assert merged.take((2, 0, 3, 13)) == [("d",)]
    assert merged.take((3, 0, 1, 15)) == []


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
