from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from annotations import services
from annotations.errors import InvalidTransition, StaleVersion
from annotations.models import Claim, ReviewEvent, Source
from tests.factories import make_claim, verdict

pytestmark = pytest.mark.django_db

QUOTE = "unemployment had fallen by half since 2020"


def test_claim_create_stores_selector_cut_from_the_body(editor, article):
    start = article.body.index(QUOTE)
    claim = services.claim_create(
        author=editor, article=article, start=start, end=start + len(QUOTE), claimant="The mayor"
    )
    assert claim.quote == QUOTE == article.body[claim.start : claim.end]
    assert claim.prefix == article.body[start - 32 : start]
    assert claim.suffix == article.body[claim.end : claim.end + 32]
    assert claim.claim_text == QUOTE
    assert claim.status == "draft"
    assert claim.version == 1
    assert list(claim.events.values_list("action", "to_status")) == [("create", "draft")]


def test_claim_create_refuses_a_quote_that_does_not_match(editor, article):
    with pytest.raises(ValidationError) as raised:
        services.claim_create(author=editor, article=article, start=4, end=10, quote="budget")
    assert "quote" in raised.value.message_dict
    assert not Claim.objects.exists()


def test_bad_source_stores_nothing(editor, article):
    start = article.body.index(QUOTE)
    with pytest.raises(ValidationError) as raised:
        services.claim_create(
            author=editor,
            article=article,
            start=start,
            end=start + len(QUOTE),
            sources=[{"url": "https://ok.example/"}, {"url": "javascript:alert(1)"}],
        )
    assert "Source 2, url" in raised.value.message_dict["sources"][0]
    assert not Claim.objects.exists()
    assert not Source.objects.exists()
    assert not ReviewEvent.objects.exists()


def test_users_without_a_role_cannot_create_claims(no_role_user, article):
    with pytest.raises(PermissionDenied):
        services.claim_create(author=no_role_user, article=article, start=0, end=3)


def test_submit_needs_verdict_and_rationale(editor, article):
    start = article.body.index(QUOTE)
    claim = services.claim_create(author=editor, article=article, start=start, end=start + 5)
    with pytest.raises(ValidationError) as raised:
        services.claim_transition(claim_id=claim.pk, actor=editor, action="submit", version=1)
    assert set(raised.value.message_dict) == {"verdict", "rationale"}


def test_full_review_cycle_records_every_step(editor, reviewer, admin_user):
    claim = make_claim(author=editor, status="submitted")
    claim = services.claim_transition(
        claim_id=claim.pk,
        actor=reviewer,
        action="request_changes",
        version=claim.version,
        comment="Cite it.",
    )
    claim = services.claim_update(
        claim_id=claim.pk, actor=editor, version=claim.version, changes={"rationale": "Now cited."}
    )
    claim = services.claim_transition(
        claim_id=claim.pk, actor=editor, action="submit", version=claim.version
    )
    claim = services.claim_transition(
        claim_id=claim.pk, actor=reviewer, action="approve", version=claim.version
    )
    assert claim.status == "approved" and claim.published_at is not None
    claim = services.claim_transition(
        claim_id=claim.pk,
        actor=admin_user,
        action="reopen",
        version=claim.version,
        comment="Correction.",
    )
    steps = list(claim.events.values_list("action", "from_status", "to_status"))
    assert steps == [
        ("create", "", "draft"),
        ("submit", "draft", "submitted"),
        ("request_changes", "submitted", "changes_requested"),
        ("submit", "changes_requested", "submitted"),
        ("approve", "submitted", "approved"),
        ("reopen", "approved", "submitted"),
    ]


def test_nobody_approves_their_own_claim(admin_user):
    claim = make_claim(author=admin_user, status="submitted")
    with pytest.raises(PermissionDenied, match="own claim"):
        services.claim_transition(
            claim_id=claim.pk, actor=admin_user, action="approve", version=claim.version
        )
    claim.refresh_from_db()
    assert claim.status == "submitted"


def test_stale_version_changes_nothing(editor, reviewer):
    claim = make_claim(author=editor, status="submitted")
    with pytest.raises(StaleVersion):
        services.claim_transition(
            claim_id=claim.pk, actor=reviewer, action="approve", version=claim.version - 1
        )
    assert ReviewEvent.objects.filter(claim=claim, action="approve").count() == 0


def test_invalid_transition_is_a_conflict(editor, reviewer):
    claim = make_claim(author=editor, status="approved", reviewer=reviewer)
    with pytest.raises(InvalidTransition):
        services.claim_transition(
            claim_id=claim.pk, actor=reviewer, action="reject", version=claim.version, comment="no"
        )


def test_reject_needs_a_comment(editor, reviewer):
    claim = make_claim(author=editor, status="submitted")
    with pytest.raises(ValidationError) as raised:
        services.claim_transition(
            claim_id=claim.pk, actor=reviewer, action="reject", version=claim.version
        )
    assert "comment" in raised.value.message_dict


def test_only_author_edits_and_only_drafts(editor, editor2, reviewer):
    claim = make_claim(author=editor)
    # Another editor's draft is not even there for them.
    with pytest.raises(Claim.DoesNotExist):
        services.claim_update(
            claim_id=claim.pk, actor=editor2, version=1, changes={"claimant": "x"}
        )
    submitted = make_claim(author=editor, status="submitted")
    with pytest.raises(PermissionDenied):
        services.claim_update(
            claim_id=submitted.pk,
            actor=reviewer,
            version=submitted.version,
            changes={"claimant": "x"},
        )
    with pytest.raises(PermissionDenied):
        services.claim_update(
            claim_id=submitted.pk,
            actor=editor,
            version=submitted.version,
            changes={"claimant": "x"},
        )


def test_update_replaces_sources_and_span(editor):
    claim = make_claim(author=editor)
    body = claim.article.body
    start = body.index("Critics")
    claim = services.claim_update(
        claim_id=claim.pk,
        actor=editor,
        version=1,
        changes={
            "start": start,
            "end": start + 7,
            "verdict": verdict("misleading"),
            "sources": [{"url": "https://a.example/1"}, {"url": "https://a.example/2"}],
        },
    )
    assert claim.quote == "Critics"
    assert claim.version == 2
    assert list(claim.sources.values_list("url", flat=True)) == [
        "https://a.example/1",
        "https://a.example/2",
    ]


def test_only_drafts_are_deleted(editor):
    claim = make_claim(author=editor)
    services.claim_delete(claim_id=claim.pk, actor=editor, version=1)
    assert not Claim.objects.filter(pk=claim.pk).exists()
    submitted = make_claim(author=editor, status="submitted")
    with pytest.raises(PermissionDenied):
        services.claim_delete(claim_id=submitted.pk, actor=editor, version=submitted.version)


def test_a_restored_claim_keeps_more_sources_than_one_insert_can_carry(editor, article):
    """Parameters are bound on the server (DB_PREPARED_STATEMENTS), where one statement takes
    at most 65,535 of them: 7,500 sources of 9 columns are stored only because Django inserts
    them as one array per column (UNNEST), which this holds."""
    start = article.body.index(QUOTE)
    moment = timezone.now()
    claim = services.claim_restore(
        article=article,
        author=editor,
        start=start,
        end=start + len(QUOTE),
        quote=QUOTE,
        claim_text=QUOTE,
        status="draft",
        created_at=moment,
        updated_at=moment,
        sources=[{"url": f"https://stats.example.org/{n}"} for n in range(7_500)],
    )
    assert Source.objects.filter(claim=claim).count() == 7_500
    last = Source.objects.filter(claim=claim).order_by("position").last()
    assert last is not None and last.url == "https://stats.example.org/7499"
