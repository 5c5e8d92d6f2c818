"""The verdict scale: the default steps of a new desk, and admins' changes to it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from annotations import permissions
from annotations.defaults import DEFAULT_SCALE
from annotations.models import Verdict

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def verdicts_ensure() -> None:
    """Give an empty verdict scale the default steps (a new database, or one emptied by a
    flush); a scale that has any verdict is left as the admins made it."""
    if Verdict.objects.exists():
        return
    Verdict.objects.bulk_create(
        Verdict(label=label, slug=slug, rating=rating, colour=colour, description=text, order=order)
        for order, (label, slug, rating, colour, text) in enumerate(DEFAULT_SCALE)
    )


def verdict_save(*, verdict: Verdict, actor: User | None) -> Verdict:
    """Add a verdict to the scale or change one; admins only (`actor` None is the operator,
    restoring a native export). Raises ValidationError naming the fields at fault."""
    if actor is not None and not permissions.can_manage_verdicts(actor):
        raise PermissionDenied("Only admins can change the verdict scale.")
    verdict.full_clean()
    verdict.save()
    return verdict
