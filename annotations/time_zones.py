"""Whose clock and language the desk's pages show: the reader's choice, else their browser's,
else the desk's TIME_ZONE and LANGUAGE_CODE. factcheck.middleware.ReaderPreferencesMiddleware
activates them for each page; annotations.templatetags.times writes the times, the zone
named."""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from annotations.models import DisplaySettings
from annotations.validators import time_zone_names

OTHER = ""
# The cookie in which the browser tells its zone (annotations/static/annotations/time-zone.js).
BROWSER_ZONE_COOKIE = "tz"


def chosen_preferences(user_id: int) -> tuple[str, str]:
    """The (time zone, language) the user chose on their settings page; "" for each they
    leave to their browser."""
    chosen = (
        DisplaySettings.objects.filter(user_id=user_id).values_list("time_zone", "language").first()
    )
    return chosen or ("", "")


def browser_time_zone(request: HttpRequest) -> str:
    """The zone the reader's browser reported, if it is one this machine knows; else ""."""
    reported = request.COOKIES.get(BROWSER_ZONE_COOKIE, "")
    return reported if reported in time_zone_names() else ""


def reader_preferences(request: HttpRequest) -> tuple[str, str]:
    """The zone to show `request`'s reader times in, and the language they chose ("" when
    the browser's, which LocaleMiddleware has activated, stands)."""
    zone, language = "", ""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        zone, language = chosen_preferences(user.pk)
    return zone or browser_time_zone(request) or settings.TIME_ZONE, language


def zone_abbreviation(name: str, at: datetime | None = None) -> str:
    """What a clock in zone `name` is called at `at` (now): CET, EDT, UTC, or +04 where the
    zone has no letters for it."""
    moment = timezone.localtime(at or timezone.now(), timezone=zoneinfo.ZoneInfo(name))
    return moment.tzname() or name


def grouped_time_zones() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every known zone, grouped by region (Africa, America, Europe...), for a <select>."""
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for name in sorted(time_zone_names()):
        region, _slash, place = name.partition("/")
        if not place:
            # UTC, GMT, EST5EDT and the like: kept for what older systems say, shown apart.
            groups[OTHER].append((name, name))
        else:
            groups[region].append((name, place.replace("_", " ")))
    named = sorted((region, zones) for region, zones in groups.items() if region != OTHER)
    return [*named, (_("Other"), groups[OTHER])] if OTHER in groups else named
