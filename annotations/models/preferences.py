"""How a person wants the desk shown to them: the language of its pages and the time zone of
every time on them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from annotations.validators import validate_clean_text, validate_time_zone


class DisplaySettings(models.Model):
    """A person's display choices. No row, or an empty value, follows their browser: its
    languages (Accept-Language) and its zone when it has told us (the `tz` cookie); else the
    desk's LANGUAGE_CODE and TIME_ZONE."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="display_settings",
    )
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        validators=[validate_clean_text, validate_time_zone],
        help_text="An IANA zone such as Europe/Paris; empty follows the browser.",
    )
    language = models.CharField(
        max_length=8,
        blank=True,
        choices=settings.LANGUAGES,
        validators=[validate_clean_text],
        help_text="The language of the desk's pages; empty follows the browser.",
    )

    class Meta:
        verbose_name_plural = "display settings"

    def __str__(self) -> str:
        return f"display settings of user #{self.user_id}"
