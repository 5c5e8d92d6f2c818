"""Notices of decisions on one's claims: written with the decision, e-mailed after the commit
by the background task (run here by the real worker, on the real queue in the database). The
tests that run the worker commit for real (transaction=True): the worker, as in production,
reads the queue outside any transaction of the test's."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from annotations import services
from annotations.models import Notification, NotificationKind
from annotations.notifications import send_notification_email
from annotations.services.notifications import (
    notification_mark,
    notification_settings_set,
    notifications_mark_all_read,
    notify,
)
from tests.factories import make_claim

pytestmark = pytest.mark.django_db

REASON = "The survey says 12%, not half: correct the figure and cite table 3."


def run_worker() -> None:
    """Run every queued task, as `manage.py db_worker` does in production, then stop."""
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def decide(claim, actor, action, comment=""):  # type: ignore[no-untyped-def]
    return services.claim_transition(
        claim_id=claim.pk, actor=actor, action=action, version=claim.version, comment=comment
    )


@pytest.fixture
def author(editor):  # type: ignore[no-untyped-def]
    editor.email = "ed@example.org"
    editor.save(update_fields=["email"])
    return editor


@pytest.mark.django_db(transaction=True)
def test_requesting_changes_tells_the_author_with_the_reason(author, reviewer):
    claim = make_claim(author=author, status="submitted")
    decide(claim, reviewer, "request_changes", REASON)
    notice = Notification.objects.get()
    assert (notice.recipient, notice.actor, notice.claim_id) == (author, reviewer, claim.pk)
    assert notice.kind == NotificationKind.CHANGES_REQUESTED and notice.comment == REASON
    assert not notice.is_read
    # Enqueued after the commit, sent by the worker.
    assert DBTaskResult.objects.count() == 1 and mail.outbox == []
    run_worker()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ed@example.org"]
    assert f"Claim #{claim.pk}: changes requested" in message.subject
    assert (
        REASON in message.body and f"/articles/{claim.article_id}/#claim-{claim.pk}" in message.body
    )
    notice.refresh_from_db()
    assert notice.emailed_at is not None
    # Run again, the task sends nothing twice.
    assert send_notification_email.call(notice.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("status", "action", "kind"),
    [
        ("submitted", "approve", NotificationKind.PUBLISHED),
        ("submitted", "reject", NotificationKind.REJECTED),
        ("submitted", "retract", NotificationKind.RETRACTED),
        ("approved", "retract", NotificationKind.RETRACTED),
        ("approved", "reopen", NotificationKind.REOPENED),
    ],
)
def test_each_decision_is_one_notice_of_its_kind(
    author, reviewer, admin_user, status, action, kind
):
    claim = make_claim(author=author, status=status, reviewer=reviewer)
    Notification.objects.all().delete()
    actor = admin_user if action in ("retract", "reopen") else reviewer
    decide(claim, actor, action, "Because the record says so.")
    assert list(Notification.objects.values_list("kind", "recipient", "actor")) == [
        (kind, author.pk, actor.pk)
    ]


def test_an_approved_correction_is_a_correction_notice(author, reviewer, admin_user):
    claim = make_claim(author=author, status="approved", reviewer=reviewer)
    claim = decide(claim, admin_user, "reopen", "Readers report a revised survey.")
    claim = decide(claim, reviewer, "request_changes", "Correct the figure.")
    claim = decide(claim, author, "submit", "The figure is now 12%.")
    decide(claim, reviewer, "approve")
    kinds = list(Notification.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["published", "reopened", "changes_requested", "corrected"]


def test_nobody_is_told_of_their_own_doing(editor, reviewer, admin_user):
    # The author's own moves tell nobody; an admin reopening their own claim neither.
    claim = make_claim(author=admin_user, status="approved", reviewer=reviewer)
    Notification.objects.all().delete()
    claim = decide(claim, admin_user, "reopen", "My own correction.")
    own = make_claim(author=editor, status="submitted")
    decide(own, editor, "withdraw")
    assert not Notification.objects.exists()


def test_a_refused_decision_leaves_no_notice_and_sends_nothing(
    author, reviewer, django_capture_on_commit_callbacks
):
    claim = make_claim(author=author, status="submitted")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        decide(claim, reviewer, "request_changes", "")  # the reason is required
    assert not Notification.objects.exists() and not DBTaskResult.objects.exists()


def test_a_notice_written_in_a_transaction_rolled_back_sends_nothing(
    author, reviewer, django_capture_on_commit_callbacks
):
    claim = make_claim(author=author, status="submitted")
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(recipient=author, kind="rejected", claim=claim, actor=reviewer)
        raise RuntimeError("the change failed after the notice")
    assert callbacks == [] and not Notification.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_with_email_turned_off_a_decision_sends_none(author, reviewer):
    notification_settings_set(user=author, email=False)
    claim = make_claim(author=author, status="submitted")
    decide(claim, reviewer, "request_changes", REASON)
    run_worker()
    assert mail.outbox == [] and not DBTaskResult.objects.exists()
    # The notice is still on the desk.
    assert Notification.objects.get().comment == REASON


@pytest.mark.django_db(transaction=True)
def test_email_turned_off_after_the_decision_stops_the_queued_email(author, reviewer):
    claim = make_claim(author=author, status="submitted")
    decide(claim, reviewer, "reject", REASON)
    notification_settings_set(user=author, email=False)
    run_worker()
    assert mail.outbox == []
    assert Notification.objects.get().emailed_at is None


@pytest.mark.django_db(transaction=True)
def test_a_user_without_an_address_gets_the_notice_and_no_email(editor, reviewer):
    claim = make_claim(author=editor, status="submitted")
    decide(claim, reviewer, "reject", REASON)
    run_worker()
    assert Notification.objects.count() == 1 and mail.outbox == []


def test_marking_read_and_unread(author, reviewer):
    claim = make_claim(author=author, status="submitted")
    decide(claim, reviewer, "request_changes", REASON)
    notice = Notification.objects.get()
    read = notification_mark(user=author, notification_id=notice.pk, read=True)
    assert read.is_read
    first_read = read.read_at
    assert notification_mark(user=author, notification_id=notice.pk, read=True).read_at == (
        first_read
    )
    assert not notification_mark(user=author, notification_id=notice.pk, read=False).is_read


def test_nobody_marks_someone_elses_notice(author, reviewer, editor2):
    claim = make_claim(author=author, status="submitted")
    decide(claim, reviewer, "request_changes", REASON)
    notice = Notification.objects.get()
    with pytest.raises(Notification.DoesNotExist):
        notification_mark(user=editor2, notification_id=notice.pk, read=True)
    assert notifications_mark_all_read(user=editor2) == 0
    notice.refresh_from_db()
    assert not notice.is_read
    assert notifications_mark_all_read(user=author) == 1


def test_an_unknown_kind_is_refused(author, reviewer):
    claim = make_claim(author=author, status="submitted")
    with pytest.raises(ValueError):
        notify(recipient=author, kind="gossip", claim=claim, actor=reviewer)


def test_the_article_changed_notice_is_one_call_for_other_services(author, reviewer):
    claim = make_claim(author=author, status="approved", reviewer=reviewer)
    notice = notify(
        recipient=author,
        kind=NotificationKind.ARTICLE_CHANGED,
        claim=claim,
        comment="The article's text changed around the quote.",
    )
    assert notice is not None and notice.actor is None
    assert notice.get_kind_display() == "Sent back to review: the article changed"


@pytest.mark.django_db(transaction=True)
def test_the_article_changed_email_points_to_the_article(author, reviewer):
    claim = make_claim(author=author, status="approved", reviewer=reviewer)
    mail.outbox.clear()
    with transaction.atomic():
        notify(recipient=author, kind=NotificationKind.ARTICLE_CHANGED, claim=claim)
    Notification.objects.exclude(kind=NotificationKind.ARTICLE_CHANGED).update(
        emailed_at=claim.updated_at
    )
    run_worker()
    (message,) = [m for m in mail.outbox if "article changed" in m.subject]
    assert "by the desk" in message.body and "The article's text changed" in message.body
    assert f"/articles/{claim.article_id}/#claim-{claim.pk}" in message.body


def test_the_email_speaks_the_language_its_recipient_chose(author, reviewer):
    from annotations.notifications import email_of
    from annotations.services.preferences import display_settings_save

    claim = make_claim(author=author, status="submitted")
    decide(claim, reviewer, "request_changes", REASON)
    notice = Notification.objects.get()
    subject, body = email_of(notice)
    assert "changes requested" in subject and "It is back with you" in body

    display_settings_save(user=author, time_zone="", language="fr")
    subject, body = email_of(notice)
    assert "modifications demandées" in subject.lower()
    assert "Bonjour" in body and "It is back with you" not in body
    # The comment is the reviewer's words, never translated.
    assert REASON in body
