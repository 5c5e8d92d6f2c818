"""annotations.timestamps reads the same values as the ORM's plain read, on either database:
whole seconds and microseconds, the edges of a day and of the supported years, and NULL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db.models import F

from annotations.models import Claim, ReviewEvent
from annotations.timestamps import timestamp_read, values_of
from tests.factories import make_claim, make_user

pytestmark = pytest.mark.django_db

MOMENTS = [
    datetime(2026, 12, 6, 17, 29, 38, 879911, tzinfo=UTC),
    datetime(2026, 12, 6, 17, 29, 38, tzinfo=UTC),
    datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    datetime(1, 1, 1, 0, 0, 0, 1, tzinfo=UTC),
    datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    # Written in another zone: read back as the same instant, in UTC.
    datetime(2026, 3, 29, 2, 30, tzinfo=ZoneInfo("Europe/Paris")) + timedelta(hours=1),
]


def test_values_of_reads_every_timestamp_as_the_plain_read_does() -> None:
    claim = make_claim(author=make_user("editor"))
    claims = Claim.objects.filter(pk=claim.pk)
    for moment in MOMENTS:
        claims.update(assigned_at=moment)
        plain = claims.values_list("assigned_at", "quote", "author__username").get()
        read = values_of(claims, "assigned_at", "quote", "author__username").get()
        assert read == plain
        assert read[0] == moment
        assert read[0].tzinfo is UTC


def test_a_record_tables_timestamps_read_the_same() -> None:
    claim = make_claim(author=make_user("editor"), status="submitted")
    events = ReviewEvent.objects.filter(claim=claim).order_by("id")
    assert list(values_of(events, "created_at", "action")) == list(
        events.values_list("created_at", "action")
    )


def test_a_missing_timestamp_is_none() -> None:
    claim = make_claim(author=make_user("editor"))
    claims = Claim.objects.filter(pk=claim.pk)
    assert claims.values_list("submitted_at", flat=True).get() is None
    assert values_of(claims, "submitted_at", "created_at").get() == (
        None,
        claims.values_list("created_at", flat=True).get(),
    )


def test_only_the_models_own_timestamps_are_cast() -> None:
    """A relation's field, an expression and a name that is not a timestamp are read as
    values_list reads them."""
    claim = make_claim(author=make_user("editor"))
    claims = Claim.objects.filter(pk=claim.pk)
    read = values_of(claims, "id", "quote", "author__username", "author__date_joined").get()
    assert (
        read == claims.values_list("id", "quote", "author__username", "author__date_joined").get()
    )


def test_timestamp_read_can_be_annotated_and_compared() -> None:
    claim = make_claim(author=make_user("editor"))
    annotated = (
        Claim.objects.filter(pk=claim.pk)
        .annotate(created=timestamp_read("created_at"), same=F("created_at"))
        .values_list("created", "same")
        .get()
    )
    assert annotated[0] == annotated[1]
