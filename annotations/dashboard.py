"""The desk's figures, read from its record: the review history (ReviewEvent) and the public
record (Publication). Every figure is an aggregate the database computes, grouped by day,
week or reviewer, so the dashboard runs the same few queries however long the record is
(tests/test_dashboard.py holds it to that).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import (
    Aggregate,
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import TruncDate, TruncWeek
from django.utils import timezone

from annotations.models import Publication, PublicationKind, ReviewEvent
from annotations.workflow import REVIEW_ACTIONS, Action, Status

# The periods a desk looks back over, in weeks.
PERIODS = (4, 12, 26, 52)
DEFAULT_PERIOD = 12


class Percentile(Aggregate):
    """The continuous percentile of a duration (PostgreSQL's percentile_cont), as a
    timedelta. SQLite has no such aggregate: the same one, in Python, is given to each of its
    connections (_SqlitePercentile)."""

    function = "PERCENTILE_CONT"
    name = "Percentile"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:
        fraction = float(fraction)
        if not 0 <= fraction <= 1:
            raise ValueError("A percentile is a fraction between 0 and 1.")
        # A float's repr is a plain number: safe to write into the statement.
        super().__init__(expression, fraction=repr(fraction), output_field=DurationField(), **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        connection.ensure_connection()
        connection.connection.create_aggregate(_SQLITE_PERCENTILE, 2, _SqlitePercentile)
        return self.as_sql(
            compiler,
            connection,
            function=_SQLITE_PERCENTILE,
            template="%(function)s(%(expressions)s, %(fraction)s)",
            **extra,
        )


_SQLITE_PERCENTILE = "FACTCHECK_PERCENTILE"


class _SqlitePercentile:
    """percentile_cont for SQLite, over durations in microseconds (how Django stores them
    there): the value at `fraction` of the sorted values, interpolated between neighbours."""

    def __init__(self) -> None:
        self.values: list[float] = []
        self.fraction = 0.5

    def step(self, value: float | None, fraction: float) -> None:
        if value is not None:
            self.values.append(value)
            self.fraction = fraction

    def finalize(self) -> int | None:
        if not self.values:
            return None
        ordered = sorted(self.values)
        place = (len(ordered) - 1) * self.fraction
        low = int(place)
        high = min(low + 1, len(ordered) - 1)
        return round(ordered[low] + (ordered[high] - ordered[low]) * (place - low))


@dataclass(frozen=True)
class Window:
    """The days the dashboard looks at: `weeks` whole weeks ending today (local time)."""

    weeks: int
    first_day: date
    last_day: date
    start: datetime

    @classmethod
    def ending_today(cls, weeks: int) -> Window:
        today = timezone.localdate()
        # Whole weeks, Monday to Sunday, the current one included.
        first_day = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
        start = timezone.make_aware(datetime.combine(first_day, time.min))
        return cls(weeks, first_day, today, start)

    def days(self) -> list[date]:
        return [
            self.first_day + timedelta(days=n)
            for n in range((self.last_day - self.first_day).days + 1)
        ]

    def week_starts(self) -> list[date]:
        return [self.first_day + timedelta(weeks=n) for n in range(self.weeks)]


@dataclass(frozen=True)
class WeekWait:
    week: date
    decisions: int
    median: timedelta | None
    p90: timedelta | None


@dataclass(frozen=True)
class ReviewerDecisions:
    reviewer: str
    approved: int
    changes: int
    rejected: int

    @property
    def total(self) -> int:
        return self.approved + self.changes + self.rejected


@dataclass(frozen=True)
class WeekDecisions:
    week: date
    approved: int
    changes: int
    rejected: int

    @property
    def total(self) -> int:
        return self.approved + self.changes + self.rejected

    @property
    def returned_share(self) -> float | None:
        return self.changes / self.total if self.total else None


@dataclass(frozen=True)
class VerdictCount:
    week: date
    label: str
    colour: str
    count: int
    # The verdict's place on the scale (None: a verdict since removed, or none).
    order: int | None = None


@dataclass(frozen=True)
class Figures:
    window: Window
    queue_by_day: list[tuple[date, int]]
    waits: list[WeekWait]
    wait_overall: WeekWait
    reviewers: list[ReviewerDecisions]
    decisions_by_week: list[WeekDecisions]
    verdicts: list[VerdictCount]

    @property
    def queue_now(self) -> int:
        return self.queue_by_day[-1][1] if self.queue_by_day else 0

    @property
    def returned(self) -> int:
        return sum(week.changes for week in self.decisions_by_week)

    @property
    def decided(self) -> int:
        return sum(week.total for week in self.decisions_by_week)


def figures(weeks: int = DEFAULT_PERIOD) -> Figures:
    """Every figure of the dashboard over the last `weeks` weeks."""
    window = Window.ending_today(weeks)
    waits, overall = wait_times(window)
    return Figures(
        window=window,
        queue_by_day=queue_by_day(window),
        waits=waits,
        wait_overall=overall,
        reviewers=decisions_by_reviewer(window),
        decisions_by_week=decisions_by_week(window),
        verdicts=verdicts_by_week(window),
    )


def _local_day(value: date | datetime) -> date:
    """A truncated day or week as a date (SQLite gives a date, PostgreSQL may give either)."""
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def queue_by_day(window: Window) -> list[tuple[date, int]]:
    """How many claims waited in the queue (submitted) at the end of each day: those that
    entered it before, less those that left it, counted from the transitions."""
    entered = Count("pk", filter=Q(to_status=Status.SUBMITTED))
    left = Count("pk", filter=Q(from_status=Status.SUBMITTED))
    before = ReviewEvent.objects.filter(created_at__lt=window.start).aggregate(
        entered=entered, left=left
    )
    daily = (
        ReviewEvent.objects.filter(created_at__gte=window.start)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(entered=entered, left=left)
        .order_by("day")
    )
    moves = {_local_day(row["day"]): row["entered"] - row["left"] for row in daily}
    size = before["entered"] - before["left"]
    sizes = []
    for day in window.days():
        size += moves.get(day, 0)
        sizes.append((day, max(size, 0)))
    return sizes


def _decisions(window: Window) -> Any:
    return ReviewEvent.objects.filter(action__in=REVIEW_ACTIONS, created_at__gte=window.start)


def wait_times(window: Window) -> tuple[list[WeekWait], WeekWait]:
    """For the decisions of each week (approve, reject, request changes), the median and the
    90th percentile of the time since the claim was last submitted; and the same over the
    whole window."""
    submitted = (
        ReviewEvent.objects.filter(
            claim_id=OuterRef("claim_id"),
            to_status=Status.SUBMITTED,
            created_at__lte=OuterRef("created_at"),
            id__lt=OuterRef("id"),
        )
        .order_by("-created_at", "-id")
        .values("created_at")[:1]
    )
    waited = ExpressionWrapper(
        F("created_at") - Subquery(submitted, output_field=DateTimeField()),
        output_field=DurationField(),
    )
    decisions = _decisions(window).annotate(waited=waited)
    measures = {
        "decisions": Count("pk"),
        "median": Percentile("waited", 0.5),
        "p90": Percentile("waited", 0.9),
    }
    rows = (
        decisions.annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(**measures)
        .order_by("week")
    )
    by_week = {_local_day(row["week"]): row for row in rows}
    weeks = [
        WeekWait(
            week,
            by_week[week]["decisions"] if week in by_week else 0,
            by_week[week]["median"] if week in by_week else None,
            by_week[week]["p90"] if week in by_week else None,
        )
        for week in window.week_starts()
    ]
    overall = decisions.aggregate(**measures)
    return weeks, WeekWait(
        window.first_day, overall["decisions"], overall["median"], overall["p90"]
    )


def _outcomes() -> dict[str, Any]:
    return {
        "approved": Count("pk", filter=Q(action=Action.APPROVE)),
        "changes": Count("pk", filter=Q(action=Action.REQUEST_CHANGES)),
        "rejected": Count("pk", filter=Q(action=Action.REJECT)),
    }


def decisions_by_reviewer(window: Window) -> list[ReviewerDecisions]:
    """Each reviewer's decisions in the window by outcome, the busiest first."""
    rows = (
        _decisions(window)
        .values("actor__username")
        .annotate(**_outcomes(), total=Count("pk"))
        .order_by("-total", "actor__username")
    )
    return [
        ReviewerDecisions(row["actor__username"], row["approved"], row["changes"], row["rejected"])
        for row in rows
    ]


def decisions_by_week(window: Window) -> list[WeekDecisions]:
    """Each week's decisions by outcome: the claims returned for changes among them."""
    rows = (
        _decisions(window)
        .annotate(week=TruncWeek("created_at"))
        .values("week")
        .annotate(**_outcomes())
        .order_by("week")
    )
    by_week = {_local_day(row["week"]): row for row in rows}
    return [
        WeekDecisions(
            week,
            by_week.get(week, {}).get("approved", 0),
            by_week.get(week, {}).get("changes", 0),
            by_week.get(week, {}).get("rejected", 0),
        )
        for week in window.week_starts()
    ]


def verdicts_by_week(window: Window) -> list[VerdictCount]:
    """The fact-checks published each week (first publications and corrections) by the
    verdict they were published with, in the order of the scale."""
    rows = (
        Publication.objects.filter(
            published_at__gte=window.start,
            kind__in=(PublicationKind.PUBLISHED, PublicationKind.CORRECTED),
        )
        .annotate(week=TruncWeek("published_at"))
        .values("week", "verdict_label", "verdict__colour", "verdict__order")
        .annotate(count=Count("pk"))
        .order_by("week", "verdict__order", "verdict_label")
    )
    return [
        VerdictCount(
            _local_day(row["week"]),
            row["verdict_label"] or "No verdict",
            row["verdict__colour"] or "#5f6b6d",
            row["count"],
            row["verdict__order"],
        )
        for row in rows
    ]


def verdict_legend(counts: Iterable[VerdictCount]) -> list[tuple[str, str]]:
    """The verdicts that occur, as (label, colour), in the order of the scale."""
    seen: dict[str, tuple[int, str]] = {}
    for count in counts:
        place = count.order if count.order is not None else 1 << 15
        seen.setdefault(count.label, (place, count.colour))
    return [(label, colour) for label, (_, colour) in sorted(seen.items(), key=lambda i: i[1])]
