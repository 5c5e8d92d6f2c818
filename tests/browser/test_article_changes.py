"""An article that changes after its fact-check, end to end in a real Chromium against pages
served from 127.0.0.1: an admin imports it from its URL, claims are approved, the served page
is edited, an editor's "Check for changes" finds the edit, the page shows the four outcomes,
the approved claim whose words changed is back in review, the orphan is re-attached by
selecting its new passage, and the public page says the article was updated."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from annotations.models import Article, Claim
from annotations.roles import Role
from tests.browser.selecting import select_phrase_with_mouse
from tests.factories import make_claim, make_user
from tests.page_server import PageServer

TITLE = "Council approves budget"
BEFORE = [
    "The city council approved a budget of 4.2 million euros on Tuesday.",
    "The mayor said unemployment had fallen by half since 2020.",
    "Critics noted that the figures came from a report nobody has published.",
    "The next council meeting is in March.",
]
# A paragraph first, the mayor's figure edited, the critics' sentence gone, the budget
# sentence moved to the end.
AFTER = [
    "Breaking news from the town hall.",
    "The mayor said unemployment had fallen by a third since 2020.",
    "The next council meeting is in March.",
    "The city council approved a budget of 4.2 million euros on Tuesday.",
]
UNCHANGED = "The mayor said"
MOVED = "approved a budget of 4.2 million euros"
EDITED = "unemployment had fallen by half since 2020"
ORPHANED = "Critics noted that the figures came from a report"


@pytest.fixture
def server(settings: Any) -> Iterator[PageServer]:
    settings.FACTCHECK_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    with PageServer() as running:
        yield running


def test_a_changed_article_sends_its_approved_claim_back_with_a_public_notice(
    open_page: Any, server: PageServer
) -> None:
    admin = make_user(Role.ADMIN, "boss")
    editor = make_user(Role.EDITOR, "ed")
    reviewer = make_user(Role.REVIEWER, "rev")
    url = server.publish("council-budget", TITLE, BEFORE)

    # An admin imports the article from its URL.
    page = open_page(admin, "/articles/import/")
    page.get_by_label("Address of the article").fill(url)
    page.get_by_role("button", name="Import").click()
    expect(page.locator("h1")).to_have_text(TITLE)
    article = Article.objects.get(source_url=url)
    expect(page.locator("#revision-bar")).to_contain_text("Revision 1 of 1")

    claims = {
        quote: make_claim(
            author=editor, article=article, quote=quote, status=status, reviewer=reviewer
        )
        for quote, status in [
            (UNCHANGED, "approved"),
            (MOVED, "approved"),
            (EDITED, "approved"),
            (ORPHANED, "submitted"),
        ]
    }

    # The newsroom edits its page; an editor checks the article.
    server.publish("council-budget", TITLE, AFTER)
    page = open_page(editor, f"/articles/{article.pk}/")
    page.get_by_role("button", name="Check for changes").click()
    expect(page.locator(".messages")).to_contain_text(
        f"The article changed: article #{article.pk}, revision 2: 4 claims: 1 unchanged, "
        "1 moved, 1 edited, 1 orphaned; 1 published claim back to review"
    )
    expect(page.locator("#revision-bar")).to_contain_text("Revision 2 of 2")
    outcomes = page.locator("#outcomes")
    for quote, outcome in [
        (UNCHANGED, "Unchanged"),
        (MOVED, "Moved"),
        (EDITED, "Edited"),
        (ORPHANED, "Orphaned"),
    ]:
        expect(outcomes.locator(".outcome", has_text=f"claim #{claims[quote].pk}")).to_contain_text(
            outcome
        )

    # The approved claim whose words changed is back in review, highlighted on its new words;
    # the orphan is not highlighted, but listed apart with its old context.
    edited = page.locator(f"#claim-{claims[EDITED].pk}")
    expect(edited).to_contain_text("Submitted")
    expect(edited).to_contain_text("unemployment had fallen by a third since 2020")
    expect(page.locator(f"#claim-{claims[UNCHANGED].pk}")).to_contain_text("Approved")
    expect(page.locator(f'mark[data-claim="{claims[ORPHANED].pk}"]')).to_have_count(0)
    orphan = page.locator(f"#orphan-{claims[ORPHANED].pk}")
    expect(orphan).to_contain_text(ORPHANED)
    back = Claim.objects.get(pk=claims[EDITED].pk)
    assert back.status == "submitted"
    assert back.events.order_by("-id")[0].comment.startswith(
        "The article changed after the verdict. Revision 2 of the article"
    )

    # Its author re-attaches the orphan by selecting the passage it refers to now.
    article.refresh_from_db()
    passage = "The next council meeting is in March"
    select_phrase_with_mouse(page, article.body, passage)
    orphan.get_by_role("button", name="Re-attach to the selected passage").click()
    expect(page.locator("#orphans")).to_have_count(0)
    expect(page.locator(f'mark[data-claim="{claims[ORPHANED].pk}"]')).to_have_text(passage)
    assert Claim.objects.get(pk=claims[ORPHANED].pk).quote == passage

    # The public page says the article changed, and shows the quote as it was checked.
    public = open_page(None, f"/claims/{claims[EDITED].pk}/")
    expect(public.locator("#article-updated")).to_contain_text(
        "The article was updated after this fact-check."
    )
    expect(public.locator("mark.quote")).to_have_text(EDITED)
