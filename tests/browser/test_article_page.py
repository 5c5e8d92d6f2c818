"""The annotation page as a desk uses it, at a desktop's and a phone's width: typed work is
never lost (drafts kept in the browser, a question before discarding, the conflict screen),
the passage being written stays marked, the form's buttons stay on screen, highlights are
reached from the keyboard and show their claim, overlapping claims each show their extent,
and the panel filters, searches and leads back and forth between the text and the claims.

Each test saves screenshots of the states it reaches in test-artifacts/article-page/."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from annotations import services
from annotations.models import Article, Claim
from annotations.roles import Role
from tests.browser.conftest import WAIT_MS
from tests.browser.selecting import select_phrase_with_mouse
from tests.factories import ArticleFactory, make_claim, make_user

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts")) / "article-page"
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}

PHRASE = "unemployment had fallen by half since 2020"


@pytest.fixture(params=list(SIZES))
def size(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
def open_sized(
    browser: Browser, live_server: Any, verdict_scale: None, size: str
) -> Iterator[Callable[..., Page]]:
    """open_sized(user, path) -> a page signed in as `user`, at the test's width (a phone is
    touch-enabled). A script error or a CSP violation fails the test."""
    width, height = SIZES[size]
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": width, "height": height},
        has_touch=size == "phone",
        is_mobile=size == "phone",
    )
    context.set_default_timeout(WAIT_MS)
    errors: list[str] = []

    def record_console(message: Any) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(f"console: {message.text}")

    def open_as(user: Any, path: str) -> Page:
        client = Client()
        client.force_login(user)
        session = client.cookies["sessionid"].value
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"script error: {error}"))
        page.on("console", record_console)
        page.goto(path)
        return page

    yield open_as
    context.close()
    assert errors == [], "the page reported errors"


# `make docs-screens` sets it: the screens docs/annotating.md shows are saved there too.
DOCS_SCREENS = os.environ.get("DOCS_SCREENS", "")
IN_THE_DOCS = {
    "new-claim-pending-passage": "annotating-new-claim",
    "draft-restored": "annotating-draft-restored",
    "edit-conflict": "annotating-conflict",
    "highlight-card-on-focus": "annotating-card",
    "overlapping-claims": "annotating-overlaps",
    "panel-filtered": "annotating-panel",
}


def shoot(page: Page, size: str, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{size}.png"))
    if DOCS_SCREENS and name in IN_THE_DOCS:
        docs = Path(DOCS_SCREENS)
        docs.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(docs / f"{IN_THE_DOCS[name]}-{SIZES[size][0]}.png"))


@pytest.fixture
def desk(verdict_scale: None) -> dict[str, Any]:
    return {
        "editor": make_user(Role.EDITOR, "ed"),
        "editor2": make_user(Role.EDITOR, "ed2"),
        "reviewer": make_user(Role.REVIEWER, "rev"),
        "admin": make_user(Role.ADMIN, "boss"),
    }


def imported(desk: dict[str, Any], body: str) -> Article:
    return services.article_import(title="Budget", body=body, imported_by=desk["admin"]).article


def stored_drafts(page: Page) -> dict[str, Any]:
    drafts: dict[str, Any] = page.evaluate(
        """() => Object.fromEntries(Object.keys(localStorage)
            .filter((k) => k.startsWith("factcheck:claim-draft:"))
            .map((k) => [k, JSON.parse(localStorage.getItem(k))]))"""
    )
    return drafts


def pending_passage(page: Page) -> str | None:
    text: str | None = page.evaluate(
        """() => {
            const pending = CSS.highlights.get("pending-claim");
            return pending ? [...pending][0].toString() : null;
        }"""
    )
    return text


def in_viewport(page: Page, selector: str) -> bool:
    inside: bool = page.evaluate(
        """(selector) => {
            const box = document.querySelector(selector).getBoundingClientRect();
            return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight
                && box.left >= 0 && box.right <= window.innerWidth;
        }""",
        selector,
    )
    return inside


SELECT_TEXT = """
([start, end]) => {
    // A selection as a finger leaves it (touch selection has no mouse drag to replay).
    const container = document.getElementById("article-text");
    const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    let seen = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (start >= seen && start <= seen + node.data.length) range.setStart(node, start - seen);
        if (end >= seen && end <= seen + node.data.length) { range.setEnd(node, end - seen); break; }
        seen += node.data.length;
    }
    document.getSelection().removeAllRanges();
    document.getSelection().addRange(range);
}
"""


def start_new_claim(page: Page, body: str, phrase: str = PHRASE) -> None:
    if page.evaluate("() => matchMedia('(pointer: coarse)').matches"):
        start = body.index(phrase)  # the bodies here are ASCII: code points are UTF-16 units
        page.evaluate(SELECT_TEXT, [start, start + len(phrase)])
    else:
        select_phrase_with_mouse(page, body, phrase)
    page.get_by_role("button", name="New claim").click()
    expect(page.locator("#claim-form")).to_be_visible()


# --- Never lose typed work ---------------------------------------------------------------------


def test_a_new_claims_draft_is_kept_through_a_reload_until_it_is_saved(
    open_sized: Callable[..., Page], desk: dict[str, Any], size: str
) -> None:
    article = ArticleFactory()
    page = open_sized(desk["editor"], f"/articles/{article.pk}/")
    start_new_claim(page, article.body)
    # The passage stays marked while the form is open, though the selection has gone.
    assert pending_passage(page) == PHRASE
    page.get_by_label("Rationale", exact=True).fill("The survey shows a 12% fall.")
    page.get_by_label("Source URL", exact=True).fill("https://stats.example.org/labour")
    shoot(page, size, "new-claim-pending-passage")
    (draft,) = stored_drafts(page).values()
    assert draft["target"]["span"]["quote"] == PHRASE

    page.once("dialog", lambda dialog: dialog.accept())  # the warning before leaving
    page.reload()
    expect(page.locator("#draft-notice")).to_be_visible()
    expect(page.locator("#draft-notice")).to_contain_text("Restored what you typed")
    expect(page.get_by_label("Rationale", exact=True)).to_have_value("The survey shows a 12% fall.")
    expect(page.get_by_label("Source URL", exact=True)).to_have_value(
        "https://stats.example.org/labour"
    )
    assert pending_passage(page) == PHRASE
    shoot(page, size, "draft-restored")

    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#claim-form")).to_be_hidden()
    claim = Claim.objects.get()
    assert claim.rationale == "The survey shows a 12% fall." and claim.quote == PHRASE
    assert stored_drafts(page) == {}
    assert pending_passage(page) is None
    page.reload()
    expect(page.locator("#claim-form")).to_be_hidden()


def test_an_edits_draft_comes_back_and_can_be_discarded(
    open_sized: Callable[..., Page], desk: dict[str, Any], size: str
) -> None:
    article = ArticleFactory()
    claim = make_claim(author=desk["editor"], article=article)
    page = open_sized(desk["editor"], f"/articles/{article.pk}/")
    item = page.locator(f"#claim-{claim.pk}")
    item.locator(".claim-select").click()
    item.get_by_role("button", name="Edit").click()
    page.get_by_label("Claimant", exact=True).fill("Mayor Jane Roe")
    page.once("dialog", lambda dialog: dialog.accept())
    page.reload()
    expect(page.locator("#claim-form-title")).to_have_text(f"Edit claim #{claim.pk}")
    expect(page.get_by_label("Claimant", exact=True)).to_have_value("Mayor Jane Roe")
    page.get_by_role("button", name="Discard what was restored").click()
    expect(page.get_by_label("Claimant", exact=True)).to_have_value("The mayor")
    expect(page.locator("#draft-notice")).to_be_hidden()
    assert stored_drafts(page) == {}
    # Nothing is typed now: Cancel closes without a question.
    page.get_by_role("button", name="Cancel").click()
    expect(page.locator("#claim-form")).to_be_hidden()
    claim.refresh_from_db()
    assert claim.claimant is not None and claim.claimant.name == "The mayor"


def test_editing_a_claim_resumes_what_another_tab_kept_for_it(
    open_sized: Callable[..., Page], desk: dict[str, Any], size: str
) -> None:
    article = ArticleFactory()
    claim = make_claim(author=desk["editor"], article=article)
    page = open_sized(desk["editor"], f"/articles/{article.pk}/")
    item = page.locator(f"#claim-{claim.pk}")
    item.locator(".claim-select").click()
    item.get_by_role("button", name="Edit").click()
    page.get_by_label("Rationale", exact=True).fill("Typed in the first tab.")
    # A second tab of the same browser has the same kept drafts.
    other = page.context.new_page()
    other.goto(f"/articles/{article.pk}/")
    expect(other.get_by_label("Rationale", exact=True)).to_have_value("Typed in the first tab.")
    other.get_by_role("button", name="Discard what was restored").click()
    other.get_by_role("button", name="Cancel").click()
    expect(other.locator("#claim-form")).to_be_hidden()
    # The first tab types on: its draft is kept again, and Edit in the other tab resumes it.
    page.get_by_label("Claimant", exact=True).fill("Mayor Jane Roe")
    other_item = other.locator(f"#claim-{claim.pk}")
    other_item.locator(".claim-select").click()
    other_item.get_by_role("button", name="Edit").click()
    expect(other.locator("#draft-notice")).to_be_visible()
    expect(other.get_by_label("Claimant", exact=True)).to_have_value("Mayor Jane Roe")
    expect(other.get_by_label("Rationale", exact=True)).to_have_value("Typed in the first tab.")
    other.close()


def test_leaving_with_unsaved_changes_warns_and_leaving_without_them_does_not(
    open_sized: Callable[..., Page], desk: dict[str, Any], size: str
) -> None:
    article = ArticleFactory()
    page = open_sized(desk["editor"], f"/articles/{article.pk}/")
    dialogs: list[str] = []

    def answer(dialog: Any) -> None:
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", answer)
    start_new_claim(page, article.body)
    page.reload()  # opened, nothing typed: no warning
    assert dialogs == []

    start_new_claim(page, article.body)
    page.get_by_label("Rationale", exact=True).fill("Half-written thought")
    page.reload()
    assert dialogs == ["beforeunload"]


def test_escape_and_cancel_ask_before_discarding_what_was_typed(
    open_sized: Callable[..., Page], desk: dict[str, Any], size: str
) -> None:
    article = ArticleFactory()
    page = open_sized(desk["editor"], f"/articles/{article.pk}/")
    start_new_claim(page, article.body)
    page.keyboard.press("Escape")  # nothing typed: closes at once
    expect(page.locator("#claim-form")).to_be_hidden()
    expect(page.locator("#confirm-dialog")).to_be_hidden()

    start_new_claim(page, article.body)
    rationale = page.get_by_label("Rationale", exact=True)
    rationale.fill("A rationale worth keeping")
    rationale.press("Escape")
    dialog = page.get_by_role("dialog", name="Discard your changes?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Keep editing")).to_be_focused()
    shoot(page, size, "discard-question")
    page.keyboard.press("Escape")  # Escape in the question keeps the work
    expect(dialog).to_be_hidden()
    expect(page.locator("#claim-form")).to_be_visible()
    expect(rationale).to_have_value("A rationale worth keeping")

    page.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Keep editing").click()
    expect(rationale).to_have_value("A rationale worth keeping")
    page.get_by_role("button", name="Cancel").click()
    dialog.get_by_role("button", name="Discard changes").click()
    expect(page.locator("#claim-form")).to_be_hidden()
    assert stored_drafts(page) == {}
    assert Claim.objects.count() == 0


def conflicted(open_sized: Callable[..., Page], desk: dict[str, Any]) -> tuple[Page, Claim]:
    """An edit saved against a version someone else has replaced meanwhile."""
    article = ArticleFactory()
    claim = make_claim(author=desk["editor"], article=article)
    page = open_sized(desk["editor"], f"/articles/{article.pk}/")
    item = page.locator(f"#claim-{claim.pk}")
    item.locator(".claim-select").click()
    item.get_by_role("button", name="Edit").click()
    # The same editor saves another change in another tab.
    services.claim_update(
        claim_id=claim.pk,
        actor=desk["editor"],
        version=claim.version,
        changes={"claimant": "Mayor (other tab)", "rationale": "Their rationale."},
    )
    page.get_by_label("Rationale", exact=True).fill("My careful rewrite.")
    page.get_by_role("button", name="Save draft").click()
    return page, claim


def test_an_edit_conflict_shows_their_version_beside_mine_and_saves_mine_when_asked(
    open_sized: Callable[..., Page], desk: dict[str, Any], size: str
) -> None:
    page, claim = conflicted(open_sized, desk)
    conflict = page.locator("#conflict")
    expect(conflict).to_be_visible()
    rationale_row = conflict.locator(".conflict-row", has_text="Rationale")
    expect(rationale_row.locator(".conflict-side").nth(0)).to_contain_text("Their rationale.")
    expect(rationale_row.locator(".conflict-side").nth(1)).to_contain_text("My careful rewrite.")
    expect(conflict.locator(".conflict-row", has_text="Claimant")).to_contain_text(
        "Mayor (other tab)"
    )
    # Mine stays in the form, and nothing was written.
    expect(page.get_by_label("Rationale", exact=True)).to_have_value("My careful rewrite.")
    claim.refresh_from_db()
    assert claim.rationale == "Their rationale."
    conflict.scroll_into_view_if_needed()
    shoot(page, size, "edit-conflict")

    page.get_by_role("button", name="Save mine over theirs").click()
    expect(page.locator("#claim-form")).to_be_hidden()
    claim.refresh_from_db()
    assert (
        claim.rationale == "My careful rewrite."
        and claim.claimant is not None
        and claim.claimant.name == "The mayor"
    )


def test_an_edit_conflict_can_take_their_version_instead(
    open_sized: Callable[..., Page], desk: dict[str, Any], size: str
) -> None:
    page, claim = conflicted(open_sized, desk)
    page.get_by_role("button", name="Take theirs (drop mine)").click()
    expect(page.locator("#conflict")).to_be_hidden()
    expect(page.get_by_label("Rationale", exact=True)).to_have_value("Their rationale.")
    expect(page.get_by_label("Claimant", exact=True)).to_have_value("Mayor (other tab)")
    # Their version is now the form's starting point: nothing typed, nothing asked.
    page.get_by_role("button", name="Cancel").click()
    expect(page.locator("#claim-form")).to_be_hidden()
    expect(page.locator(f"#claim-{claim.pk}")).to_contain_text("Their rationale.")


# --- The page --------------------------------------------------------------------------------


def test_the_forms_buttons_stay_on_screen_with_several_sources(
    open_sized: Callable[..., Page], desk: dict[str, Any], size: str
) -> None:
    article = ArticleFactory()
    page = open_sized(desk["editor"], f"/articles/{article.pk}/")
    start_new_claim(page, article.body)
    for _ in range(2):
        page.get_by_role("button", name="Add source").click()
    expect(page.locator(".source-row")).to_have_count(3)
    assert in_viewport(page, "#save-claim")
    assert in_viewport(page, "#cancel-claim")
    page.get_by_label("Passage relied on", exact=True).last.focus()
    assert in_viewport(page, "#save-claim")
    shoot(page, size, "form-three-sources")
    page.get_by_label("Passage relied on", exact=True).last.fill("Table 3")
    page.get_by_label("Source URL", exact=True).last.fill("https://stats.example.org/t3")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#claim-form")).to_be_hidden()
    assert [s.passage for s in Claim.objects.get().sources.all()] == ["Table 3"]


def test_keyboard_only_tab_reaches_highlights_in_text_order_shows_the_card_and_opens(
    open_sized: Callable[..., Page], desk: dict[str, Any], size: str
) -> None:
    article = ArticleFactory()
    later = make_claim(author=desk["editor"], article=article, quote="Critics noted")
    first = make_claim(
        author=desk["editor"],
        article=article,
        quote="approved a budget",
        status="submitted",
        claim_text="The council approved the budget.",
    )
    page = open_sized(desk["editor"], f"/articles/{article.pk}/")
    page.locator("#article-text").focus()
    page.keyboard.press("Tab")
    focused = page.locator(f"#article-text mark[data-claim='{first.pk}']")
    expect(focused).to_be_focused()
    expect(focused).to_have_attribute("role", "button")
    description = page.evaluate(
        """() => document.activeElement.getAttribute("aria-describedby").split(" ")
            .map((id) => document.getElementById(id).textContent).join(" ")"""
    )
    assert description == (
        "Claim: The council approved the budget. Status: Submitted. Verdict: False. By ed."
    )
    card = page.locator("#highlight-card")
    expect(card).to_be_visible()
    expect(card).to_contain_text("The council approved the budget.")
    expect(card).to_contain_text("Submitted")
    expect(card.locator(".verdict-badge")).to_have_text("False")
    expect(card).to_contain_text("By ed")
    shoot(page, size, "highlight-card-on-focus")

    page.keyboard.press("Tab")
    expect(page.locator(f"#article-text mark[data-claim='{later.pk}']")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(focused).to_be_focused()
    page.keyboard.press("Enter")
    item = page.locator(f"#claim-{first.pk}")
    expect(item).to_have_class(re.compile(r"\bselected\b"))
    expect(item.locator(".claim-select")).to_be_focused()
    expect(item).to_be_in_viewport()
    expect(page.locator("#claim-form")).to_be_hidden()  # Enter opened the claim, not a form


def test_overlapping_and_adjacent_claims_each_show_their_extent(
    open_sized: Callable[..., Page], desk: dict[str, Any], size: str
) -> None:
    article = ArticleFactory()
    outer = make_claim(
        author=desk["editor"], article=article, quote="The mayor said unemployment had fallen"
    )
    inner = make_claim(
        author=desk["editor"], article=article, quote="unemployment", status="submitted"
    )
    # Two drafts side by side: the same status, still two claims.
    left = make_claim(author=desk["editor"], article=article, quote="by half")
    right = make_claim(author=desk["editor"], article=article, quote=" since 2020")
    page = open_sized(desk["editor"], f"/articles/{article.pk}/")
    expect(page.locator("#article-text mark")).to_have_count(5)
    styles = page.evaluate(
        """() => [...document.querySelectorAll("#article-text mark")].map((mark) => {
            const style = getComputedStyle(mark);
            const box = mark.getBoundingClientRect();
            return {
                text: mark.textContent,
                claims: mark.dataset.claims.split(" ").map(Number),
                layers: style.backgroundImage.split(/,\\s*(?=(?:repeating-)?linear-gradient)/).length,
                images: style.backgroundImage,
                positions: style.backgroundPosition.split(", "),
                width: box.width,
                height: box.height,
            };
        })"""
    )
    by_text = {s["text"]: s for s in styles}
    said = by_text["The mayor said "]
    nested = by_text["unemployment"]
    rest = by_text[" had fallen"]
    # The outer claim's line runs under all three of its segments, the inner one's under
    # its own only: two lines where they overlap, at two heights.
    assert said["claims"] == [outer.pk] and said["layers"] == 1
    assert sorted(nested["claims"]) == sorted([outer.pk, inner.pk]) and nested["layers"] == 2
    assert rest["claims"] == [outer.pk] and rest["layers"] == 1
    heights = {p.split(" ")[1] for p in nested["positions"]}
    assert len(heights) == 2, nested["positions"]
    assert said["positions"][0].split(" ")[1] == rest["positions"][0].split(" ")[1]
    # Status is a pattern as well as a colour: a draft dashed, a submitted claim dotted.
    assert "repeating-linear-gradient" in said["images"]
    assert nested["images"] != said["images"]
    # Side by side, each claim's line stops short of its ends: two lines, not one band.
    half = by_text["by half"]
    since = by_text[" since 2020"]
    assert half["claims"] == [left.pk] and since["claims"] == [right.pk]
    assert half["positions"][0].startswith("3px") and since["positions"][0].startswith("3px")
    assert all(s["width"] > 0 and s["height"] > 0 for s in styles)
    legend = page.locator("#highlight-legend")
    expect(legend).to_contain_text("Draft")
    expect(legend).to_contain_text("Submitted")
    page.locator("#article-text").scroll_into_view_if_needed()
    shoot(page, size, "overlapping-claims")


def test_the_panel_filters_by_status_verdict_and_author_and_searches_restated_claims(
    open_sized: Callable[..., Page], desk: dict[str, Any], size: str
) -> None:
    article = ArticleFactory()
    mine = make_claim(
        author=desk["editor"],
        article=article,
        quote="approved a budget",
        status="changes_requested",
        claim_text="Council passed a 4.2m budget",
    )
    theirs = make_claim(
        author=desk["editor2"],
        article=article,
        quote="Critics noted",
        status="submitted",
        verdict=services_verdict("true"),
        claim_text="Critics say the report is unpublished",
    )
    draft = make_claim(author=desk["editor"], article=article, claim_text="Unemployment halved")
    for quote in ("city council", "on Tuesday"):
        make_claim(author=desk["editor2"], article=article, quote=quote, status="approved")
    page = open_sized(desk["reviewer"], f"/articles/{article.pk}/")
    items = page.locator("#claim-list > li:visible")
    # Reviewers see submitted, sent back and published work, not drafts.
    expect(items).to_have_count(4)
    expect(page.locator(f"#claim-{draft.pk}")).to_have_count(0)
    # The panel leads with the restated claim; the quote is under it.
    expect(page.locator(f"#claim-{mine.pk} .claim-text")).to_have_text(
        "Council passed a 4.2m budget"
    )
    page.locator(f"#claim-{mine.pk} .claim-select").click()
    expect(page.locator(f"#claim-{mine.pk} .last-decision")).to_contain_text("Changes requested by")
    expect(page.locator(f"#claim-{mine.pk} .last-decision")).to_contain_text("Checked.")

    page.get_by_label("By status", exact=True).select_option(label="Submitted")
    expect(items).to_have_count(1)
    expect(items.first).to_have_id(f"claim-{theirs.pk}")
    expect(page.locator("#filter-summary")).to_have_text("Showing 1 of 4 claims.")
    # The filtered-out claim's highlight is dimmed.
    expect(page.locator(f"#article-text mark[data-claim='{mine.pk}']")).to_have_class(
        re.compile(r"\bdimmed\b")
    )
    page.get_by_role("button", name="Clear filters").click()
    expect(items).to_have_count(4)
    expect(page.get_by_role("button", name="Clear filters")).to_be_hidden()

    page.get_by_label("By verdict", exact=True).select_option(label="True")
    expect(items).to_have_count(1)
    page.get_by_label("By verdict", exact=True).select_option(label="All verdicts")
    page.get_by_label("By author", exact=True).select_option(label="ed")
    expect(items).to_have_count(1)
    expect(items.first).to_have_id(f"claim-{mine.pk}")
    page.get_by_label("By author", exact=True).select_option(label="All authors")

    page.get_by_label("Search claims", exact=True).fill("unpublished report")
    expect(items).to_have_count(1)
    expect(items.first).to_have_id(f"claim-{theirs.pk}")
    page.get_by_label("Search claims", exact=True).fill("nothing like this")
    expect(items).to_have_count(0)
    expect(page.locator("#filter-summary")).to_have_text("Showing 0 of 4 claims.")
    page.get_by_label("Search claims", exact=True).fill("4.2m")
    expect(items).to_have_count(1)
    page.locator("#claim-filters").scroll_into_view_if_needed()
    shoot(page, size, "panel-filtered")


def services_verdict(slug: str) -> Any:
    from tests.factories import verdict

    return verdict(slug)


def test_a_tapped_highlight_leads_to_its_card_and_back_and_a_card_leads_to_its_highlight(
    open_sized: Callable[..., Page], desk: dict[str, Any], size: str
) -> None:
    filler = "".join(f"Paragraph {n} says nothing in particular.\n\n" for n in range(30))
    article = imported(desk, f"The minister promised a new bridge.\n\n{filler}")
    bridge = make_claim(author=desk["editor"], article=article, quote="promised a new bridge")
    for n in range(0, 30, 3):
        make_claim(author=desk["editor"], article=article, quote=f"Paragraph {n} says")
    page = open_sized(desk["editor"], f"/articles/{article.pk}/")
    mark = page.locator(f"#article-text mark[data-claim='{bridge.pk}']")
    if size == "phone":
        mark.tap()
    else:
        mark.click()
    item = page.locator(f"#claim-{bridge.pk}")
    expect(item).to_have_class(re.compile(r"\bselected\b"))
    expect(item).to_be_in_viewport()
    expect(item.locator(".claim-select")).to_be_focused()
    back = page.get_by_role("button", name="Back to the text")
    if size == "phone":
        # The panel is under the text: the way back is offered.
        expect(mark).not_to_be_in_viewport()
        expect(back).to_be_visible()
        shoot(page, size, "card-after-tap")
        back.tap()
        expect(mark).to_be_in_viewport()
        expect(mark).to_be_focused()
        expect(back).to_be_hidden()
    else:
        expect(mark).to_be_in_viewport()  # beside the text: nothing to go back to
        expect(back).to_be_hidden()

    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    item.get_by_role("button", name="Show in text").click()
    expect(mark).to_be_in_viewport()
    expect(mark).to_be_focused()


def test_the_panel_offers_the_actions_the_server_allows_withdraw_included(
    open_sized: Callable[..., Page], desk: dict[str, Any], size: str
) -> None:
    article = ArticleFactory()
    submitted = make_claim(author=desk["editor"], article=article, status="submitted")
    page = open_sized(desk["editor"], f"/articles/{article.pk}/")
    item = page.locator(f"#claim-{submitted.pk}")
    item.locator(".claim-select").click()
    expect(item.get_by_role("button", name="Edit")).to_have_count(0)
    shoot(page, size, "panel-withdraw-offered")
    item.get_by_role("button", name="Withdraw").click()
    expect(item.locator(".status-badge")).to_have_text("Draft")
    # The server's answer for a withdrawn claim: edit and resubmit, but never delete.
    expect(item.get_by_role("button", name="Edit")).to_be_visible()
    expect(item.get_by_role("button", name="Send for review")).to_be_visible()
    expect(item.get_by_role("button", name="Withdraw")).to_have_count(0)
    expect(item.get_by_role("button", name="Delete")).to_have_count(0)
    submitted.refresh_from_db()
    assert submitted.status == "draft"

    # Another editor sees the claim only once submitted again, and may do nothing with it.
    item.get_by_role("button", name="Send for review").click()
    expect(item.locator(".status-badge")).to_have_text("Submitted")
    other = open_sized(desk["editor2"], f"/articles/{article.pk}/")
    their_item = other.locator(f"#claim-{submitted.pk}")
    their_item.locator(".claim-select").click()
    expect(their_item.get_by_text("Nothing for you to do on this claim.")).to_be_visible()
    expect(their_item.get_by_role("button", name="Withdraw")).to_have_count(0)
