"""The dashboard's figures, computed by the database from the record: exact percentiles on
both engines, the queue rebuilt from the transitions, and decisions by reviewer and week."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from annotations import charts, dashboard
from annotations.models import ReviewEvent
from annotations.workflow import Action, Status
from tests.desk_history import seed_history
from tests.factories import make_claim

pytestmark = pytest.mark.django_db


def last_wednesday_noon() -> datetime:
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday()) - timedelta(weeks=1)
    return timezone.make_aware(datetime.combine(monday + timedelta(days=2), time(12)))


def submitted_and_decided(author, reviewer, at, waited, action=Action.APPROVE):  # type: ignore[no-untyped-def]
    claim = make_claim(author=author)
    ReviewEvent.objects.create(
        claim=claim,
        actor=author,
        action=Action.SUBMIT,
        from_status=Status.DRAFT,
        to_status=Status.SUBMITTED,
        created_at=at,
    )
    target = {Action.APPROVE: Status.APPROVED, Action.REQUEST_CHANGES: Status.CHANGES_REQUESTED}
    ReviewEvent.objects.create(
        claim=claim,
        actor=reviewer,
        action=action,
        from_status=Status.SUBMITTED,
        to_status=target[action],
        created_at=at + waited,
    )
    return claim


def test_median_and_90th_percentile_of_the_wait(editor, reviewer, reviewer2):
    start = last_wednesday_noon()
    for hours in (1, 2, 3, 4, 10):
        submitted_and_decided(editor, reviewer, start, timedelta(hours=hours))
    weeks, overall = dashboard.wait_times(dashboard.Window.ending_today(4))
    week = next(w for w in weeks if w.decisions)
    assert week.week == start.date() - timedelta(days=2)
    assert (week.decisions, week.median) == (5, timedelta(hours=3))
    # percentile_cont: 4 h + 0.6 of the way to 10 h.
    assert abs(week.p90 - timedelta(hours=7.6)) < timedelta(seconds=1)
    assert (overall.decisions, overall.median) == (5, timedelta(hours=3))


def test_the_wait_runs_from_the_latest_submission_before_the_decision(editor, reviewer):
    start = last_wednesday_noon()
    claim = submitted_and_decided(
        editor, reviewer, start, timedelta(hours=5), Action.REQUEST_CHANGES
    )
    # Resubmitted a day later, approved two hours after that.
    resubmitted = start + timedelta(days=1)
    ReviewEvent.objects.create(
        claim=claim,
        actor=editor,
        action=Action.SUBMIT,
        from_status=Status.CHANGES_REQUESTED,
        to_status=Status.SUBMITTED,
        created_at=resubmitted,
    )
    ReviewEvent.objects.create(
        claim=claim,
        actor=reviewer,
        action=Action.APPROVE,
        from_status=Status.SUBMITTED,
        to_status=Status.APPROVED,
        created_at=resubmitted + timedelta(hours=2),
    )
    _, overall = dashboard.wait_times(dashboard.Window.ending_today(4))
    assert overall.decisions == 2
    # Two waits, 5 h and 2 h: their median is 3.5 h.
    assert overall.median == timedelta(hours=3.5)


def test_the_queue_size_follows_the_transitions(editor, reviewer):
    window = dashboard.Window.ending_today(4)
    start = last_wednesday_noon()
    submitted_and_decided(editor, reviewer, start, timedelta(days=2))
    sizes = dict(dashboard.queue_by_day(window))
    assert sizes[start.date() - timedelta(days=1)] == 0
    assert sizes[start.date()] == 1 and sizes[start.date() + timedelta(days=1)] == 1
    assert sizes[start.date() + timedelta(days=2)] == 0
    assert len(sizes) == (window.last_day - window.first_day).days + 1


def test_decisions_by_reviewer_and_week_add_up(editor, reviewer, reviewer2, admin_user):
    decided = seed_history(author=editor, reviewers=[reviewer, reviewer2, admin_user])
    figures = dashboard.figures(12)
    assert figures.decided == decided == sum(r.total for r in figures.reviewers)
    assert figures.returned == sum(r.changes for r in figures.reviewers)
    published = sum(v.count for v in figures.verdicts)
    assert published == sum(r.approved for r in figures.reviewers)
    legend = dashboard.verdict_legend(figures.verdicts)
    assert len(legend) == len({v.label for v in figures.verdicts})


def test_a_chart_scales_to_a_round_top_and_labels_each_bar():
    chart = charts.columns(
        ["1 Dec", "8 Dec"], [charts.Series("Returned", [3, 7], "outcome-changes")]
    )
    assert charts.axis_top(7) == 8 and charts.axis_top(0) == 4 and charts.axis_top(41) == 60
    assert [r.title for r in chart.rects] == ["Returned, 1 Dec: 3", "Returned, 8 Dec: 7"]
    tallest = max(chart.rects, key=lambda r: r.height)
    assert tallest.title.endswith(": 7") and tallest.y > charts.TOP
    assert charts.step_line([], []).empty
