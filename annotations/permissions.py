"""Who may do what: the role rules, written once as named predicates.

The services ask these and raise PermissionDenied when one says no; the pages ask them only
to decide which buttons to show. Which claims a user may see is a rule of the claims'
queryset (models.ClaimQuerySet.visible_to), not a predicate here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from annotations.roles import Role, forget_role, group_role, has_role, role_of
from annotations.workflow import (
    ADMIN_ACTIONS,
    AUTHOR_ACTIONS,
    DELETABLE_STATUSES,
    EDITABLE_STATUSES,
    REATTACHABLE_STATUSES,
    REVIEW_ACTIONS,
    Action,
    actions_from,
)

if TYPE_CHECKING:
    from annotations.models import Claim
    from annotations.roles import AnyUser

__all__ = [
    "available_actions",
    "can_check_articles",
    "can_create_claim",
    "can_delete_claim",
    "can_edit_claim",
    "can_import_articles",
    "can_manage_claimants",
    "can_manage_verdicts",
    "can_merge_claimants",
    "can_reattach_claim",
    "can_review_claim",
    "can_see_unpublished",
    "can_take_action",
    "forget_role",
    "group_role",
    "is_admin",
    "is_author",
    "is_editor",
    "is_reviewer",
    "refusal_reason",
    "role_of",
]


def is_editor(user: AnyUser | None) -> bool:
    return has_role(user, Role.EDITOR)


def is_reviewer(user: AnyUser | None) -> bool:
    return has_role(user, Role.REVIEWER)


def is_admin(user: AnyUser | None) -> bool:
    return has_role(user, Role.ADMIN)


def is_author(user: AnyUser | None, claim: Claim) -> bool:
    return user is not None and user.is_authenticated and claim.author_id == user.pk


def can_create_claim(user: AnyUser | None) -> bool:
    return is_editor(user)


def can_edit_claim(user: AnyUser | None, claim: Claim) -> bool:
    return is_editor(user) and is_author(user, claim) and claim.status in EDITABLE_STATUSES


def can_delete_claim(user: AnyUser | None, claim: Claim) -> bool:
    """Only a draft that never left its author: anything once submitted is part of the
    record, and is retracted rather than deleted."""
    return (
        is_editor(user)
        and is_author(user, claim)
        and claim.status in DELETABLE_STATUSES
        and not claim.was_submitted
    )


def can_review_claim(user: AnyUser | None, claim: Claim) -> bool:
    """Four eyes: a reviewer or admin, never the claim's author."""
    return is_reviewer(user) and not is_author(user, claim)


def can_take_action(user: AnyUser | None, claim: Claim, action: str) -> bool:
    """Whether `user` may take `action` on `claim` (the state check is workflow's)."""
    if action in AUTHOR_ACTIONS:
        return is_editor(user) and is_author(user, claim)
    if action in REVIEW_ACTIONS:
        return can_review_claim(user, claim)
    if action in ADMIN_ACTIONS:
        return is_admin(user)
    return False


def available_actions(user: AnyUser | None, claim: Claim) -> list[str]:
    """The transitions the workflow allows from the claim's state that `user` may take."""
    return [action for action in actions_from(claim.status) if can_take_action(user, claim, action)]


def refusal_reason(user: AnyUser | None, claim: Claim, action: str) -> str:
    """A sentence for the person refused, naming the rule they met."""
    if action in AUTHOR_ACTIONS:
        return _("Only the claim's author can do that.")
    if action in REVIEW_ACTIONS:
        if is_author(user, claim):
            return _("Nobody reviews their own claim: another reviewer must decide it.")
        return _("Only reviewers and admins can review claims.")
    if action == Action.REOPEN:
        return _("Only admins can reopen a published claim.")
    if action == Action.RETRACT:
        return _("Only admins can retract a claim.")
    return _("You may not do that.")


def can_import_articles(user: AnyUser | None) -> bool:
    return is_admin(user)


def can_manage_claimants(user: AnyUser | None) -> bool:
    """Adding a claimant and correcting one (kind, description, same-as): the desk."""
    return is_editor(user)


def can_merge_claimants(user: AnyUser | None) -> bool:
    return is_admin(user)


def can_manage_verdicts(user: AnyUser | None) -> bool:
    return is_admin(user)


def can_see_unpublished(user: AnyUser | None) -> bool:
    """Exports of claims that are not published yet are for reviewers and admins."""
    return is_reviewer(user)


def can_check_articles(user: AnyUser | None) -> bool:
    """Checking an article for changes fetches it again from the address an admin imported
    it from, and records its new text if it changed: any member of the desk may ask, since
    the desk must know what the article says now, whoever notices first."""
    return is_editor(user)


def can_reattach_claim(user: AnyUser | None, claim: Claim) -> bool:
    """An orphaned claim is re-attached by its author, or by an admin, while it is still
    being worked on or published (workflow.REATTACHABLE_STATUSES)."""
    if claim.status not in REATTACHABLE_STATUSES:
        return False
    return is_admin(user) or (is_editor(user) and is_author(user, claim))
