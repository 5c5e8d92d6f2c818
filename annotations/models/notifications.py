"""Notices to the desk: what happened to a person's claims, and how they want to hear of it.

A Notification is written by annotations.services.notifications.notify, in the transaction of
the change it reports (a decision, a publication, a claim sent back); its e-mail goes after
the commit, through the background task system (annotations.notifications).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from annotations.models.claims import Claim
from annotations.validators import validate_clean_text, validate_moment


class NotificationKind(models.TextChoices):
    """What happened to the claim. Another change that concerns an author gets a kind here
    and a call to notify() in the service that makes it."""

    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    REJECTED = "rejected", _("Rejected")
    PUBLISHED = "published", _("Approved and published")
    CORRECTED = "corrected", _("Correction approved and published")
    REOPENED = "reopened", _("Reopened for correction")
    RETRACTED = "retracted", _("Retracted")
    ARTICLE_CHANGED = "article_changed", _("Sent back to review: the article changed")


class Notification(models.Model):
    Kind = NotificationKind

    # No index of its own: notification_list_idx and notification_unread_idx start with it.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
    )
    kind = models.CharField(
        max_length=30, choices=NotificationKind.choices, validators=[validate_clean_text]
    )
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="notifications")
    # Who made the change; None for one the desk made by itself (an article re-imported).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The decision's comment (or a correction's note, a retraction's reason), as written.
    comment = models.TextField(blank=True, validators=[validate_clean_text])
    created_at = models.DateTimeField(
        default=timezone.now, editable=False, validators=[validate_moment]
    )
    read_at = models.DateTimeField(null=True, blank=True, validators=[validate_moment])
    emailed_at = models.DateTimeField(null=True, blank=True, validators=[validate_moment])

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=NotificationKind.values), name="notification_kind_known"
            ),
        ]
        indexes = [
            # A person's notices, newest first (the list and the API).
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_list_idx"),
            # The unread count in every page's navigation, read off the index alone.
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: claim #{self.claim_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationSettings(models.Model):
    """A person's choices about notices. No row means the defaults: e-mail on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_settings",
    )
    email = models.BooleanField(
        "E-mail me",
        default=True,
        help_text="Send an e-mail for each notice, besides showing it here.",
    )

    class Meta:
        verbose_name_plural = "notification settings"

    def __str__(self) -> str:
        return f"notification settings of user #{self.user_id}"
