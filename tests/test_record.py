"""The permanent record: nothing submitted is ever deleted (an admin retracts it), the review
history, the versions of a claim's content and the public record are append-only down to the
database, every version is kept, and sources keep every field through every way in."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from annotations import selectors, services
from annotations.diffs import Run, word_runs
from annotations.models import Claim, ClaimVersion, Publication, ReviewEvent, Source
from annotations.roles import Role
from tests.api.conftest import error_of, token_client
from tests.factories import make_claim, make_user
from tests.record import erase_every_claim
from tests.test_views_articles import page_data

pytestmark = pytest.mark.django_db

REASON = "The survey it relied on was withdrawn by its publisher."
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


def events_of(claim: Claim) -> list[tuple[str, str]]:
    return list(claim.events.order_by("id").values_list("action", "to_status"))


def refused_by_the_database(sql: str, params: list[Any]) -> None:
    """`sql` fails inside a savepoint, leaving the test's transaction usable."""
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


# --- The database keeps the record --------------------------------------------------------


def test_the_database_refuses_to_update_or_delete_an_event(editor, reviewer):
    claim = make_claim(author=editor, status="approved", reviewer=reviewer)
    approval = claim.events.get(action="approve")
    refused_by_the_database(
        "UPDATE annotations_reviewevent SET comment = %s WHERE id = %s", ["rewritten", approval.pk]
    )
    refused_by_the_database("DELETE FROM annotations_reviewevent WHERE id = %s", [approval.pk])
    refused_by_the_database("DELETE FROM annotations_reviewevent WHERE claim_id = %s", [claim.pk])
    # Not even a never-submitted claim's creation may be rewritten.
    draft = make_claim(author=editor)
    refused_by_the_database(
        "UPDATE annotations_reviewevent SET actor_id = %s WHERE claim_id = %s",
        [reviewer.pk, draft.pk],
    )
    approval.refresh_from_db()
    assert approval.comment == "Checked."
    assert events_of(claim) == [
        ("create", "draft"),
        ("submit", "submitted"),
        ("approve", "approved"),
    ]


def test_the_database_refuses_to_update_or_delete_a_version(editor, reviewer):
    claim = make_claim(author=editor, status="submitted")
    first = claim.versions.get()
    refused_by_the_database(
        "UPDATE annotations_claimversion SET claim_text = %s WHERE id = %s", ["nothing", first.pk]
    )
    refused_by_the_database("DELETE FROM annotations_claimversion WHERE id = %s", [first.pk])
    first.refresh_from_db()
    assert first.claim_text == claim.claim_text


def test_the_database_refuses_to_update_or_delete_a_publication(editor, reviewer):
    claim = make_claim(author=editor, status="approved", reviewer=reviewer)
    record = Publication.objects.get(claim=claim)
    refused_by_the_database(
        "UPDATE annotations_publication SET note = %s WHERE id = %s", ["rewritten", record.pk]
    )
    refused_by_the_database(
        "UPDATE annotations_publication SET verdict_label = %s WHERE claim_id = %s",
        ["True", claim.pk],
    )
    refused_by_the_database("DELETE FROM annotations_publication WHERE id = %s", [record.pk])
    refused_by_the_database("DELETE FROM annotations_publication WHERE claim_id = %s", [claim.pk])
    assert list(Publication.objects.filter(claim=claim).values_list("note", "verdict_label")) == [
        ("", "False")
    ]


def test_a_submitted_claim_cannot_be_deleted_even_below_the_services(editor, reviewer):
    claim = make_claim(author=editor, status="rejected", reviewer=reviewer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).delete()
    refused_by_the_database("DELETE FROM annotations_claim WHERE id = %s", [claim.pk])
    assert Claim.objects.filter(pk=claim.pk).exists()
    assert len(events_of(claim)) == 3


def test_the_orm_refuses_to_rewrite_the_record(editor):
    claim = make_claim(author=editor)
    with pytest.raises(TypeError):
        ClaimVersion.objects.filter(claim=claim).update(claim_text="x")
    with pytest.raises(TypeError):
        claim.versions.get().delete()
    with pytest.raises(TypeError):
        ReviewEvent.objects.filter(claim=claim).delete()


# --- Deleting: only a draft that never left its author ------------------------------------


def test_a_never_submitted_draft_is_deleted_with_its_creation_and_versions(editor):
    claim = make_claim(author=editor)
    answer = token_client(editor).delete(f"/api/claims/{claim.pk}/?version={claim.version}")
    assert answer.status_code == 204
    assert not Claim.objects.filter(pk=claim.pk).exists()
    assert not ReviewEvent.objects.filter(claim_id=claim.pk).exists()
    assert not ClaimVersion.objects.filter(claim_id=claim.pk).exists()


def test_withdrawing_then_deleting_no_longer_erases_the_history(editor, reviewer):
    claim = make_claim(author=editor, status="submitted")
    claim = services.claim_transition(
        claim_id=claim.pk, actor=editor, action="withdraw", version=claim.version
    )
    assert claim.status == "draft"
    answer = token_client(editor).delete(f"/api/claims/{claim.pk}/?version={claim.version}")
    assert answer.status_code == 403
    assert "submitted for review once" in error_of(answer)["message"]
    with pytest.raises(PermissionDenied):
        services.claim_delete(claim_id=claim.pk, actor=editor, version=claim.version)
    assert events_of(claim) == [
        ("create", "draft"),
        ("submit", "submitted"),
        ("withdraw", "draft"),
    ]


def test_a_decided_claim_sent_back_to_draft_keeps_the_reviewers_decision(editor, reviewer):
    """The loss of the issue: an author erasing another person's decision."""
    claim = make_claim(author=editor, status="changes_requested", reviewer=reviewer)
    claim = services.claim_transition(
        claim_id=claim.pk, actor=editor, action="submit", version=claim.version
    )
    claim = services.claim_transition(
        claim_id=claim.pk, actor=editor, action="withdraw", version=claim.version
    )
    answer = token_client(editor).delete(f"/api/claims/{claim.pk}/?version={claim.version}")
    assert answer.status_code == 403
    assert ("request_changes", "changes_requested") in events_of(claim)


def test_the_annotation_page_offers_no_delete_for_a_claim_once_submitted(client, editor):
    fresh = make_claim(author=editor)
    once = make_claim(author=editor, status="submitted")
    services.claim_transition(claim_id=once.pk, actor=editor, action="withdraw", version=2)
    client.force_login(editor)
    page = client.get(reverse("article-detail", args=[fresh.article_id]))
    can_delete = {c["id"]: c["can_delete"] for c in page_data(page)["claims"]}
    assert can_delete[fresh.pk] is True
    page = client.get(reverse("article-detail", args=[once.article_id]))
    can_delete = {c["id"]: c["can_delete"] for c in page_data(page)["claims"]}
    assert can_delete[once.pk] is False


def test_the_admin_deletes_no_claim_and_no_part_of_the_record(client, editor, admin_user):
    claim = make_claim(author=editor, status="submitted")
    services.claim_transition(claim_id=claim.pk, actor=editor, action="withdraw", version=2)
    client.force_login(admin_user)
    delete_url = reverse("admin:annotations_claim_delete", args=[claim.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    bulk = client.post(
        reverse("admin:annotations_claim_changelist"),
        {"action": "delete_selected", "post": "yes", ACTION_CHECKBOX_NAME: [claim.pk]},
    )
    assert bulk.status_code in (200, 302, 403)
    assert Claim.objects.filter(pk=claim.pk).exists()
    assert len(events_of(claim)) == 3


def test_no_command_deletes_a_claim(editor, admin_user):
    claim = make_claim(author=editor, status="submitted")
    with pytest.raises(CommandError):
        call_command(
            "review_claim", str(claim.pk), "delete", "--as", admin_user.username, stdout=StringIO()
        )
    assert Claim.objects.filter(pk=claim.pk).exists()


# --- Retracting ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["approved", "submitted", "rejected", "changes_requested"])
def test_an_admin_retracts_a_claim_with_a_reason(status, editor, reviewer, admin_user):
    claim = make_claim(author=editor, status=status, reviewer=reviewer)
    answer = token_client(admin_user).post(
        f"/api/claims/{claim.pk}/retract/", {"version": claim.version, "comment": REASON}
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "retracted"
    last = claim.events.order_by("id").last()
    assert last is not None
    assert (last.action, last.from_status, last.to_status, last.comment, last.actor) == (
        "retract",
        status,
        "retracted",
        REASON,
        admin_user,
    )


def test_a_retraction_needs_a_reason_and_an_admin(editor, reviewer, admin_user):
    claim = make_claim(author=editor, status="approved", reviewer=reviewer)
    no_reason = token_client(admin_user).post(
        f"/api/claims/{claim.pk}/retract/", {"version": claim.version}
    )
    assert no_reason.status_code == 400
    by_reviewer = token_client(reviewer).post(
        f"/api/claims/{claim.pk}/retract/", {"version": claim.version, "comment": REASON}
    )
    assert by_reviewer.status_code == 403
    assert "Only admins can retract" in error_of(by_reviewer)["message"]
    claim.refresh_from_db()
    assert claim.status == "approved"


def test_a_draft_is_not_retracted(editor, admin_user):
    claim = make_claim(author=admin_user)
    answer = token_client(admin_user).post(
        f"/api/claims/{claim.pk}/retract/", {"version": claim.version, "comment": REASON}
    )
    assert answer.status_code == 409


def test_the_review_screen_offers_an_admin_the_retraction(client, editor, reviewer, admin_user):
    claim = make_claim(author=editor, status="approved", reviewer=reviewer)
    client.force_login(admin_user)
    html = client.get(reverse("review-claim", args=[claim.pk])).content.decode()
    assert '<input type="radio" name="action" value="retract"' in html
    done = client.post(
        reverse("review-act", args=[claim.pk]),
        {"action": "retract", "version": claim.version, "comment": REASON},
    )
    assert done.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "retracted"
    client.force_login(reviewer)
    html = client.get(reverse("review-claim", args=[claim.pk])).content.decode()
    assert 'value="retract"' not in html
    assert REASON in html


def test_the_admin_action_retracts(client, editor, reviewer, admin_user):
    claim = make_claim(author=editor, status="approved", reviewer=reviewer)
    client.force_login(admin_user)
    client.post(
        reverse("admin:annotations_claim_changelist"),
        {
            "action": "retract_claims",
            "confirm": "yes",
            "comment": REASON,
            ACTION_CHECKBOX_NAME: [claim.pk],
            f"version_{claim.pk}": claim.version,
        },
    )
    claim.refresh_from_db()
    assert claim.status == "retracted"


def test_a_retracted_claim_is_not_waiting_for_review_nor_exported_as_approved(
    editor, reviewer, admin_user, tmp_path: Path
):
    waiting = make_claim(author=editor, status="submitted")
    services.claim_transition(
        claim_id=waiting.pk, actor=admin_user, action="retract", version=2, comment=REASON
    )
    published = make_claim(author=editor, status="approved", reviewer=reviewer)
    services.claim_transition(
        claim_id=published.pk, actor=admin_user, action="retract", version=3, comment=REASON
    )
    assert list(selectors.review_queue(reviewer)) == []
    assert services.review_next(reviewer=reviewer) is None
    out = StringIO()
    call_command("export_claims", "--format", "claimreview", stdout=out)
    assert json.loads(out.getvalue()) == []
    path = tmp_path / "all.json"
    call_command("export_claims", "--format", "native", "--status", "all", "--output", str(path))
    statuses = {c["status"] for c in json.loads(path.read_text(encoding="utf-8"))["claims"]}
    assert statuses == {"retracted"}


# --- Every version of the content ---------------------------------------------------------


def test_every_saved_change_of_the_content_is_a_version_with_who_and_when(
    editor, editor2, reviewer
):
    claim = make_claim(author=editor, status="changes_requested", reviewer=reviewer)
    api = token_client(editor)
    patched = api.patch(
        f"/api/claims/{claim.pk}/",
        {"version": claim.version, "rationale": "The survey shows a 12% fall, not 50%."},
    )
    assert patched.status_code == 200, patched.content
    # Saving the same content again records nothing new.
    again = api.patch(
        f"/api/claims/{claim.pk}/",
        {
            "version": patched.json()["version"],
            "rationale": "The survey shows a 12% fall, not 50%.",
        },
    )
    assert again.status_code == 200
    versions = list(claim.versions.order_by("number"))
    assert [(v.number, v.author, v.rationale) for v in versions] == [
        (1, editor, "Official statistics show a 12% fall, not 50%."),
        (2, editor, "The survey shows a 12% fall, not 50%."),
    ]
    assert versions[1].created_at > versions[0].created_at
    assert versions[1].sources[0]["url"] == "https://stats.example.org/unemployment"


def test_the_history_interleaves_edits_with_decisions(editor, reviewer):
    claim = make_claim(author=editor, status="changes_requested", reviewer=reviewer)
    claim = services.claim_update(
        claim_id=claim.pk,
        actor=editor,
        version=claim.version,
        changes={"claimant": "The mayor's office"},
    )
    services.claim_transition(
        claim_id=claim.pk, actor=editor, action="submit", version=claim.version
    )
    answer = token_client(reviewer).get(f"/api/claims/{claim.pk}/history/")
    assert answer.status_code == 200
    steps = [(e["kind"], e["action"] or f"edit {e['edit']}", e["actor"]) for e in answer.json()]
    assert steps == [
        ("edit", "edit 1", "ed"),
        ("decision", "create", "ed"),
        ("decision", "submit", "ed"),
        ("decision", "request_changes", "rev"),
        ("edit", "edit 2", "ed"),
        ("decision", "submit", "ed"),
    ]
    assert answer.json()[4]["content"]["claimant"] == "The mayor's office"


def test_the_review_screen_shows_what_changed_since_the_last_decision(client, editor, reviewer):
    claim = make_claim(author=editor, status="changes_requested", reviewer=reviewer)
    source = claim.sources.get()
    claim = services.claim_update(
        claim_id=claim.pk,
        actor=editor,
        version=claim.version,
        changes={
            "rationale": "The labour survey shows a 12% fall, not 50%.",
            "sources": [
                {"id": source.pk, "title": "Labour force survey"},
                {"url": "https://stats.example.org/press", "title": "Press release"},
            ],
        },
    )
    services.claim_transition(
        claim_id=claim.pk, actor=editor, action="submit", version=claim.version
    )
    client.force_login(reviewer)
    html = client.get(reverse("review-claim", args=[claim.pk])).content.decode()
    assert "Changed since the last decision" in html
    assert "<del>Official statistics show</del><ins>The labour survey shows</ins>" in html
    assert "Added: <ins>Press release</ins>" in html
    assert "Changed: Labour force survey" in html
    assert "edit 2" in html and "Version 2" not in html


def test_the_native_format_round_trips_retractions_and_versions(
    editor, reviewer, admin_user, tmp_path: Path
):
    claim = make_claim(author=editor, status="changes_requested", reviewer=reviewer)
    claim = services.claim_update(
        claim_id=claim.pk, actor=editor, version=claim.version, changes={"claimant": "The council"}
    )
    claim = services.claim_transition(
        claim_id=claim.pk, actor=editor, action="submit", version=claim.version
    )
    services.claim_transition(
        claim_id=claim.pk, actor=admin_user, action="retract", version=claim.version, comment=REASON
    )
    first = tmp_path / "first.json"
    call_command("export_claims", "--format", "native", "--status", "all", "--output", str(first))
    exported = json.loads(first.read_text(encoding="utf-8"))["claims"][0]
    erase_every_claim()
    call_command("import_claims", str(first), stdout=StringIO())
    second = tmp_path / "second.json"
    call_command("export_claims", "--format", "native", "--status", "all", "--output", str(second))
    again = json.loads(second.read_text(encoding="utf-8"))["claims"][0]
    assert again["history"] == exported["history"]
    assert [e["action"] for e in again["history"]][-1] == "retract"
    assert [
        {k: v for k, v in version.items() if k != "sources"} for version in again["versions"]
    ] == [{k: v for k, v in version.items() if k != "sources"} for version in exported["versions"]]
    assert [v["edit"] for v in again["versions"]] == [1, 2]
    # The versions' sources name the sources as this desk numbers them.
    restored = Claim.objects.get()
    assert [s["id"] for s in restored.versions.get(number=2).sources] == list(
        restored.sources.values_list("pk", flat=True)
    )


def test_a_diff_marks_whole_changed_phrases_and_keeps_the_rest():
    assert word_runs("The mayor said 50% in May.", "The mayor's office said 12% in May.") == [
        Run("same", "The "),
        Run("del", "mayor"),
        Run("ins", "mayor's office"),
        Run("same", " said "),
        Run("del", "50%"),
        Run("ins", "12%"),
        Run("same", " in May."),
    ]
    assert word_runs("", "New text") == [Run("ins", "New text")]


def test_a_claim_from_a_version_1_file_gets_its_content_as_its_one_version(
    editor, reviewer, tmp_path: Path
):
    make_claim(author=editor, status="approved", reviewer=reviewer, sources=[FULL_SOURCE])
    path = tmp_path / "export.json"
    call_command("export_claims", "--format", "native", "--status", "all", "--output", str(path))
    document = json.loads(path.read_text(encoding="utf-8"))
    document["version"] = 1
    for claim in document["claims"]:
        del claim["versions"], claim["publications"]
        for source in claim["sources"]:
            del source["id"], source["published_on"]
    path.write_text(json.dumps(document), encoding="utf-8")
    erase_every_claim()
    call_command("import_claims", str(path), stdout=StringIO())
    restored = Claim.objects.get()
    (only,) = restored.versions.all()
    assert (only.number, only.author, only.created_at) == (1, editor, restored.updated_at)
    assert (only.claim_text, only.rationale) == (restored.claim_text, restored.rationale)
    assert [s["id"] for s in only.sources] == [restored.sources.get().pk]


# --- Sources keep every field -------------------------------------------------------------


def test_an_update_without_sources_keeps_them_whole(editor):
    claim = make_claim(author=editor, sources=[FULL_SOURCE])
    answer = token_client(editor).patch(
        f"/api/claims/{claim.pk}/", {"version": claim.version, "claimant": "The minister"}
    )
    assert answer.status_code == 200
    (source,) = answer.json()["sources"]
    assert {k: v for k, v in source.items() if k != "id"} == FULL_SOURCE


def test_a_source_named_by_id_keeps_the_fields_the_update_leaves_out(editor):
    claim = make_claim(author=editor, sources=[FULL_SOURCE])
    kept = claim.sources.get()
    answer = token_client(editor).patch(
        f"/api/claims/{claim.pk}/",
        {
            "version": claim.version,
            "sources": [
                {"id": kept.pk, "title": "Labour force survey"},
                {"url": "https://stats.example.org/press"},
            ],
        },
    )
    assert answer.status_code == 200, answer.content
    first, second = answer.json()["sources"]
    assert first == {**FULL_SOURCE, "id": kept.pk, "title": "Labour force survey"}
    assert second["url"] == "https://stats.example.org/press"
    assert Source.objects.get(pk=kept.pk).archive_url == FULL_SOURCE["archive_url"]


def test_a_source_of_another_claim_cannot_be_named(editor):
    mine = make_claim(author=editor)
    other = make_claim(author=make_user(Role.EDITOR, "someone"), sources=[FULL_SOURCE])
    theirs = other.sources.get()
    answer = token_client(editor).patch(
        f"/api/claims/{mine.pk}/", {"version": mine.version, "sources": [{"id": theirs.pk}]}
    )
    assert answer.status_code == 400
    assert Source.objects.get(pk=theirs.pk).claim_id == other.pk


def test_a_new_source_still_needs_its_url(editor):
    claim = make_claim(author=editor)
    answer = token_client(editor).patch(
        f"/api/claims/{claim.pk}/", {"version": claim.version, "sources": [{"title": "No link"}]}
    )
    assert answer.status_code == 400
    assert "url" in json.dumps(error_of(answer))
