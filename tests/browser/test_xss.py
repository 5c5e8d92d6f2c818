"""Script payloads in every piece of user text stay inert text on every page that shows them.

An article and its claims carry the classic payloads (a script element, an event handler on
an image, an attribute break-out into an svg, a `</script>` that would close a JSON block).
Each page is opened in a real Chromium: no dialog may open, `window.__xss` must stay
undefined, the payloads must be readable as text, and the page must carry the enforced
Content-Security-Policy. The browser fixtures also fail a test on any script error or CSP
violation report in the console, so a payload that reached the page as markup fails even
when the policy blocked it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Dialog

from annotations import services
from annotations.models import Article, Claim, Verdict
from annotations.roles import Role
from tests.factories import ARTICLE_BODY, make_user

SCRIPT = "<script>window.__xss=1;alert('script')</script>"
IMAGE = "<img src=x onerror=\"window.__xss=1;alert('img')\">"
BREAK_OUT = "\"><svg onload=window.__xss=1;alert('svg')>"
CLOSE_SCRIPT = "</script><script>window.__xss=1;alert('close')</script>"
ATTRIBUTE = "' onmouseover='window.__xss=1' x='"


@dataclass
class Desk:
    editor: Any
    reviewer: Any
    admin: Any
    article: Article
    published: Claim
    waiting: Claim


# Admins name the verdicts; a label is user text like any other.
VERDICT_LABEL = "<b onclick=window.__xss=1>Pants</b>"


def _claim(desk_users: dict[str, Any], article: Article, quote: str, **fields: Any) -> Claim:
    start = article.body.index(quote)
    verdict, _ = Verdict.objects.get_or_create(
        slug="pants", defaults={"label": VERDICT_LABEL, "rating": 0}
    )
    return services.claim_create(
        author=desk_users["editor"],
        article=article,
        start=start,
        end=start + len(quote),
        verdict=verdict,
        **fields,
    )


@pytest.fixture
def desk(verdict_scale: None) -> Desk:
    users = {
        "editor": make_user(Role.EDITOR, "ed"),
        "reviewer": make_user(Role.REVIEWER, "rev"),
        "admin": make_user(Role.ADMIN, "boss"),
    }
    article = services.article_import(
        title=f"Budget {SCRIPT}",
        body=f"{ARTICLE_BODY}{IMAGE}\n{CLOSE_SCRIPT}\n",
        publisher=BREAK_OUT,
        byline=ATTRIBUTE,
        imported_by=users["admin"],
    ).article
    published = _claim(
        users,
        article,
        "unemployment had fallen by half since 2020",
        claim_text=f"Halved {CLOSE_SCRIPT}",
        claimant=BREAK_OUT,
        rationale=f"Not so {IMAGE}",
        sources=[
            {
                "url": "https://stats.example.org/labour",
                "title": SCRIPT,
                "publisher": ATTRIBUTE,
                "passage": CLOSE_SCRIPT,
            }
        ],
    )
    published = services.claim_transition(
        claim_id=published.pk, actor=users["editor"], action="submit", version=published.version
    )
    published = services.claim_transition(
        claim_id=published.pk,
        actor=users["reviewer"],
        action="approve",
        version=published.version,
        comment=f"Checked {IMAGE}",
    )
    waiting = _claim(
        users,
        article,
        "the figures came from a report",
        claim_text=f"Unpublished {SCRIPT}",
        claimant=ATTRIBUTE,
        rationale=BREAK_OUT,
    )
    waiting = services.claim_transition(
        claim_id=waiting.pk, actor=users["editor"], action="submit", version=waiting.version
    )
    return Desk(article=article, published=published, waiting=waiting, **users)


@dataclass(frozen=True)
class Visit:
    who: str | None
    path: Callable[[Desk], str]
    shows: tuple[str, ...]


VISITS = {
    "article-page": Visit(
        "editor",
        lambda d: f"/articles/{d.article.pk}/",
        (SCRIPT, IMAGE, CLOSE_SCRIPT, BREAK_OUT, ATTRIBUTE, VERDICT_LABEL),
    ),
    "review-queue": Visit("reviewer", lambda d: "/review/", (SCRIPT, VERDICT_LABEL)),
    "review-screen": Visit(
        "reviewer",
        lambda d: f"/review/{d.published.pk}/",
        (CLOSE_SCRIPT, BREAK_OUT, IMAGE, SCRIPT, ATTRIBUTE, VERDICT_LABEL),
    ),
    "review-screen-waiting": Visit(
        "reviewer", lambda d: f"/review/{d.waiting.pk}/", (SCRIPT, ATTRIBUTE, BREAK_OUT)
    ),
    "admin-change-list": Visit(
        "admin", lambda d: "/admin/annotations/claim/", (CLOSE_SCRIPT, SCRIPT)
    ),
    "admin-change-page": Visit(
        "admin",
        lambda d: f"/admin/annotations/claim/{d.published.pk}/change/",
        (CLOSE_SCRIPT, BREAK_OUT, IMAGE, SCRIPT, ATTRIBUTE),
    ),
    "admin-article-page": Visit(
        "admin",
        lambda d: f"/admin/annotations/article/{d.article.pk}/change/",
        (SCRIPT, BREAK_OUT, ATTRIBUTE, CLOSE_SCRIPT),
    ),
    "public-claim-page": Visit(
        None,
        lambda d: f"/claims/{d.published.pk}/",
        (CLOSE_SCRIPT, BREAK_OUT, IMAGE, SCRIPT, VERDICT_LABEL),
    ),
}


@pytest.mark.parametrize("name", list(VISITS))
def test_payloads_are_inert_text_on_the_page(
    name: str, desk: Desk, context: BrowserContext, open_page: Callable[..., Any]
) -> None:
    visit = VISITS[name]
    dialogs: list[str] = []

    def refuse(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    context.on("dialog", refuse)
    user = getattr(desk, visit.who) if visit.who else None
    path = visit.path(desk)
    page = open_page(user, path)
    page.wait_for_load_state("networkidle")

    assert page.evaluate("typeof window.__xss") == "undefined"
    assert dialogs == []
    # Read the text as the page holds it: a payload parsed as markup would lose its tags.
    text = page.locator("body").text_content() or ""
    for payload in visit.shows:
        assert payload in _form_values(page) + text, f"{payload!r} is not shown as text"
    policy = page.request.get(path).headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def _form_values(page: Any) -> str:
    """The values of the page's inputs and textareas: an edit form shows text there."""
    values = page.eval_on_selector_all(
        "input, textarea", "fields => fields.map(field => field.value)"
    )
    return "\n".join(values)


def test_an_inline_script_slipped_into_a_page_is_blocked_by_the_policy(
    desk: Desk, context: BrowserContext
) -> None:
    """Defence in depth: were an inline script to reach the page, the policy refuses to run
    it (and reports the violation)."""
    page = context.new_page()
    page.goto(f"/claims/{desk.published.pk}/")
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "window.__xss = 1";
                document.body.append(script);
            }"""
        )
    assert page.evaluate("typeof window.__xss") == "undefined"
