"""Names of the review workflow's actions (its own labels) and states (as the desk's own
pages word them), in the reader's language.

{% load desk %}{{ event.action|action_name }} -> "Request changes" / "Demander des modifications"
{{ claim.status|state_name }} -> "Changes requested" / "Modifications demandées"
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template
from django.utils.translation import pgettext_lazy

from annotations.workflow import Action, Status

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

register = template.Library()

# The workflow's labels by action, for the pages that look them up.
ACTION_NAMES: dict[str, StrOrPromise] = {action.value: action.label for action in Action}

STATE_NAMES: dict[str, StrOrPromise] = {
    Status.DRAFT: pgettext_lazy("my claims", "Draft"),
    Status.SUBMITTED: pgettext_lazy("my claims", "Submitted"),
    Status.APPROVED: pgettext_lazy("my claims", "Published"),
    Status.REJECTED: pgettext_lazy("my claims", "Rejected"),
    Status.CHANGES_REQUESTED: pgettext_lazy("my claims", "Changes requested"),
    Status.RETRACTED: pgettext_lazy("my claims", "Retracted"),
}


@register.filter
def action_name(action: str) -> str:
    return str(ACTION_NAMES.get(action, action))


@register.filter
def state_name(status: str) -> str:
    return str(STATE_NAMES.get(status, status))
