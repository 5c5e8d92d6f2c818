"""Names the desk's pages show for its values, in the reader's language.

{% load labels %}{{ claim.status|status_name }} -> "changes requested" / "modifications demandées"
"""

from __future__ import annotations

from django import template
from django.utils.translation import pgettext_lazy

register = template.Library()

# workflow.Status's values, as a running text names them (lower case).
STATUS_NAMES = {
    "draft": pgettext_lazy("claim status", "draft"),
    "submitted": pgettext_lazy("claim status", "submitted"),
    "approved": pgettext_lazy("claim status", "approved"),
    "rejected": pgettext_lazy("claim status", "rejected"),
    "changes_requested": pgettext_lazy("claim status", "changes requested"),
    "retracted": pgettext_lazy("claim status", "retracted"),
}


@register.filter
def status_name(status: str) -> str:
    """The status's name in the active language; the value itself if it has none."""
    return str(STATUS_NAMES.get(status, status))
