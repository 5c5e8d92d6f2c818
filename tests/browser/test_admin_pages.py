"""factcheck's own screens of Django's admin, in English and in French, at a desktop's and a
phone's width: no serious or critical axe-core finding and no page wider than the window.

The desk's 44 px rule for controls (test_every_page.py) is not asked of the admin, whose
controls are Django's own sizes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page

from annotations.roles import Role
from tests.browser.test_every_page import AXE, WIDTHS, overflow
from tests.factories import make_claim, make_user

LANGUAGES = ("en", "fr")


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail("axe-core is missing: run `npm ci` (`make install` does).", pytrace=False)
    return AXE.read_text(encoding="utf-8")


def axe_findings(page: Page, source: str) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on `page`. Without axe's preload of the
    stylesheets, which on the change form inserts a style element that the page's
    Content-Security-Policy refuses (and the refusal would fail the test as a page error)."""
    page.evaluate(source)
    found: list[dict[str, Any]] = page.evaluate(
        """async () => {
            const result = await axe.run(document, { resultTypes: ["violations"], preload: false });
            return result.violations
                .filter((v) => v.impact === "serious" || v.impact === "critical")
                .map((v) => ({ id: v.id, impact: v.impact,
                               nodes: v.nodes.slice(0, 4).map((n) => n.target.join(" ")) }));
        }"""
    )
    return found


def check(page: Page, where: str, axe_source: str, problems: list[str]) -> None:
    page.wait_for_load_state("networkidle")
    if wider := overflow(page):
        problems.append(f"{where}: {wider} px wider than the window")
    for finding in axe_findings(page, axe_source):
        problems.append(f"{where}: axe {finding['impact']} {finding['id']} at {finding['nodes']}")


@pytest.mark.parametrize("size", list(WIDTHS))
def test_the_factcheck_admin_screens_fit_and_pass_axe(
    open_page: Callable[..., Page], axe_source: str, size: str
) -> None:
    admin: Any = make_user(Role.ADMIN, "admin")
    editor = make_user(Role.EDITOR, "editor")
    claim = make_claim(author=editor, status="submitted")
    paths = [
        "/admin/",
        "/admin/annotations/claim/",
        f"/admin/annotations/claim/{claim.pk}/change/",
        "/admin/annotations/claimant/",
        "/admin/annotations/verdict/",
        "/admin/annotations/reviewevent/",
    ]
    width, height = WIDTHS[size]
    problems: list[str] = []
    for language in LANGUAGES:
        page = open_page(admin, "about:blank")
        page.set_extra_http_headers({"Accept-Language": language})
        page.set_viewport_size({"width": width, "height": height})
        for path in paths:
            response = page.goto(path)
            assert response is not None and response.status == 200, path
            check(page, f"{path} ({language})", axe_source, problems)
        # The decision screen: an action chosen on the list of claims.
        page.goto("/admin/annotations/claim/")
        page.check(f"input.action-select[value='{claim.pk}']")
        page.select_option("select[name=action]", "reject_claims")
        page.click("button[name=index]")
        page.wait_for_selector("form.decision-form")
        check(page, f"decide screen ({language})", axe_source, problems)
        page.close()
    assert not problems, "\n".join(problems)
