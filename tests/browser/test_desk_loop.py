"""The desk's daily loop in a real Chromium, at a desktop's width and a phone's: an editor
submits a claim, a reviewer sends it back with a comment, the editor sees the notice and the
reason on My claims, corrects it and resubmits, and the reviewer approves it. Every screen is
saved under test-artifacts/desk-loop/<width>/."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from annotations.models import Claim, Notification
from annotations.roles import Role
from tests.browser.selecting import select_phrase_with_mouse, selected_text
from tests.factories import ArticleFactory, make_user

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts")) / "desk-loop"
# `make docs-screens` sets it: the screens docs/review.md shows are saved there too.
DOCS_SCREENS = os.environ.get("DOCS_SCREENS", "")
IN_THE_DOCS = {
    "04-reviewer-review-screen": "review-screen",
    "06-reviewer-sent-back": "review-decided",
    "07-editor-notifications": "notifications",
    "08-editor-my-claims": "my-claims",
    "10-reviewer-sees-the-changes": "review-changes",
    "13-desk-dashboard": "desk-dashboard",
}
PHRASE = "unemployment had fallen by half since 2020"
REASON = "Cite the labour survey itself, not the mayor's press release: table 3 has the figure."
FIX = "The labour survey (table 3) shows a 12% fall since 2020, not half."


def shot(page: Page, width: int, name: str) -> None:
    folder = ARTIFACTS / str(width)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    if DOCS_SCREENS and name in IN_THE_DOCS:
        docs = Path(DOCS_SCREENS)
        docs.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(docs / f"{IN_THE_DOCS[name]}-{width}.png"), full_page=True)


def no_sideways_scroll(page: Page) -> None:
    wider = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert wider <= 0, f"{page.url} scrolls {wider} px sideways"


@pytest.mark.parametrize("width", [1280, 390])
def test_the_loop_from_submission_to_approval_with_a_round_of_changes(
    open_page: Any, width: int
) -> None:
    editor = make_user(Role.EDITOR, "ed")
    reviewer = make_user(Role.REVIEWER, "rev")
    article = ArticleFactory()
    size = {"width": width, "height": 900}

    def as_user(user: Any, path: str) -> Page:
        page = open_page(user, path)
        page.set_viewport_size(size)
        return page

    # The editor records a claim and submits it.
    page = as_user(editor, f"/articles/{article.pk}/")
    if width >= 1000:
        select_phrase_with_mouse(page, article.body, PHRASE)
    else:
        # On a phone's width, from the keyboard: the caret to the phrase, then Shift+Right.
        page.locator("#article-text").focus()
        for _ in range(article.body.index(PHRASE)):
            page.keyboard.press("ArrowRight")
        for _ in PHRASE:
            page.keyboard.press("Shift+ArrowRight")
    assert selected_text(page) == PHRASE
    page.get_by_role("button", name="New claim").click()
    page.get_by_label("Claimant", exact=True).fill("The mayor")
    page.get_by_label("Verdict", exact=True).select_option(label="False")
    page.get_by_label("Rationale", exact=True).fill("The figures say otherwise.")
    page.get_by_label("Source URL", exact=True).fill("https://city.example.org/press")
    shot(page, width, "01-editor-writes-the-claim")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator("#claim-form")).to_be_hidden()
    claim = Claim.objects.get()
    assert (claim.status, claim.quote) == ("submitted", PHRASE)
    shot(page, width, "02-editor-submitted")

    # The reviewer takes it from the queue and asks for changes, from the keyboard.
    desk = as_user(reviewer, "/review/")
    shot(desk, width, "03-reviewer-queue")
    desk.get_by_role("button", name=re.compile("^Review next")).first.click()
    expect(desk).to_have_url(re.compile(rf"/review/{claim.pk}/$"))
    expect(desk.locator(".verdict-badge")).to_have_text("False")
    assert "Version" not in desk.locator("main").inner_text()
    no_sideways_scroll(desk)
    shot(desk, width, "04-reviewer-review-screen")
    desk.locator("h1").click()  # out of any field: shortcuts are live
    desk.keyboard.press("c")
    comment = desk.get_by_label("Comment (required)")
    expect(comment).to_be_focused()
    expect(desk.get_by_role("radio", name=re.compile("^Request changes"))).to_be_checked()
    # Typing in the comment never fires a shortcut: "a" stays a letter.
    comment.press("a")
    expect(desk.get_by_role("radio", name=re.compile("^Request changes"))).to_be_checked()
    comment.fill("")
    # Without the comment the workflow requires, nothing is sent.
    desk.get_by_role("button", name="Send decision").click()
    expect(desk.locator("#decision-problem")).to_contain_text("A comment is required")
    shot(desk, width, "05-reviewer-comment-required")
    claim.refresh_from_db()
    assert claim.status == "submitted"
    comment.fill(REASON)
    comment.press("Control+Enter")
    expect(desk.locator(".messages")).to_contain_text("done")
    expect(desk.locator(".status-badge").first).to_have_text("Changes requested")
    shot(desk, width, "06-reviewer-sent-back")

    # The editor sees the notice and the reason.
    page = as_user(editor, "/")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name=re.compile("^Notifications"))).to_contain_text("1")
    page.goto("/my/notifications/")
    notice = page.locator(".notice-item").first
    expect(notice).to_contain_text("Changes requested")
    expect(notice).to_contain_text(REASON)
    no_sideways_scroll(page)
    shot(page, width, "07-editor-notifications")
    page.goto("/my/claims/")
    card = page.locator(f"#my-claim-{claim.pk}")
    expect(card.locator(".latest-decision")).to_contain_text("Changes requested by rev")
    expect(card).to_contain_text(REASON)
    no_sideways_scroll(page)
    shot(page, width, "08-editor-my-claims")

    # The editor corrects it on the article page and submits it again.
    card.get_by_role("link", name="Edit on the article page").click()
    expect(page).to_have_url(re.compile(rf"/articles/{article.pk}/#claim-{claim.pk}$"))
    item = page.locator(f"#claim-{claim.pk}")
    if "selected" not in (item.get_attribute("class") or ""):
        item.locator(".claim-select").click()
    item.get_by_role("button", name="Edit").click()
    page.get_by_label("Rationale", exact=True).fill(FIX)
    shot(page, width, "09-editor-corrects")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator("#claim-form")).to_be_hidden()
    claim.refresh_from_db()
    assert (claim.status, claim.rationale) == ("submitted", FIX)

    # The reviewer sees what changed and approves. (One browser, one signed-in user at a
    # time: each role opens its page again.)
    desk = as_user(reviewer, "/review/")
    desk.get_by_role("button", name=re.compile("^Review next")).first.click()
    expect(desk.locator(".changes")).to_contain_text("12%")
    shot(desk, width, "10-reviewer-sees-the-changes")
    desk.locator("h1").click()
    desk.keyboard.press("a")
    expect(desk.get_by_role("radio", name=re.compile("^Approve"))).to_be_checked()
    desk.get_by_role("button", name="Send decision").click()
    expect(desk.locator(".status-badge").first).to_have_text("Published")
    shot(desk, width, "11-reviewer-approved")

    page = as_user(editor, "/my/notifications/")
    expect(page.locator(".notice-item").first).to_contain_text("Approved and published")
    shot(page, width, "12-editor-told-of-the-approval")
    kinds = list(
        Notification.objects.filter(recipient=editor).order_by("id").values_list("kind", flat=True)
    )
    assert kinds == ["changes_requested", "published"]
