"""A correction end to end in a real browser: published, reopened (still public, marked under
correction), corrected, re-approved; then the public page's dated note, the corrections feed's
entry and dateModified in the page's JSON-LD."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

from playwright.sync_api import Page, expect

from annotations import services
from annotations.models import Claim
from annotations.roles import Role
from tests.factories import make_claim, make_user, verdict

NOTE = "The survey was revised: unemployment fell by 12%. The verdict is now Half true."
ATOM = "{http://www.w3.org/2005/Atom}"


def decide(page: Page, action: str, comment: str = "") -> None:
    """Take `action` on the review screen shown, with `comment`, and wait for the answer."""
    page.locator(f"label.decision-{action} input").check()
    if comment:
        page.locator("#decision-comment").fill(comment)
    page.get_by_role("button", name="Send decision").click()
    expect(page.locator(".messages")).to_contain_text("done")


def json_ld(page: Page) -> dict[str, Any]:
    text = page.locator('script[type="application/ld+json"]').text_content()
    assert text is not None
    return json.loads(text)


def test_a_correction_from_reopening_to_its_public_note(
    open_page: Any, live_server: Any, verdict_scale: None
) -> None:
    editor = make_user(Role.EDITOR, "ed")
    reviewer = make_user(Role.REVIEWER, "rev")
    admin = make_user(Role.ADMIN, "boss")
    claim = make_claim(author=editor, status="approved", reviewer=reviewer)
    public = f"/claims/{claim.pk}/"

    reader = open_page(None, public)
    expect(reader.locator(".verdict-label")).to_have_text("False")
    published = json_ld(reader)
    assert published["datePublished"] == published["dateModified"]

    # Reopened by an admin: the page stays, marked under correction.
    desk = open_page(admin, f"/review/{claim.pk}/")
    decide(desk, "reopen", "Readers report that the survey was revised.")
    reader.reload()
    expect(reader.get_by_role("status")).to_contain_text("Under correction")
    expect(reader.locator(".verdict-label")).to_have_text("False")

    # Sent back to the author, who corrects the verdict and resubmits with the note.
    desk = open_page(reviewer, f"/review/{claim.pk}/")
    decide(desk, "request_changes", "Please correct the verdict.")
    claim.refresh_from_db()
    services.claim_update(
        claim_id=claim.pk,
        actor=editor,
        version=claim.version,
        changes={"verdict": verdict("half-true")},
    )
    desk = open_page(editor, f"/review/{claim.pk}/")
    expect(desk.get_by_label(re.compile("Correction note"))).to_be_visible()
    decide(desk, "submit", NOTE)
    reader.reload()
    expect(reader.get_by_role("status")).to_contain_text("Under correction")
    expect(reader.locator(".verdict-label")).to_have_text("False")

    # The reviewer sees the note and approves the correction.
    desk = open_page(reviewer, f"/review/{claim.pk}/")
    expect(desk.locator(".correction-note")).to_have_text(NOTE)
    decide(desk, "approve")
    assert Claim.objects.get(pk=claim.pk).status == "approved"

    reader.reload()
    expect(reader.get_by_role("status")).to_have_count(0)
    expect(reader.locator(".verdict-label")).to_have_text("Half true")
    correction = reader.locator("#correction-2")
    expect(correction).to_contain_text(NOTE)
    expect(correction).to_contain_text("Verdict changed from False to Half true")
    corrected = json_ld(reader)
    assert corrected["datePublished"] == published["datePublished"]
    assert corrected["dateModified"] >= corrected["datePublished"]
    assert corrected["reviewRating"]["alternateName"] == "Half true"

    feed = reader.request.get(f"{live_server.url}/corrections/feed/")
    assert feed.ok
    entries = ET.fromstring(feed.body()).findall(f"{ATOM}entry")  # noqa: S314 (our own answer)
    assert [entry.findtext(f"{ATOM}summary") for entry in entries] == [NOTE]
    link = entries[0].find(f"{ATOM}link")
    assert link is not None and link.get("href", "").endswith(f"{public}#correction-2")
