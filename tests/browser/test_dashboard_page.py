"""The desk dashboard in a real Chromium, over eight weeks of record: every chart draws under
the page's Content-Security-Policy (a violation fails the test), asks nothing of another
origin, and fits a phone's width."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Request, expect

from annotations.roles import Role
from tests.browser.test_desk_loop import shot
from tests.desk_history import seed_history
from tests.factories import make_user


@pytest.mark.parametrize("width", [1280, 390])
def test_the_dashboard_draws_its_charts_from_the_page_alone(open_page: Any, width: int) -> None:
    editor = make_user(Role.EDITOR, "ed")
    reviewers = [make_user(Role.REVIEWER, "rev"), make_user(Role.REVIEWER, "rev2")]
    reviewers.append(make_user(Role.ADMIN, "boss"))
    seed_history(author=editor, reviewers=reviewers)
    page = open_page(reviewers[0], "/")
    page.set_viewport_size({"width": width, "height": 900})
    asked: list[str] = []

    def record(request: Request) -> None:
        asked.append(request.url)

    page.on("request", record)
    page.goto("/desk/?weeks=12")
    charts = page.locator("svg.chart")
    expect(charts).to_have_count(5)
    for index in range(5):
        box = charts.nth(index).bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 80
    expect(page.locator("#reviewers svg rect")).not_to_have_count(0)
    expect(page.locator("#verdicts svg rect[fill]")).not_to_have_count(0)
    # Each chart's figures are a table away.
    page.locator("#wait summary").click()
    expect(page.locator("#wait table")).to_be_visible()
    origin = page.url.split("/desk/")[0]
    assert all(url.startswith(origin) for url in asked), asked
    wider = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert wider <= 0, f"the dashboard scrolls {wider} px sideways"
    shot(page, width, "13-desk-dashboard")
