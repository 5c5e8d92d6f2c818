"""The e-mail of a notice, sent in the background once the change that made it is committed.

services.notifications.notify enqueues send_notification_email after the commit; the
database backend of django-tasks keeps the queue and `manage.py db_worker` runs it.
"""

from __future__ import annotations

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks import task

from annotations.export.links import base_url
from annotations.models import DisplaySettings, Notification, NotificationKind
from annotations.services.notifications import wants_email


@task()
def send_notification_email(notification_id: int) -> bool:
    """Send the e-mail of notice `notification_id`; True when one was sent. Sends nothing
    for a notice already e-mailed, gone, or whose recipient has since turned e-mail off or
    has no address."""
    notice = (
        Notification.objects.select_related("recipient", "actor", "claim__article")
        .filter(pk=notification_id, emailed_at__isnull=True)
        .first()
    )
    if notice is None or not wants_email(notice.recipient):
        return False
    subject, body = email_of(notice)
    send_mail(subject, body, None, [notice.recipient.email])
    Notification.objects.filter(pk=notice.pk, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    return True


def email_of(notice: Notification) -> tuple[str, str]:
    """The subject and the plain-text body of a notice's e-mail, in the recipient's language:
    the one they chose in their settings, else the desk's (LANGUAGE_CODE). A background
    task has no browser to ask."""
    from django.conf import settings

    chosen = (
        DisplaySettings.objects.filter(user_id=notice.recipient_id)
        .values_list("language", flat=True)
        .first()
    )
    with translation.override(chosen or settings.LANGUAGE_CODE):
        return _email_of(notice, settings.EMAIL_SUBJECT_PREFIX)


def _email_of(notice: Notification, prefix: str) -> tuple[str, str]:
    base = base_url()
    claim = notice.claim
    context = {
        "notice": notice,
        "claim": claim,
        "actor": notice.actor.get_username() if notice.actor else gettext("the desk"),
        "needs_action": notice.kind == NotificationKind.CHANGES_REQUESTED,
        "article_changed": notice.kind == NotificationKind.ARTICLE_CHANGED,
        "claim_url": base + reverse("review-claim", args=[claim.pk]),
        "article_url": base
        + reverse("article-detail", args=[claim.article_id])
        + f"#claim-{claim.pk}",
        "my_claims_url": base + reverse("my-claims"),
        "settings_url": base + reverse("notification-settings"),
    }
    subject = gettext("Claim #%(id)s: %(what)s") % {
        "id": claim.pk,
        "what": notice.get_kind_display().lower(),
    }
    return prefix + subject, render_to_string("annotations/email/notification.txt", context)
