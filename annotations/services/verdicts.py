"""The verdict scale: the default steps of a new desk, and admins' changes to it. A change of
the scale changes what later approvals say, never what was published (models.Publication
keeps each rating as published)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from annotations import permissions
from annotations.defaults import DEFAULT_SCALE
from annotations.models import Claim, Publication, Verdict

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
        raise PermissionDenied(_("Only admins can change the verdict scale."))
    verdict.full_clean()
    verdict.save()
    return verdict


def verdict_delete(*, verdict: Verdict, actor: User | None) -> None:
    """Take a verdict off the scale; admins only. A verdict any claim uses, or any claim was
    published with, stays (ValidationError saying how many): what was published keeps its
    verdict. The foreign keys (PROTECT) refuse it too, should anything else try."""
    if actor is not None and not permissions.can_manage_verdicts(actor):
        raise PermissionDenied(_("Only admins can change the verdict scale."))
    with transaction.atomic():
        # Locked, so that no claim takes it between the count and the delete.
        locked = Verdict.objects.select_for_update().get(pk=verdict.pk)
        refusal = verdict_in_use(locked)
        if refusal:
            raise ValidationError(refusal)
        locked.delete()


def verdict_in_use(verdict: Verdict) -> str:
    """Why `verdict` may not be deleted ("" if it may)."""
    claims = Claim.objects.filter(verdict=verdict).count()
    published = Publication.objects.filter(verdict=verdict).values("claim_id").distinct().count()
    if not claims and not published:
        return ""
    return _(
        "“%(label)s” is used by %(claims)s and %(published)s, so it stays on the scale. "
        "Change its description or order instead; what was published keeps the verdict it "
        "was published with."
    ) % {
        "label": verdict.label,
        "claims": ngettext("%(count)d claim", "%(count)d claims", claims) % {"count": claims},
        "published": ngettext(
            "%(count)d published fact-check", "%(count)d published fact-checks", published
        )
        % {"count": published},
    }
