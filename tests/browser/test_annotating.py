"""The annotation page in a real Chromium: selecting text, recording claims, and reading
them back from the server character by character."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from annotations import services
from annotations.models import Article, Claim
from annotations.roles import Role
from tests.browser.selecting import select_phrase_with_mouse, selected_text
from tests.factories import ArticleFactory, make_user


@pytest.fixture
def desk(verdict_scale: None) -> dict[str, Any]:
    return {
        "editor": make_user(Role.EDITOR, "ed"),
        "editor2": make_user(Role.EDITOR, "ed2"),
        "admin": make_user(Role.ADMIN, "boss"),
    }


def imported(desk: dict[str, Any], body: str, title: str = "Imported") -> Article:
    return services.article_import(title=title, body=body, imported_by=desk["admin"]).article


def fill_new_claim(page: Page, **values: str) -> None:
    for label, value in values.items():
        page.get_by_label(label.replace("_", " "), exact=True).first.fill(value)


def test_editor_selects_with_mouse_and_records_a_claim_that_survives_reload(
    open_page: Any, desk: dict[str, Any]
) -> None:
    article = ArticleFactory()
    page = open_page(desk["editor"], f"/articles/{article.pk}/")
    phrase = "unemployment had fallen by half since 2020"
    start, end = select_phrase_with_mouse(page, article.body, phrase)
    assert selected_text(page) == phrase
    page.get_by_role("button", name="New claim").click()

    expect(page.get_by_label("Claim", exact=True)).to_have_value(phrase)
    page.get_by_label("Claimant", exact=True).fill("The mayor")
    page.get_by_label("Verdict", exact=True).select_option(label="False")
    page.get_by_label("Rationale", exact=True).fill("The labour survey shows a 12% fall.")
    page.get_by_label("Source URL", exact=True).fill("https://stats.example.org/labour")
    page.get_by_label("Source title", exact=True).fill("Labour survey 2024")
    page.get_by_role("button", name="Save draft").click()

    mark = page.locator("#article-text mark.claim-mark")
    expect(mark).to_have_text(phrase)
    claim = Claim.objects.get()
    assert (claim.start, claim.end, claim.quote) == (start, end, phrase)
    assert claim.status == "draft" and claim.author == desk["editor"]
    assert [(s.url, s.title) for s in claim.sources.all()] == [
        ("https://stats.example.org/labour", "Labour survey 2024")
    ]

    page.reload()
    expect(page.locator("#article-text mark.claim-mark")).to_have_text(phrase)
    assert page.locator("#article-text").text_content() == article.body
