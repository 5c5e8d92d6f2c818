"""A person's display choices (annotations.models.DisplaySettings)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from annotations.models import DisplaySettings

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def display_settings_save(*, user: User, time_zone: str, language: str = "") -> DisplaySettings:
    """Set the zone and the language of `user`'s pages ("" follows their browser). Each
    person changes only their own. Raises ValidationError naming the field (`time_zone`,
    `language`) for a zone or language the desk does not know, and changes nothing then."""
    with transaction.atomic():
        row, _ = DisplaySettings.objects.select_for_update().get_or_create(user=user)
        row.time_zone = time_zone.strip()
        row.language = language.strip()
        row.full_clean()
        row.save()
    return row
