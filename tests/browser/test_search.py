"""Search and "checked before?" in a real Chromium: the search page from the menu, the list
of earlier fact-checks appearing in the claim form as the editor writes, the warning on a
passage that already carries a claim, and a known claim recorded as a repeat in two clicks."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from annotations import services
from annotations.models import Article, Claim
from annotations.roles import Role
from annotations.tasks import match_article
from tests.browser.selecting import select_phrase_with_mouse
from tests.factories import make_claim, make_user

EARLIER = (
    "Ещё в 2020 году Москва потратила на метро 500 миллиардов рублей.\n"
    "The mayor said unemployment had fallen by half since 2020.\n"
)
LATER = (
    "A year on, the debate is back.\n"
    "Once more the mayor said unemployment had fallen by half since 2020, to applause.\n"
)
REPEATED = "the mayor said unemployment had fallen by half since 2020"


@pytest.fixture
def desk(verdict_scale: None) -> dict[str, Any]:
    editor = make_user(Role.EDITOR, "ed")
    reviewer = make_user(Role.REVIEWER, "rev")
    earlier = services.article_import(title="Budget day", body=EARLIER, language="en").article
    published = make_claim(
        author=editor,
        reviewer=reviewer,
        article=earlier,
        quote="unemployment had fallen by half since 2020",
        claim_text="Unemployment in the city has fallen by half since 2020",
        status="approved",
    )
    make_claim(
        author=editor,
        reviewer=reviewer,
        article=earlier,
        quote="Ещё в 2020 году Москва потратила на метро 500 миллиардов рублей",
        claim_text="Ещё в 2020 году Москва потратила на метро 500 миллиардов рублей",
        status="approved",
    )
    later = services.article_import(title="A year on", body=LATER, language="en").article
    return {"editor": editor, "published": published, "later": later}


def test_the_search_page_finds_claims_whatever_the_case_and_accents(
    open_page: Any, desk: dict[str, Any]
) -> None:
    page = open_page(desk["editor"], "/")
    page.get_by_role("link", name="Search", exact=True).click()
    page.get_by_role("searchbox").fill("ЕЩЕ москва")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator(".result-count")).to_have_text("1 claim for “ЕЩЕ москва”")
    hit = page.locator(".search-hit .hit-title")
    expect(hit).to_contain_text("Ещё в 2020 году Москва потратила")
    expect(hit.locator("mark")).to_have_text(["Ещё", "Москва"])
    page.get_by_role("radio", name="Articles").check()
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator(".search-hit .hit-title")).to_have_text("Budget day")
    expect(page.locator(".search-hit .snippet mark")).to_have_text(["Ещё", "Москва"])


def written(page: Page) -> None:
    page.get_by_role("button", name="New claim").click()
    expect(page.locator("#claim-form")).to_be_visible()


def test_the_claim_form_lists_what_was_checked_before_as_the_editor_writes(
    open_page: Any, desk: dict[str, Any]
) -> None:
    later: Article = desk["later"]
    page = open_page(desk["editor"], f"/articles/{later.pk}/")
    select_phrase_with_mouse(page, later.body, REPEATED)
    written(page)
    listed = page.locator("#checked-before")
    expect(listed).to_be_visible()
    expect(listed.get_by_role("link")).to_have_text(desk["published"].claim_text)
    expect(listed).to_contain_text("False")
    expect(listed.get_by_role("link")).to_have_attribute(
        "href", f"{page.url.split('/articles/')[0]}/claims/{desk['published'].pk}/"
    )
    # Another number is another claim: the list goes once the editor has written it.
    page.get_by_label("Claim", exact=True).fill("Unemployment has fallen by half since 2019")
    expect(listed).to_be_hidden()
    page.get_by_label("Claim", exact=True).fill("Since 2020 unemployment has fallen by half")
    expect(listed).to_be_visible()
    expect(page.locator("#passage-taken")).to_be_hidden()


def test_a_second_claim_on_a_passage_says_so_before_saving(
    open_page: Any, desk: dict[str, Any]
) -> None:
    later: Article = desk["later"]
    first = make_claim(author=desk["editor"], article=later, quote=REPEATED, claim_text="First")
    page = open_page(desk["editor"], f"/articles/{later.pk}/")
    select_phrase_with_mouse(page, later.body, "unemployment had fallen")
    written(page)
    expect(page.locator("#passage-taken")).to_have_text(
        f"This passage already carries claim #{first.pk}: check the list of claims before "
        "saving another."
    )


def test_a_known_claim_is_marked_and_recorded_as_a_repeat_in_two_clicks(
    open_page: Any, desk: dict[str, Any]
) -> None:
    later: Article = desk["later"]
    assert match_article.call(later.pk) == 1
    page = open_page(desk["editor"], f"/articles/{later.pk}/")
    known = page.locator("#known-claims .known-claim")
    expect(known).to_contain_text("checked before: False")
    marked = page.evaluate("() => CSS.highlights.get('known-claim').size")
    assert marked == 1
    known.get_by_role("button", name="Record as a repeat").click()  # one
    expect(page.locator(".messages")).to_contain_text("as a repeat of fact-check")
    item = page.locator("#claim-list .claim-item")
    expect(item).to_have_count(1)
    item.get_by_role("button", name="Send for review").click()  # two
    expect(item).to_contain_text("Submitted")
    repeat = Claim.objects.get(article=later)
    assert repeat.repeat_of == desk["published"] and repeat.status == "submitted"
    assert repeat.verdict == desk["published"].verdict
    page.reload()
    expect(known).to_contain_text(f"Recorded as claim #{repeat.pk}.")
