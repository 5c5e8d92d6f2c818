"""The desk's dashboard (reviewers and admins): the queue, the time to a decision, who
decides, the verdicts published and the claims sent back, over a chosen number of weeks.
Each chart is drawn on the server (annotations.charts) beside its figures as a table."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import dateformat
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from annotations import charts, dashboard, permissions
from annotations.query_params import refuse_repeats


def duration_text(value: timedelta | None) -> str:
    """A wait as a person says it: "40 s", "25 min", "3 h 20 min", "2 d 4 h"."""
    if value is None:
        return "–"
    seconds = int(value.total_seconds())
    if seconds < 60:
        return gettext("%(s)d s") % {"s": seconds}
    minutes = seconds // 60
    if minutes < 60:
        return gettext("%(m)d min") % {"m": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        if minutes:
            return gettext("%(h)d h %(m)d min") % {"h": hours, "m": minutes}
        return gettext("%(h)d h") % {"h": hours}
    days, hours = divmod(hours, 24)
    if hours:
        return gettext("%(d)d d %(h)d h") % {"d": days, "h": hours}
    return gettext("%(d)d d") % {"d": days}


def _in(unit: timedelta, value: timedelta | None) -> float:
    return round(value / unit, 2) if value else 0


def _week(day: date) -> str:
    """A day as a chart's label: "14 Sep", in the reader's language."""
    return dateformat.format(day, "j M")


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


@login_required
@require_GET
def desk_dashboard(request: HttpRequest) -> HttpResponse:
    if not permissions.is_reviewer(request.user):
        raise PermissionDenied(gettext("The desk's dashboard is for reviewers and admins."))
    refuse_repeats(request.GET)
    try:
        weeks = int(request.GET.get("weeks", dashboard.DEFAULT_PERIOD))
    except ValueError:
        weeks = dashboard.DEFAULT_PERIOD
    if weeks not in dashboard.PERIODS:
        weeks = dashboard.DEFAULT_PERIOD
    figures = dashboard.figures(weeks)
    week_labels = [_week(w.week) for w in figures.waits]
    # At most five labels under a chart, so that they never run into each other.
    label_every = math.ceil(len(week_labels) / 5)

    queue_chart = charts.step_line(
        [_week(day) for day, _ in figures.queue_by_day],
        [size for _, size in figures.queue_by_day],
        label_every=7 * label_every,
    )
    # Waits in minutes while they are short, else in hours.
    longest = max((w.p90 for w in figures.waits if w.p90), default=timedelta(0))
    wait_unit, wait_unit_name = (
        (timedelta(minutes=1), gettext("minutes"))
        if longest < timedelta(hours=2)
        else (timedelta(hours=1), gettext("hours"))
    )
    wait_chart = charts.columns(
        week_labels,
        [
            charts.Series(
                gettext("Median"), [_in(wait_unit, w.median) for w in figures.waits], "series-1"
            ),
            charts.Series(
                gettext("90th percentile"),
                [_in(wait_unit, w.p90) for w in figures.waits],
                "series-2",
            ),
        ],
        stacked=False,
        label_every=label_every,
        describe=gettext("{series}, week of {category}: {value}") + " " + wait_unit_name,
    )
    reviewer_chart = charts.bars(
        [r.reviewer for r in figures.reviewers],
        [
            charts.Series(
                gettext("Approved"), [r.approved for r in figures.reviewers], "outcome-approve"
            ),
            charts.Series(
                gettext("Changes requested"),
                [r.changes for r in figures.reviewers],
                "outcome-changes",
            ),
            charts.Series(
                gettext("Rejected"), [r.rejected for r in figures.reviewers], "outcome-reject"
            ),
        ],
    )
    legend = dashboard.verdict_legend(figures.verdicts)
    verdict_weeks = [w.week for w in figures.waits]
    counts = {(v.week, v.label): v.count for v in figures.verdicts}
    verdict_chart = charts.columns(
        week_labels,
        [
            charts.Series(
                label, [counts.get((week, label), 0) for week in verdict_weeks], fill=colour
            )
            for label, colour in legend
        ],
        label_every=label_every,
        describe=gettext("{series}, week of {category}: {value}"),
    )
    returned_chart = charts.columns(
        week_labels,
        [
            charts.Series(
                gettext("Returned for changes"),
                [w.changes for w in figures.decisions_by_week],
                "outcome-changes",
            ),
            charts.Series(
                gettext("Other decisions"),
                [w.approved + w.rejected for w in figures.decisions_by_week],
                "outcome-other",
            ),
        ],
        label_every=label_every,
        describe=gettext("{series}, week of {category}: {value}"),
    )
    verdict_rows: list[dict[str, Any]] = [
        {
            "week": week,
            "counts": [counts.get((week, label), 0) for label, _ in legend],
            "total": sum(counts.get((week, label), 0) for label, _ in legend),
        }
        for week in verdict_weeks
    ]
    wait_rows = [
        {
            "week": w.week,
            "decisions": w.decisions,
            "median": duration_text(w.median),
            "p90": duration_text(w.p90),
        }
        for w in figures.waits
    ]
    returned_rows = [
        {
            "week": w.week,
            "returned": w.changes,
            "decided": w.total,
            "share": _share(w.changes, w.total),
        }
        for w in figures.decisions_by_week
    ]
    peak = max(figures.queue_by_day, key=lambda pair: pair[1], default=None)
    return render(
        request,
        "annotations/desk_dashboard.html",
        {
            "figures": figures,
            "weeks": weeks,
            "periods": dashboard.PERIODS,
            "queue_chart": queue_chart,
            "wait_chart": wait_chart,
            "reviewer_chart": reviewer_chart,
            "verdict_chart": verdict_chart,
            "returned_chart": returned_chart,
            "verdict_legend": legend,
            "verdict_rows": verdict_rows,
            "wait_rows": wait_rows,
            "returned_rows": returned_rows,
            "queue_peak": peak,
            "wait_unit": wait_unit_name,
            "wait_median": duration_text(figures.wait_overall.median),
            "wait_p90": duration_text(figures.wait_overall.p90),
            "returned_share": _share(figures.returned, figures.decided),
            "published": sum(row["total"] for row in verdict_rows),
        },
    )
