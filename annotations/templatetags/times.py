"""Times as the reader reads them: in their zone (annotations.time_zones), the zone named.

{% load times %}{{ claim.submitted_at|when }}
-> <time datetime="2026-12-05T13:05:00Z">5 Dec 2026, 14:05 CET</time>
{{ claim.assigned_at|when:"time" }} -> <time ...>14:05 CET</time>
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django import template
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from annotations.time_zones import zone_abbreviation

register = template.Library()

FORMATS = {"": "j M Y, H:i T", "time": "H:i T", "date": "j M Y"}


@register.filter
def when(value: datetime | None, part: str = "") -> SafeString | str:
    """`value` in the active time zone, in a <time> element whose datetime is UTC."""
    if value is None:
        return ""
    if part not in FORMATS:
        raise template.TemplateSyntaxError(f"when: unknown part {part!r}; use time or date.")
    machine = value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    shown = dateformat.format(timezone.localtime(value), FORMATS[part])
    return format_html('<time datetime="{}">{}</time>', machine, shown)


@register.simple_tag
def current_zone() -> str:
    """The active zone as a reader knows it: "CET (Europe/Paris)", or "UTC"."""
    zone = timezone.get_current_timezone()
    # The IANA key: Django's own name for a zone is its abbreviation when it has one, which
    # for Etc/GMT+12 is "-12", not a name ZoneInfo knows.
    name = getattr(zone, "key", None) or str(zone)
    abbreviation = zone_abbreviation(name)
    return name if abbreviation == name else f"{abbreviation} ({name})"


@register.inclusion_tag("annotations/display_settings_form.html", takes_context=True)
def display_settings_form(context: template.Context) -> dict[str, Any]:
    """The language and time-zone form, for another settings page to include; saved, it
    comes back to that page."""
    from annotations.views.preferences import display_settings_form_for

    request = context["request"]
    return {
        "form": display_settings_form_for(request),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
