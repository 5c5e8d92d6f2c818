"""A claim's content beyond its own fields: its sources, checked and stored in order, and the
versions of its content that every save records (models.ClaimVersion). Used by
services.claims, inside the transaction of the write that calls them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from annotations.models import Claim, ClaimVersion, Source
from annotations.outputs import SOURCE_FIELDS, source_output

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def validated_sources(
    sources: Iterable[Mapping[str, Any]], *, kept: Mapping[int, Source] | None = None
) -> list[Source]:
    """Sources in the order given, or ValidationError naming each bad one. An item with the
    `id` of one of `kept` (the claim's sources) is that source with the item's fields
    changed and the others as they were; any other item is a new, unsaved Source."""
    kept = kept or {}
    rows: list[Source] = []
    errors: list[str] = []
    named: set[int] = set()
    for number, data in enumerate(sources, start=1):
        unknown = set(data) - {*SOURCE_FIELDS, "id"}
        if unknown:
            errors.append(
                _("Source %(number)d: unknown field(s) %(names)s.")
                % {"number": number, "names": ", ".join(sorted(unknown))}
            )
            continue
        values = {
            k: (v.strip() if isinstance(v, str) and k != "url" else v)
            for k, v in data.items()
            if k != "id"
        }
        if "id" in data:
            if data["id"] not in kept or data["id"] in named:
                errors.append(
                    _("Source %(number)d: this claim has no source %(id)r.")
                    % {"number": number, "id": data["id"]}
                )
                continue
            named.add(data["id"])
            previous = kept[data["id"]]
            values = {
                **{name: getattr(previous, name) for name in SOURCE_FIELDS},
                **values,
            }
            source = Source(
                pk=previous.pk, claim_id=previous.claim_id, position=number - 1, **values
            )
        else:
            source = Source(position=number - 1, **values)
        try:
            # No unique field but the id, which is the source's own when it is kept.
            source.full_clean(exclude=["claim"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.extend(
                    _("Source %(number)d, %(field)s: %(message)s")
                    % {"number": number, "field": field, "message": message}
                    for message in messages
                )
            continue
        rows.append(source)
    if errors:
        raise ValidationError({"sources": errors})
    return rows


def source_titles(claim: Claim, rows: list[Source]) -> dict[int, list[str]]:
    """The titles of the claim's sources `rows`, for its search row (services.search)."""
    return {claim.pk: [source.title for source in rows if source.title]}


def store_sources(claim: Claim, rows: list[Source]) -> None:
    for source in rows:
        source.claim = claim
    Source.objects.bulk_create(rows)


def replace_sources(claim: Claim, rows: list[Source], kept: Mapping[int, Source]) -> None:
    """Make `rows` the claim's sources, in their order: those with an id are updated in
    place (so their ids stay), the others added, and the claim's other sources deleted."""
    staying = [source for source in rows if source.pk is not None]
    claim.sources.exclude(pk__in=[source.pk for source in staying]).delete()
    if staying:
        Source.objects.bulk_update(staying, [*SOURCE_FIELDS, "position"])
    store_sources(claim, [source for source in rows if source.pk is None])


def version_content(claim: Claim, sources: Iterable[Source]) -> dict[str, Any]:
    """What a ClaimVersion keeps of the claim as it is now, with `sources` (its sources, in
    order): the sources in the output shape, dates as ISO 8601 text (as JSON holds them)."""
    return {
        "claim_text": claim.claim_text,
        "claimant": claim.claimant.name if claim.claimant is not None else "",
        "verdict_id": claim.verdict_id,
        "rationale": claim.rationale,
        "sources": [
            {k: v.isoformat() if isinstance(v, date) else v for k, v in source_output(s).items()}
            for s in sources
        ],
    }


def record_first_version(
    claim: Claim, *, author: User, at: datetime, sources: Iterable[Source]
) -> None:
    ClaimVersion.objects.create(
        claim=claim, number=1, author=author, created_at=at, **version_content(claim, sources)
    )


def record_changed_version(claim: Claim, *, author: User, at: datetime) -> None:
    """Record the claim's content as its next version, unless it is its latest version's (an
    edit that moved the span alone, or changed nothing)."""
    content = version_content(claim, claim.sources.order_by("position", "id"))
    latest = claim.versions.order_by("-number").first()
    if latest is not None and all(getattr(latest, k) == v for k, v in content.items()):
        return
    number = 1 if latest is None else latest.number + 1
    ClaimVersion.objects.create(claim=claim, number=number, author=author, created_at=at, **content)
