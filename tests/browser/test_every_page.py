"""Every page of the desk, as each role sees it, at a desktop's width and a phone's (390 px):
no page scrolls sideways, every control is a 44 px target, and axe-core finds no serious or
critical accessibility violation. A screenshot of each is kept (test-artifacts/pages/).

The pages are listed from the URLconf: a named route must be in PAGES or in NOT_PAGES, so a
new page is checked from the day it is added.

axe-core comes from npm (package.json pins it; `make install` runs `npm ci`) and is run in
the page through the DevTools protocol, which the page's Content-Security-Policy does not
govern, so the page is tested exactly as it is served.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from playwright.sync_api import Page

from annotations.models import Article, Claim
from annotations.roles import Role
from tests.factories import ArticleFactory, make_claim, make_user

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", REPO / "test-artifacts" / "pages"))
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
TARGET = 44

# The axe-core findings the API documentation page (Swagger UI, drf-spectacular's sidecar
# copy) still has; docs/api.md says why each is left. Any other finding fails.
API_DOCS_KNOWN = {"nested-interactive"}


@dataclass
class Desk:
    editor: Any
    reviewer: Any
    admin: Any
    article: Article
    draft: Claim
    submitted: Claim
    returned: Claim
    published: Claim
    retracted: Claim


@dataclass(frozen=True)
class Visit:
    """One page as one role sees it."""

    name: str
    role: str
    path: Callable[[Desk], str]
    status: int = 200


# Every page, by its route's name; roles: none (signed out), editor, reviewer, admin.
PAGES: list[Visit] = [
    Visit("login", "none", lambda d: "/login/"),
    Visit("public-claims", "none", lambda d: "/claims/"),
    Visit("claim-public", "none", lambda d: f"/claims/{d.published.pk}/"),
    Visit("claim-public", "none", lambda d: f"/claims/{d.retracted.pk}/"),
    Visit("public-corrections", "none", lambda d: "/corrections/"),
    Visit("article-list", "editor", lambda d: "/"),
    Visit("article-list", "reviewer", lambda d: "/"),
    Visit("article-list", "admin", lambda d: "/"),
    Visit("article-detail", "editor", lambda d: f"/articles/{d.article.pk}/"),
    Visit("article-detail", "reviewer", lambda d: f"/articles/{d.article.pk}/"),
    Visit("article-import", "admin", lambda d: "/articles/import/"),
    Visit("review-queue", "reviewer", lambda d: "/review/"),
    Visit("review-queue", "admin", lambda d: "/review/"),
    Visit("review-claim", "reviewer", lambda d: f"/review/{d.submitted.pk}/"),
    Visit("review-claim", "editor", lambda d: f"/review/{d.returned.pk}/"),
    Visit("display-settings", "editor", lambda d: "/my/settings/display/"),
    Visit("my-claims", "editor", lambda d: "/my/claims/"),
    Visit("notifications", "editor", lambda d: "/my/notifications/"),
    Visit("notification-settings", "editor", lambda d: "/my/settings/"),
    Visit("desk-dashboard", "reviewer", lambda d: "/desk/"),
    Visit("search", "editor", lambda d: "/search/"),
    Visit("search", "editor", lambda d: "/search/?q=mayor"),
    Visit("article-revision", "editor", lambda d: f"/articles/{d.article.pk}/revisions/1/"),
    Visit("article-compare", "editor", lambda d: f"/articles/{d.article.pk}/compare/"),
    Visit("claimant-page", "none", lambda d: f"/claimants/{d.published.claimant_id}/"),
    Visit("claimant-page", "editor", lambda d: f"/claimants/{d.published.claimant_id}/"),
    Visit("error-404", "editor", lambda d: "/no/such/page/", status=404),
    Visit("error-403", "editor", lambda d: "/review/", status=403),
]

# Named routes that are not pages a person reads: feeds and data, form targets that
# redirect, fragments the annotation page fetches.
NOT_PAGES = {
    "healthz",
    "logout",
    "claims-feed",
    "claims-datafeed",
    "corrections-feed",
    "sitemap",
    "review-next",
    "review-act",
    "review-release",
    "article-claim-row",
    "article-check",
    "known-claim-repeat",
    "notification-open",
    "notification-mark",
    "notifications-read-all",
}


def route_names(patterns: list[URLPattern | URLResolver]) -> set[str]:
    """The names of the desk's own routes (not the admin's nor the API's)."""
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace is None and not str(pattern.pattern).startswith("api/"):
                names |= route_names(pattern.url_patterns)
        elif pattern.name:
            names.add(pattern.name)
    return names


def test_every_named_route_is_a_checked_page_or_declared_not_one() -> None:
    listed = {visit.name for visit in PAGES} | NOT_PAGES
    missing = route_names(get_resolver().url_patterns) - listed
    assert not missing, f"add these routes to PAGES (or NOT_PAGES): {sorted(missing)}"


@pytest.fixture
def desk(verdict_scale: None) -> Desk:
    editor = make_user(Role.EDITOR, "editor")
    reviewer = make_user(Role.REVIEWER, "reviewer")
    admin = make_user(Role.ADMIN, "admin")
    article = ArticleFactory(title="Harbour traffic doubled, the port authority says")
    return Desk(
        editor=editor,
        reviewer=reviewer,
        admin=admin,
        article=article,
        draft=make_claim(author=editor, article=article),
        submitted=make_claim(author=editor, article=article, status="submitted"),
        returned=make_claim(
            author=editor, article=article, status="changes_requested", reviewer=reviewer
        ),
        published=make_claim(author=editor, status="approved", reviewer=reviewer),
        retracted=make_claim(author=editor, status="retracted", reviewer=reviewer),
    )


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(
            f"axe-core is missing ({AXE.relative_to(REPO)}): run `npm ci` at the top of the "
            "checkout (`make install` does).",
            pytrace=False,
        )
    return AXE.read_text(encoding="utf-8")


def axe_findings(page: Page, source: str) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on `page`, with the elements at fault."""
    page.evaluate(source)
    found: list[dict[str, Any]] = page.evaluate(
        """async () => {
            const result = await axe.run(document, { resultTypes: ["violations"] });
            return result.violations
                .filter((v) => v.impact === "serious" || v.impact === "critical")
                .map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                               nodes: v.nodes.slice(0, 4).map((n) => n.target.join(" ")) }));
        }"""
    )
    return found


# Controls that must be full-size targets. Links inside prose and table cells are exempt
# (WCAG 2.5.8 exempts inline targets), as are checkboxes and radios, whose label is the target.
CONTROLS = """
    header a, header button, footer a,
    main button, main .button, main input:not([type=hidden]):not([type=checkbox]):not([type=radio]),
    main select, main textarea, nav.pages a
"""


def small_targets(page: Page) -> list[str]:
    found: list[str] = page.evaluate(
        """([selector, target]) => [...document.querySelectorAll(selector)]
            .filter((el) => el.getClientRects().length && getComputedStyle(el).visibility !== "hidden")
            .filter((el) => !el.closest("[hidden], .visually-hidden, .skip-link"))
            .map((el) => [el, el.getBoundingClientRect()])
            .filter(([el, box]) => box.height < target - 0.5)
            .map(([el, box]) => `${el.tagName.toLowerCase()}${el.className ? "." + String(el.className).trim().replace(/\\s+/g, ".") : ""}`
                                + ` "${(el.textContent || el.value || el.name || "").trim().slice(0, 30)}" ${Math.round(box.height)}px`)""",
        [CONTROLS, TARGET],
    )
    return found


def overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the window (0: it fits)."""
    width: int = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    return max(width, 0)


@pytest.fixture
def signed_in(open_page: Callable[..., Page], desk: Desk) -> Iterator[Callable[[Visit], Page]]:
    users = {"none": None, "editor": desk.editor, "reviewer": desk.reviewer, "admin": desk.admin}
    pages: list[Page] = []

    def visit(page_visit: Visit) -> Page:
        page = open_page(users[page_visit.role], "about:blank")
        pages.append(page)
        return page

    yield visit
    for page in pages:
        page.close()


@pytest.mark.parametrize("size", list(WIDTHS))
def test_every_page_fits_has_full_size_targets_and_no_serious_axe_violation(
    signed_in: Callable[[Visit], Page], desk: Desk, axe_source: str, size: str
) -> None:
    width, height = WIDTHS[size]
    problems: list[str] = []
    (SHOTS / size).mkdir(parents=True, exist_ok=True)
    for index, visit in enumerate(PAGES):
        page = signed_in(visit)
        page.set_viewport_size({"width": width, "height": height})
        response = page.goto(visit.path(desk))
        where = f"{visit.name} as {visit.role} ({visit.path(desk)})"
        assert response is not None
        if response.status != visit.status:
            problems.append(f"{where}: HTTP {response.status}, expected {visit.status}")
        page.wait_for_load_state("networkidle")
        page.screenshot(
            path=SHOTS / size / f"{index:02d}-{visit.name}-{visit.role}.png", full_page=True
        )
        if wider := overflow(page):
            problems.append(f"{where}: {wider} px wider than the {width} px window")
        for target in small_targets(page):
            problems.append(f"{where}: target under {TARGET} px: {target}")
        for finding in axe_findings(page, axe_source):
            problems.append(
                f"{where}: axe {finding['impact']} {finding['id']} ({finding['help']}) "
                f"at {finding['nodes']}"
            )
        page.close()
    assert not problems, "\n".join(problems)


def test_the_api_documentation_has_only_the_documented_axe_findings(
    open_page: Callable[..., Page], axe_source: str
) -> None:
    page = open_page(None, "/api/docs/")
    page.wait_for_selector(".swagger-ui .info")
    found = {finding["id"] for finding in axe_findings(page, axe_source)}
    assert found <= API_DOCS_KNOWN, f"new findings: {sorted(found - API_DOCS_KNOWN)}"
