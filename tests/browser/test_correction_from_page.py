"""A correction resubmitted from the annotation page in a real Chromium: the claim form asks a
claim that was published for its correction note, sends nothing without it, sends it as the
submission's comment, shows the server's refusal of a note beside it, and the public page
shows the note once the correction is approved."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, Request, expect

from annotations import services
from annotations.models import Claim
from annotations.roles import Role
from tests.factories import make_claim, make_user

NOTE = "The survey was revised: unemployment fell by 12%, as the rationale now says."
RATIONALE = "The revised labour survey shows a 12% fall since 2020, not 50%."


def act(claim: Claim, actor: Any, action: str, comment: str = "") -> None:
    claim.refresh_from_db()
    services.claim_transition(
        claim_id=claim.pk, actor=actor, action=action, version=claim.version, comment=comment
    )


def api_calls(page: Page) -> list[str]:
    """The API requests `page` makes from now on, as "METHOD path"."""
    calls: list[str] = []

    def record(request: Request) -> None:
        if "/api/" in request.url:
            calls.append(f"{request.method} {request.url.split('/api/', 1)[1]}")

    page.on("request", record)
    return calls


def test_an_author_resubmits_a_correction_with_its_note_from_the_annotation_page(
    open_page: Any, verdict_scale: None
) -> None:
    editor = make_user(Role.EDITOR, "ed")
    reviewer = make_user(Role.REVIEWER, "rev")
    admin = make_user(Role.ADMIN, "boss")
    claim = make_claim(author=editor, status="approved", reviewer=reviewer)
    act(claim, admin, "reopen", "Readers report that the survey was revised.")
    act(claim, reviewer, "request_changes", "Please correct the figure.")
    claim.refresh_from_db()
    sent_back_at = claim.version

    page = open_page(editor, f"/articles/{claim.article_id}/")
    calls = api_calls(page)
    item = page.locator(f"#claim-{claim.pk}")
    item.locator(".claim-select").click()
    note = page.get_by_label(re.compile("^Correction note"))

    # "Send for review" in the panel cannot carry the note: it opens the form at it.
    item.get_by_role("button", name="Send for review").click()
    expect(note).to_be_focused()
    page.get_by_role("button", name="Cancel").click()

    item.get_by_role("button", name="Edit").click()
    expect(note).to_be_visible()
    page.get_by_label("Rationale", exact=True).fill(RATIONALE)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator('[data-error-for="comment"]')).to_contain_text("required")
    expect(note).to_have_attribute("aria-invalid", "true")
    assert calls == []
    claim.refresh_from_db()
    assert (claim.version, claim.status) == (sent_back_at, "changes_requested")

    note.fill(NOTE)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator("#claim-form")).to_be_hidden()
    expect(item.locator(".status-badge")).to_have_text("Submitted")
    assert calls == [f"PATCH claims/{claim.pk}/", f"POST claims/{claim.pk}/submit/"]
    claim.refresh_from_db()
    assert (claim.status, claim.rationale) == ("submitted", RATIONALE)
    submission = claim.events.order_by("id").last()
    assert submission is not None
    assert (submission.action, submission.actor, submission.comment) == ("submit", editor, NOTE)

    act(claim, reviewer, "approve")
    reader = open_page(None, f"/claims/{claim.pk}/")
    expect(reader.locator("#correction-2")).to_contain_text(NOTE)
    expect(reader.locator(".rationale-text")).to_contain_text(RATIONALE)


def test_a_claim_never_published_is_submitted_without_a_note(
    open_page: Any, verdict_scale: None
) -> None:
    editor = make_user(Role.EDITOR, "ed")
    claim = make_claim(author=editor, status="changes_requested")
    page = open_page(editor, f"/articles/{claim.article_id}/")
    item = page.locator(f"#claim-{claim.pk}")
    item.locator(".claim-select").click()
    item.get_by_role("button", name="Edit").click()
    expect(page.get_by_label(re.compile("^Correction note"))).to_be_hidden()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator("#claim-form")).to_be_hidden()
    claim.refresh_from_db()
    assert claim.status == "submitted"


def test_the_servers_refusal_of_a_note_shows_beside_it(open_page: Any, verdict_scale: None) -> None:
    editor = make_user(Role.EDITOR, "ed")
    reviewer = make_user(Role.REVIEWER, "rev")
    claim = make_claim(author=editor, status="approved", reviewer=reviewer)
    act(claim, make_user(Role.ADMIN, "boss"), "reopen", "Readers report a revision.")
    act(claim, reviewer, "request_changes", "Please correct the figure.")
    page = open_page(editor, f"/articles/{claim.article_id}/")
    item = page.locator(f"#claim-{claim.pk}")
    item.locator(".claim-select").click()
    item.get_by_role("button", name="Edit").click()
    note = page.get_by_label(re.compile("^Correction note"))
    unusable = "The figure was revised\u0007."
    note.fill(unusable)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator('[data-error-for="comment"]')).to_contain_text("control character")
    expect(note).to_have_value(unusable)
    claim.refresh_from_db()
    assert claim.status == "changes_requested"
