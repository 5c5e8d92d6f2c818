"""Names of the review workflow's actions and states as the desk's own pages show them, in
the reader's language.

{% load desk %}{{ event.action|action_name }} -> "Request changes" / "Demander des modifications"
{{ claim.status|state_name }} -> "Changes requested" / "Modifications demandées"
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from annotations.workflow import Action, Status

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

register = template.Library()

ACTION_NAMES: dict[str, StrOrPromise] = {
    Action.CREATE: pgettext_lazy("review action", "Create"),
    Action.SUBMIT: _("Submit for review"),
    Action.WITHDRAW: _("Withdraw"),
    Action.APPROVE: _("Approve"),
    Action.REJECT: _("Reject"),
    Action.REQUEST_CHANGES: _("Request changes"),
    Action.REOPEN: _("Reopen for correction"),
    Action.RETRACT: _("Retract"),
    Action.ARTICLE_CHANGED: _("Article changed after the verdict"),
    Action.REANCHOR: _("Re-anchored in a new revision"),
    Action.REATTACH: _("Re-attached to the new text"),
}

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
