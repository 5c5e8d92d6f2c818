"""The public record: ratings frozen at publication, corrections that stay public, retraction
notices; through the services, the review pages, the API, the admin and the command."""

from __future__ import annotations

import json
import re
from io import StringIO
from typing import Any

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from annotations import export, services
from annotations.models import Claim, Publication, PublicationKind, Verdict
from annotations.services.verdicts import verdict_in_use
from tests.factories import make_claim, verdict

pytestmark = pytest.mark.django_db

NOTE = "The survey was revised: the fall is 12%, not 50%. The verdict is now Half true."


def _act(claim: Claim, actor: Any, action: str, comment: str = "") -> Claim:
    claim.refresh_from_db()
    return services.claim_transition(
        claim_id=claim.pk, actor=actor, action=action, version=claim.version, comment=comment
    )


def _edit(claim: Claim, actor: Any, **changes: Any) -> Claim:
    claim.refresh_from_db()
    return services.claim_update(
        claim_id=claim.pk, actor=actor, version=claim.version, changes=changes
    )


def correct(
    claim: Claim, *, editor: Any, reviewer: Any, admin: Any, note: str = NOTE, **changes: Any
) -> Claim:
    """A published claim corrected the way the desk does it: reopened by an admin, sent back
    to its author, edited, resubmitted with the note, approved."""
    _act(claim, admin, "reopen", "Readers report the survey was revised.")
    _act(claim, reviewer, "request_changes", "Please correct the figure.")
    if changes:
        _edit(claim, editor, **changes)
    _act(claim, editor, "submit", note)
    return _act(claim, reviewer, "approve")


def public_json_ld(client: Client, claim: Claim) -> dict[str, Any]:
    html = client.get(f"/claims/{claim.pk}/").content.decode()
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match is not None
    return json.loads(match[1])


# --- Item 4: ratings frozen at publication ---------------------------------------------------


def test_approval_records_the_rating_as_published(editor, reviewer):
    claim = make_claim(author=editor, status="approved", reviewer=reviewer)
    record = Publication.objects.get(claim=claim)
    assert (record.number, record.kind) == (1, PublicationKind.PUBLISHED)
    assert record.verdict_label == "False"
    assert (record.rating_value, record.best_rating, record.worst_rating) == (1, 5, 1)
    assert record.verdict_description == verdict("false").description
    assert record.claim_text == claim.claim_text
    assert record.sources[0]["url"] == "https://stats.example.org/unemployment"
    assert record.published_at == claim.published_at == record.first_published_at


def test_a_scale_change_after_approval_changes_no_published_claim_review(
    client, editor, reviewer, admin_user
):
    claim = make_claim(author=editor, status="approved", reviewer=reviewer)
    before_page = public_json_ld(client, claim)
    before_export = json.loads(b"".join(export.export_chunks("claimreview")))

    # A new bottom of the scale, and the verdict renamed: through the admin's service.
    services.verdict_save(
        verdict=Verdict(label="Pants on fire", slug="pants-on-fire", rating=0), actor=admin_user
    )
    false = verdict("false")
    false.label = "Wrong"
    services.verdict_save(verdict=false, actor=admin_user)

    assert public_json_ld(client, claim) == before_page
    assert json.loads(b"".join(export.export_chunks("claimreview"))) == before_export
    assert before_page["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "False",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
    }
    # What a new approval says follows the scale as it now is.
    fresh = make_claim(author=editor, status="approved", reviewer=reviewer)
    rating = public_json_ld(client, fresh)["reviewRating"]
    assert (rating["alternateName"], rating["worstRating"]) == ("Wrong", 0)


def test_a_scale_changed_in_the_admin_changes_no_published_export_api_or_command(
    client, editor, reviewer, admin_user
):
    make_claim(author=editor, status="approved", reviewer=reviewer)
    api = Client()
    api.force_login(editor)

    def by_api() -> Any:
        answer = api.get("/api/export/", {"format": "claimreview"})
        assert answer.status_code == 200
        return json.loads(b"".join(answer.streaming_content))

    def by_command() -> Any:
        out = StringIO()
        call_command("export_claims", "--format", "claimreview", stdout=out)
        return json.loads(out.getvalue())

    before = (by_api(), by_command())
    client.force_login(admin_user)
    added = client.post(
        reverse("admin:annotations_verdict_add"),
        {
            "label": "Pants on fire",
            "slug": "pants-on-fire",
            "rating": "0",
            "description": "",
            "colour": "#000000",
            "order": "9",
        },
    )
    assert added.status_code == 302, added.content
    assert Verdict.objects.filter(slug="pants-on-fire").exists()
    assert (by_api(), by_command()) == before
    assert before[0][0]["reviewRating"]["worstRating"] == 1


def test_a_verdict_used_by_a_claim_cannot_be_deleted_by_the_service(editor, admin_user):
    make_claim(author=editor)
    with pytest.raises(ValidationError, match="used by 1 claim"):
        services.verdict_delete(verdict=verdict("false"), actor=admin_user)
    assert Verdict.objects.filter(slug="false").exists()


def test_a_verdict_once_published_stays_even_when_no_claim_uses_it_now(
    editor, reviewer, admin_user
):
    claim = make_claim(author=editor, status="approved", reviewer=reviewer)
    correct(claim, editor=editor, reviewer=reviewer, admin=admin_user, verdict=verdict("true"))
    assert not Claim.objects.filter(verdict__slug="false").exists()
    with pytest.raises(ValidationError, match="1 published fact-check"):
        services.verdict_delete(verdict=verdict("false"), actor=admin_user)


def test_admin_verdict_list_counts_claims_and_publications(client, editor, reviewer, admin_user):
    make_claim(author=editor, status="approved", reviewer=reviewer)
    make_claim(author=editor)
    client.force_login(admin_user)
    html = client.get(reverse("admin:annotations_verdict_changelist")).content.decode()
    assert "Published fact-checks" in html
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*>False</a>(?:(?!</tr>).)*</tr>", html, re.S)
    assert row is not None
    cells = re.findall(r'<td class="field-(claims_using|published_with)">(\d+)</td>', row[0])
    assert dict(cells) == {"claims_using": "2", "published_with": "1"}


def test_admin_refuses_to_delete_a_verdict_in_use_with_the_reason(client, editor, admin_user):
    make_claim(author=editor)
    used = verdict("false")
    client.force_login(admin_user)
    page = client.post(reverse("admin:annotations_verdict_delete", args=[used.pk]), {"post": "yes"})
    assert "is used by 1 claim and 0 published fact-checks" in page.content.decode()
    assert Verdict.objects.filter(pk=used.pk).exists()
    bulk = client.post(
        reverse("admin:annotations_verdict_changelist"),
        {"action": "delete_selected", "index": "0", ACTION_CHECKBOX_NAME: [used.pk], "post": "yes"},
    )
    assert "is used by 1 claim and 0 published fact-checks" in bulk.content.decode()
    assert Verdict.objects.filter(pk=used.pk).exists()


# --- Item 5: corrections are public ----------------------------------------------------------


def test_a_reopened_fact_check_stays_online_marked_under_correction(
    client, editor, reviewer, admin_user
):
    claim = make_claim(author=editor, status="approved", reviewer=reviewer)
    _act(claim, admin_user, "reopen", "Readers report the survey was revised.")
    _act(claim, reviewer, "request_changes", "Please correct the figure.")
    _edit(claim, editor, claim_text="Unemployment fell by a quarter", verdict=verdict("true"))
    response = client.get(f"/claims/{claim.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Under correction." in html
    # The last approved version, not the one being worked on.
    assert "unemployment had fallen by half since 2020" in html
    assert "Unemployment fell by a quarter" not in html
    assert public_json_ld(client, claim)["reviewRating"]["alternateName"] == "False"


def test_resubmitting_a_correction_needs_its_note(editor, reviewer, admin_user):
    claim = make_claim(author=editor, status="approved", reviewer=reviewer)
    _act(claim, admin_user, "reopen", "Readers report the survey was revised.")
    _act(claim, reviewer, "request_changes", "Please correct the figure.")
    with pytest.raises(ValidationError) as refused:
        _act(claim, editor, "submit")
    assert "comment" in refused.value.message_dict
    claim.refresh_from_db()
    assert claim.status == "changes_requested"


def test_a_correction_without_a_note_cannot_be_approved(editor, reviewer, admin_user):
    claim = make_claim(author=editor, status="approved", reviewer=reviewer)
    _act(claim, admin_user, "reopen", "Readers report the survey was revised.")
    with pytest.raises(ValidationError, match="request changes"):
        _act(claim, reviewer, "approve")
    claim.refresh_from_db()
    assert claim.status == "submitted"
    assert Publication.objects.filter(claim=claim).count() == 1


def test_a_published_fact_check_is_never_rejected(editor, reviewer, admin_user):
    claim = make_claim(author=editor, status="approved", reviewer=reviewer)
    _act(claim, admin_user, "reopen", "Readers report the survey was revised.")
    with pytest.raises(ValidationError, match="corrected or retracted"):
        _act(claim, reviewer, "reject", "No.")


def test_a_correction_is_dated_explained_and_shows_the_verdict_change(
    client, editor, reviewer, admin_user
):
    claim = make_claim(author=editor, status="approved", reviewer=reviewer)
    first = Publication.objects.get(claim=claim)
    correct(claim, editor=editor, reviewer=reviewer, admin=admin_user, verdict=verdict("half-true"))
    latest = Publication.objects.filter(claim=claim).order_by("-number").first()
    assert latest is not None
    assert (latest.number, latest.kind, latest.note) == (2, PublicationKind.CORRECTED, NOTE)
    assert latest.first_published_at == first.published_at < latest.published_at
    claim.refresh_from_db()
    assert claim.published_at == first.published_at

    html = client.get(f"/claims/{claim.pk}/").content.decode()
    assert "Under correction." not in html
    assert 'id="correction-2"' in html
    assert NOTE in html
    assert re.search(
        r"Verdict changed from <strong>False</strong> to <strong>Half true</strong>", html
    )
    review = public_json_ld(client, claim)
    assert review["datePublished"] == first.published_at.date().isoformat()
    assert review["dateModified"] == latest.published_at.date().isoformat()
    assert review["reviewRating"]["alternateName"] == "Half true"


def test_the_reviewer_sees_the_correction_note_on_the_review_screen(
    client, editor, reviewer, admin_user
):
    claim = make_claim(author=editor, status="approved", reviewer=reviewer)
    _act(claim, admin_user, "reopen", "Readers report the survey was revised.")
    _act(claim, reviewer, "request_changes", "Please correct the figure.")
    client.force_login(editor)
    page = client.get(f"/review/{claim.pk}/").content.decode()
    assert "Correction note (required, published)" in page
    _act(claim, editor, "submit", NOTE)
    client.force_login(reviewer)
    page = client.get(f"/review/{claim.pk}/").content.decode()
    assert "Published: this is a correction" in page
    assert NOTE in page


def test_the_review_page_refuses_a_resubmission_without_a_note(
    client, editor, reviewer, admin_user
):
    claim = make_claim(author=editor, status="approved", reviewer=reviewer)
    _act(claim, admin_user, "reopen", "Readers report the survey was revised.")
    claim = _act(claim, reviewer, "request_changes", "Please correct the figure.")
    client.force_login(editor)
    url = f"/review/{claim.pk}/act/"
    refused = client.post(url, {"action": "submit", "version": claim.version, "comment": ""})
    assert refused.status_code == 400
    done = client.post(url, {"action": "submit", "version": claim.version, "comment": NOTE})
    assert done.status_code == 302
    claim.refresh_from_db()
    client.force_login(reviewer)
    approved = client.post(url, {"action": "approve", "version": claim.version})
    assert approved.status_code == 302
    assert Publication.objects.get(claim=claim, number=2).note == NOTE


def test_the_admin_approves_a_correction_only_with_its_note(client, editor, reviewer, admin_user):
    claim = make_claim(author=editor, status="approved", reviewer=reviewer)
    claim = _act(claim, admin_user, "reopen", "Readers report the survey was revised.")
    client.force_login(reviewer)
    changelist = reverse("admin:annotations_claim_changelist")
    response = client.post(
        changelist,
        {
            "action": "approve_claims",
            "confirm": "yes",
            "comment": "",
            ACTION_CHECKBOX_NAME: [claim.pk],
            f"version_{claim.pk}": claim.version,
        },
        follow=True,
    )
    assert "request changes" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == "submitted"


def test_the_command_resubmits_a_correction_only_with_its_note(editor, reviewer, admin_user):
    claim = make_claim(author=editor, status="approved", reviewer=reviewer)
    _act(claim, admin_user, "reopen", "Readers report the survey was revised.")
    _act(claim, reviewer, "request_changes", "Please correct the figure.")
    with pytest.raises(CommandError, match="say what changed"):
        call_command("review_claim", str(claim.pk), "submit", "--as", "ed", stdout=StringIO())
    call_command(
        "review_claim", str(claim.pk), "submit", "--as", "ed", "--comment", NOTE, stdout=StringIO()
    )
    call_command("review_claim", str(claim.pk), "approve", "--as", "rev", stdout=StringIO())
    assert Publication.objects.get(claim=claim, number=2).note == NOTE


def test_a_retracted_fact_check_leaves_a_public_notice(client, editor, reviewer, admin_user):
    claim = make_claim(author=editor, status="approved", reviewer=reviewer)
    _act(claim, admin_user, "retract", "The claimant never said it: the quote was misattributed.")
    response = client.get(f"/claims/{claim.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Retracted." in html
    assert "The claimant never said it: the quote was misattributed." in html
    assert "application/ld+json" not in html
    record = Publication.objects.get(claim=claim, number=2)
    assert record.kind == PublicationKind.RETRACTED
    assert record.claim_text == claim.claim_text


def test_a_claim_never_published_has_no_public_record(client, editor, reviewer, admin_user):
    claim = make_claim(author=editor, status="submitted")
    _act(claim, admin_user, "retract", "Duplicate of another claim.")
    assert not Publication.objects.filter(claim=claim).exists()
    assert client.get(f"/claims/{claim.pk}/").status_code == 404


def test_the_public_record_is_append_only(editor, reviewer):
    claim = make_claim(author=editor, status="approved", reviewer=reviewer)
    record = Publication.objects.get(claim=claim)
    record.note = "rewritten"
    with pytest.raises(TypeError):
        record.save()
    with pytest.raises(TypeError):
        Publication.objects.filter(claim=claim).update(note="rewritten")
    with pytest.raises(TypeError):
        Publication.objects.filter(claim=claim).delete()
    with pytest.raises(TypeError):
        record.delete()


def test_the_reason_a_verdict_stays_counts_in_the_readers_language(editor, reviewer):
    for _ in range(2):
        make_claim(author=editor, status="approved", reviewer=reviewer, verdict=verdict("false"))
    with translation.override("fr"):
        reason = verdict_in_use(verdict("false"))
    assert "utilisé par 2 affirmations et 2 vérifications publiées" in reason
    make_claim(author=editor, verdict=verdict("true"))
    assert "is used by 1 claim and 0 published fact-checks" in verdict_in_use(verdict("true"))
