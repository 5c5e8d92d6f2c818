"""Exports read claims in chunks: queries depend on the number of chunks, not of claims."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations import export
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
    """Were the claims materialised at once, their sources would be prefetched in one query."""
    add_claims(30)
    monkeypatch.setattr(export, "CHUNK_SIZE", 7)
    _, queries = queries_for("native")
    source_queries = [q for q in queries if 'FROM "annotations_source"' in q["sql"]]
    assert len(source_queries) == 5  # ceil(30 / 7)


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
