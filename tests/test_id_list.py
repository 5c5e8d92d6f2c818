"""factcheck.db.id_list: a long list of ids goes to PostgreSQL as one array parameter; the
rows found must be those of the plain list, on every database."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext

from annotations.models import Claim
from factcheck.db import id_list
from tests.factories import ArticleFactory, make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim_ids(editor):  # type: ignore[no-untyped-def]
    article = ArticleFactory()
    return [make_claim(author=editor, article=article).pk for _ in range(20)]


def test_a_long_list_finds_the_same_rows_as_the_plain_list(claim_ids):
    other = make_claim(author=Claim.objects.get(pk=claim_ids[0]).author)
    wanted = [*claim_ids, 987654321]
    assert len(wanted) > 16
    found = set(Claim.objects.filter(pk__in=id_list(wanted)).values_list("pk", flat=True))
    assert found == set(claim_ids)
    assert other.pk not in found


def test_on_postgresql_a_long_list_is_one_parameter(claim_ids):
    long_list = id_list(claim_ids)
    with CaptureQueriesContext(connection) as captured:
        list(Claim.objects.filter(pk__in=long_list).values_list("pk", flat=True))
    (query,) = captured.captured_queries
    if connection.vendor == "postgresql":
        assert isinstance(long_list, RawSQL)
        assert "unnest" in query["sql"]
    else:
        assert long_list == claim_ids


def test_a_short_list_stays_a_list(claim_ids):
    assert id_list(claim_ids[:3]) == claim_ids[:3]


def test_an_empty_list_finds_nothing(claim_ids):
    assert list(Claim.objects.filter(pk__in=id_list([]))) == []
