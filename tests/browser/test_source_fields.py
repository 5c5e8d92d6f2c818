"""The claim form in a real Chromium: every field of a source is edited in the browser, an edit
never clears what the form was given, and Save stays within reach however many sources."""

from __future__ import annotations

import datetime as dt
from typing import Any

from playwright.sync_api import expect

from annotations.models import Claim, Source
from annotations.roles import Role
from tests.factories import ArticleFactory, make_claim, make_user

FULL_SOURCE = {
    "url": "https://stats.example.org/labour",
    "title": "Labour survey",
    "publisher": "Statistics office",
    "published_on": "2024-02-20",
    "accessed_on": "2024-03-01",
    "archive_url": "https://archive.example.org/labour",
    "passage": "Unemployment fell by 12%.",
    "kind": "dataset",
}


def test_editing_a_claim_in_the_browser_keeps_every_field_of_its_sources(
    open_page: Any, verdict_scale: None
) -> None:
    editor = make_user(Role.EDITOR, "ed")
    article = ArticleFactory()
    claim = make_claim(author=editor, article=article, sources=[FULL_SOURCE])
    kept = claim.sources.get()
    page = open_page(editor, f"/articles/{article.pk}/")
    item = page.locator(f"#claim-{claim.pk}")
    item.locator(".claim-select").click()
    item.get_by_role("button", name="Edit").click()
    expect(page.get_by_label("Archived copy (URL)", exact=True)).to_have_value(
        FULL_SOURCE["archive_url"]
    )
    expect(page.get_by_label("Published on", exact=True)).to_have_value("2024-02-20")
    page.get_by_label("Claimant", exact=True).fill("The minister")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#claim-form")).to_be_hidden()

    source = Source.objects.get(claim=claim)
    assert source.pk == kept.pk
    assert source.archive_url == FULL_SOURCE["archive_url"]
    assert source.published_on == dt.date(2024, 2, 20)
    assert source.accessed_on == dt.date(2024, 3, 1)
    assert (source.publisher, source.passage, source.kind) == (
        "Statistics office",
        "Unemployment fell by 12%.",
        "dataset",
    )
    assert Claim.objects.get(pk=claim.pk).claimant.name == "The minister"


def test_every_field_of_a_source_is_edited_in_the_browser_and_save_stays_reachable(
    open_page: Any, verdict_scale: None
) -> None:
    editor = make_user(Role.EDITOR, "ed")
    article = ArticleFactory()
    claim = make_claim(author=editor, article=article)
    page = open_page(editor, f"/articles/{article.pk}/")
    page.set_viewport_size({"width": 1200, "height": 600})
    item = page.locator(f"#claim-{claim.pk}")
    item.locator(".claim-select").click()
    item.get_by_role("button", name="Edit").click()
    for _ in range(3):
        page.get_by_role("button", name="Add source").click()
    row = page.locator(".source-row").last
    row.get_by_label("Source URL", exact=True).fill("https://news.example.org/report")
    row.get_by_label("Source title", exact=True).fill("The report")
    row.get_by_label("Source publisher", exact=True).fill("Example News")
    row.get_by_label("Source kind", exact=True).select_option("news")
    row.get_by_label("Published on", exact=True).fill("2024-01-05")
    row.get_by_label("Accessed on", exact=True).fill("2024-01-06")
    row.get_by_label("Archived copy (URL)", exact=True).fill("https://archive.example.org/r")
    row.get_by_label("Passage relied on", exact=True).fill("The figure was revised.")

    save = page.get_by_role("button", name="Save draft")
    # In view at the panel's bottom, not cut off below the fold, without scrolling the page.
    box = save.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 600
    save.click()
    expect(page.locator("#claim-form")).to_be_hidden()

    added = Source.objects.filter(claim=claim).get(url="https://news.example.org/report")
    assert (added.title, added.publisher, added.kind, added.passage) == (
        "The report",
        "Example News",
        "news",
        "The figure was revised.",
    )
    assert (added.published_on, added.accessed_on, added.archive_url) == (
        dt.date(2024, 1, 5),
        dt.date(2024, 1, 6),
        "https://archive.example.org/r",
    )
