"""The annotation page offers Delete by the server's rule, also for a claim it has just
saved: only a draft that never left its author (a withdrawn draft is kept, and refused)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from annotations import services
from annotations.roles import Role
from tests.factories import ArticleFactory, make_claim, make_user


def test_a_withdrawn_draft_saved_on_the_page_is_still_not_offered_for_deletion(
    open_page: Any, verdict_scale: None
) -> None:
    editor = make_user(Role.EDITOR, "ed")
    article = ArticleFactory()
    fresh = make_claim(
        author=editor, article=article, quote="approved a budget of 4.2 million euros"
    )
    withdrawn = make_claim(author=editor, article=article, status="submitted")
    services.claim_transition(
        claim_id=withdrawn.pk, actor=editor, action="withdraw", version=withdrawn.version
    )
    page = open_page(editor, f"/articles/{article.pk}/")

    for claim, deletable in ((withdrawn, False), (fresh, True)):
        item = page.locator(f"#claim-{claim.pk}")
        item.locator(".claim-select").click()
        delete = item.get_by_role("button", name="Delete")
        expect(delete).to_have_count(1 if deletable else 0)
        item.get_by_role("button", name="Edit").click()
        page.get_by_label("Claimant", exact=True).fill("The minister")
        page.get_by_role("button", name="Save draft").click()
        expect(page.locator("#claim-form")).to_be_hidden()
        expect(item.locator(".claim-facts")).to_contain_text("The minister")
        expect(delete).to_have_count(1 if deletable else 0)
