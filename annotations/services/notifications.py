"""Notices of what happened to a person's claims: writing one (notify), reading it, and the
person's choice of e-mail.

notify() is called by the service that makes the change, inside its transaction: a decision
(services.review), a publication, correction or retraction (services.publication), a claim
sent back to review. The e-mail is not sent there: it is enqueued once the transaction
commits, and the background task (annotations.notifications) sends it.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from annotations.models import Claim, Notification, NotificationKind, NotificationSettings

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def notify(
    *,
    recipient: User,
    kind: str,
    claim: Claim,
    actor: User | None = None,
    comment: str = "",
    at: datetime | None = None,
) -> Notification | None:
    """Tell `recipient` that `kind` (a NotificationKind) happened to `claim`, made by `actor`
    (None: by the desk itself) with `comment`; return the notice, or None when there is
    nobody to tell (the recipient made the change, or their account is closed).

    Call inside the transaction of the change, so that the notice is written with it or not
    at all. Its e-mail, if the recipient wants one and has an address, is enqueued after the
    commit (annotations.notifications.send_notification_email); a rolled-back change sends
    nothing.
    """
    if actor is not None and actor.pk == recipient.pk:
        return None
    if not recipient.is_active:
        return None
    notice = Notification(
        recipient=recipient,
        kind=NotificationKind(kind),
        claim=claim,
        actor=actor,
        comment=comment,
        created_at=at or timezone.now(),
    )
    # The one constraint, a known kind, is the kind field's choices, which full_clean checks
    # without asking the database.
    notice.full_clean(exclude=["recipient", "claim", "actor"], validate_constraints=False)
    notice.save()
    if wants_email(recipient):
        from annotations.notifications import send_notification_email

        transaction.on_commit(partial(send_notification_email.enqueue, notice.pk))
    return notice


def wants_email(user: User) -> bool:
    """Whether notices to `user` go out by e-mail too: an address, and e-mail not turned off."""
    address = getattr(user, "email", "")
    if not address:
        return False
    return not NotificationSettings.objects.filter(user_id=user.pk, email=False).exists()


def notification_settings_of(user: User) -> NotificationSettings:
    """The user's settings; the defaults (unsaved) when they never changed them."""
    found = NotificationSettings.objects.filter(user_id=user.pk).first()
    return found or NotificationSettings(user_id=user.pk)


def notification_settings_set(*, user: User, email: bool) -> NotificationSettings:
    """Turn e-mail of notices on or off for `user`; later notices follow it, and an e-mail
    already queued is not sent once it is off."""
    chosen, _ = NotificationSettings.objects.update_or_create(
        user_id=user.pk, defaults={"email": bool(email)}
    )
    return chosen


def notification_mark(*, user: User, notification_id: int, read: bool) -> Notification:
    """Mark one of `user`'s notices read (or unread again). Raises Notification.DoesNotExist
    for a notice that is not theirs, as for one that does not exist."""
    with transaction.atomic():
        notice = Notification.objects.select_for_update().get(pk=notification_id, recipient=user)
        wanted = (notice.read_at or timezone.now()) if read else None
        if wanted != notice.read_at:
            notice.read_at = wanted
            notice.save(update_fields=["read_at"])
    return notice


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notice of `user` read; return how many were."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
