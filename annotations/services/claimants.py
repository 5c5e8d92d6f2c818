"""Claimants: adding one, correcting one, finding one by name for a claim (or adding it),
and merging two that are one (models.claimants).

A claim names its claimant by name (the claim form, the API, an import): claimant_for_name
finds the live claimant of that name, once case and white space are folded, follows a merged
one to the claimant it went into, and adds a claimant only when none has the name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from annotations import permissions
from annotations.models import Claim, Claimant, ClaimantKind, ClaimantMerge, name_key
from annotations.models.claimants import MAX_NAME_LENGTH, MAX_SAME_AS
from annotations.services.search import search_index_claims
from annotations.validators import validate_clean_text

if TYPE_CHECKING:
    from django.contrib.auth.models import User

CLAIMANT_FIELDS = ("name", "kind", "description", "same_as")


def claimant_create(
    *,
    actor: User | None,
    name: str,
    kind: str = ClaimantKind.PERSON,
    description: str = "",
    same_as: Iterable[str] = (),
    kind_unconfirmed: bool = False,
    at: datetime | None = None,
) -> Claimant:
    """Add a claimant; editors and up (`actor` None is the operator, importing a file).
    Raises ValidationError naming the fields at fault, `name` when a live claimant has the
    name already. `at` is when (default: now)."""
    if actor is not None and not permissions.can_manage_claimants(actor):
        raise PermissionDenied(_("Only editors, reviewers and admins can add claimants."))
    now = at or timezone.now()
    claimant = Claimant(
        name=name,
        kind=kind,
        description=description.strip(),
        same_as=list(same_as),
        kind_unconfirmed=kind_unconfirmed,
        created_at=now,
        updated_at=now,
    )
    claimant.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            claimant.save()
    except IntegrityError:
        # Another request added the same name between full_clean's check and the insert.
        raise ValidationError({"name": _("A claimant with this name exists already.")}) from None
    return claimant


def claimant_update(*, claimant_id: int, actor: User, changes: Mapping[str, Any]) -> Claimant:
    """Change a claimant's name, kind, description or same-as links; editors and up. A kind
    given confirms it (kind_unconfirmed goes). A merged claimant cannot change. The claims of
    a renamed claimant are indexed again for search."""
    if not permissions.can_manage_claimants(actor):
        raise PermissionDenied(_("Only editors, reviewers and admins can change claimants."))
    unknown = set(changes) - set(CLAIMANT_FIELDS)
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be changed.") for name in sorted(unknown)}
        )
    with transaction.atomic():
        claimant = Claimant.objects.select_for_update().get(pk=claimant_id)
        if claimant.is_merged:
            raise ValidationError(
                _("This claimant was merged into another: change that one instead.")
            )
        renamed = "name" in changes and name_key(changes["name"]) != claimant.name_key
        for field, value in changes.items():
            if field == "same_as":
                value = list(value) if isinstance(value, list | tuple) else value
            elif isinstance(value, str) and field != "name":
                value = value.strip()
            setattr(claimant, field, value)
        if "kind" in changes:
            claimant.kind_unconfirmed = False
        claimant.updated_at = timezone.now()
        claimant.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                claimant.save()
        except IntegrityError:
            raise ValidationError(
                {"name": _("A claimant with this name exists already.")}
            ) from None
        if renamed:
            search_index_claims(claimant.claims.select_related("claimant"))
    return claimant


def validate_claimant_name(name: str) -> None:
    """What a claim's claimant name must be, as the claim's own field: clean text of at most
    MAX_NAME_LENGTH characters (ValidationError under `claimant`)."""
    try:
        validate_clean_text(name)
    except ValidationError as error:
        raise ValidationError({"claimant": error.messages}) from None
    if len(name.strip()) > MAX_NAME_LENGTH:
        raise ValidationError(
            {
                "claimant": _("Ensure this value has at most %(limit)d characters.")
                % {"limit": MAX_NAME_LENGTH}
            }
        )


def claimant_for_name(
    *, name: str | Claimant | None, actor: User | None, kind: str = "", at: datetime | None = None
) -> Claimant | None:
    """The claimant a claim written with `name` is by: a Claimant given is itself, or the
    claimant it was merged into; None for no name or a blank one; the live
    claimant of that name; the claimant a merged one of that name went into; or, when no
    claimant has the name, a new one of `kind` (Person, with its kind to confirm, when no
    kind is given). Call inside the claim's transaction."""
    if isinstance(name, Claimant):
        return live_claimant(name)
    if name is None:
        return None
    validate_claimant_name(name)
    key = name_key(name)
    if not key:
        return None
    if kind and kind not in ClaimantKind.values:
        raise ValidationError(
            {"claimant_kind": _("%(kind)r is not Person or Organization.") % {"kind": kind}}
        )
    found = claimant_named(name)
    if found is not None:
        return found
    try:
        return claimant_create(
            actor=actor,
            name=name,
            kind=kind or ClaimantKind.PERSON,
            kind_unconfirmed=not kind,
            at=at,
        )
    except ValidationError as error:
        # Added meanwhile by another request under the same name: that one.
        found = claimant_named(name)
        if found is not None:
            return found
        raise ValidationError({"claimant": error.messages}) from None


def claimant_named(name: str) -> Claimant | None:
    """The live claimant of `name` (any case and spacing), or the one a merged claimant of
    that name went into; None when no claimant has the name."""
    key = name_key(name)
    if not key:
        return None
    # The live one first (merged_into is NULL), then the earliest merged one.
    found = (
        Claimant.objects.filter(name_key=key)
        .order_by(F("merged_into").asc(nulls_first=True), "id")
        .first()
    )
    return None if found is None else live_claimant(found)


def live_claimant(claimant: Claimant) -> Claimant:
    """`claimant`, or the claimant it was merged into (merges leave no chains, but an import
    from an older desk might)."""
    seen = {claimant.pk}
    while claimant.merged_into_id is not None:
        claimant = Claimant.objects.get(pk=claimant.merged_into_id)
        if claimant.pk in seen:
            break
        seen.add(claimant.pk)
    return claimant


def claimant_merge(*, merged_id: int, kept_id: int, actor: User) -> Claimant:
    """Merge claimant `merged_id` into `kept_id`: two names found to be one claimant. Admins
    only. Every claim of the merged claimant becomes the kept one's; the merged claimant stays,
    pointing at the kept one (merged_into), so its page and old exports still lead there, and
    claimants merged into it before now point at the kept one too. The kept claimant gains
    the merged one's same-as links, and its description when it had none. The merge is
    recorded (ClaimantMerge) with the claims that moved, and they are indexed again for
    search. The claims' versions and public record keep the name they were written with.
    Returns the kept claimant."""
    if not permissions.can_merge_claimants(actor):
        raise PermissionDenied(_("Only admins can merge claimants."))
    if merged_id == kept_id:
        raise ValidationError(_("A claimant cannot be merged into itself."))
    with transaction.atomic():
        locked = {
            claimant.pk: claimant
            for claimant in Claimant.objects.select_for_update()
            .filter(pk__in=[merged_id, kept_id])
            .order_by("pk")
        }
        if len(locked) != 2:
            raise ValidationError({"into": _("No such claimant.")})
        merged, kept = locked[merged_id], locked[kept_id]
        if merged.is_merged or kept.is_merged:
            raise ValidationError(
                _("Only claimants not merged already can be merged: “%(name)s” was merged before.")
                % {"name": merged.name if merged.is_merged else kept.name}
            )
        moved = list(Claim.objects.filter(claimant=merged).values_list("pk", flat=True))
        Claim.objects.filter(pk__in=moved).update(claimant=kept)
        Claimant.objects.filter(merged_into=merged).update(merged_into=kept)
        now = timezone.now()
        extra = [url for url in merged.same_as if url not in kept.same_as]
        kept.same_as = [*kept.same_as, *extra][:MAX_SAME_AS]
        if not kept.description:
            kept.description = merged.description
        kept.updated_at = now
        kept.save(update_fields=["same_as", "description", "updated_at"])
        merged.merged_into = kept
        merged.updated_at = now
        merged.save(update_fields=["merged_into", "updated_at"])
        ClaimantMerge.objects.create(
            merged=merged,
            kept=kept,
            actor=actor,
            merged_name=merged.name,
            claim_ids=moved,
            created_at=now,
        )
        search_index_claims(Claim.objects.filter(pk__in=moved).select_related("claimant"))
    return kept
