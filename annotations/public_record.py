"""The reads of the public record (models.Publication): what anyone, signed in or not, is
shown of the desk's fact-checks. Every public page, list, feed, the sitemap and the data feed
read these, never the claims themselves, so a claim being corrected shows its last approved
version and a claim never approved shows nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from annotations.models import MAX_ID, Publication, PublicationKind, Reanchoring
from annotations.reanchoring import Outcome


@dataclass(frozen=True)
class Change:
    """One correction or retraction of a claim, with the verdict it replaced."""

    record: Publication
    previous: Publication

    @property
    def verdict_changed(self) -> bool:
        return self.record.kind == PublicationKind.CORRECTED and (
            self.record.verdict_label,
            self.record.rating_value,
        ) != (self.previous.verdict_label, self.previous.rating_value)


def records_of(claim_id: int | str) -> list[Publication]:
    """Every public record of a claim, first to latest, with its article; 404 for a claim
    never published."""
    try:
        pk = int(claim_id)
    except (ValueError, TypeError):
        raise Http404("No such fact-check.") from None
    # A number no id can be would overflow the database's integer.
    records = (
        list(
            Publication.objects.filter(claim_id=pk)
            .select_related("article", "revision")
            .order_by("number")
        )
        if 0 < pk <= MAX_ID
        else []
    )
    if not records:
        raise Http404("No such fact-check.")
    return records


def changes_of(records: list[Publication]) -> list[Change]:
    """The corrections and retraction among a claim's records (from records_of), oldest first."""
    return [Change(record=record, previous=previous) for previous, record in pairwise(records)]


def online() -> QuerySet[Publication]:
    """The fact-checks online, newest first (by their first publication)."""
    return (
        Publication.objects.online()
        .select_related("article")
        .defer("article__body")
        .order_by("-first_published_at", "-claim_id")
    )


def corrections() -> QuerySet[Publication]:
    """Every correction and retraction ever published, newest first, each annotated with
    `previous_verdict`: the label of the verdict it replaced."""
    previous = Publication.objects.filter(
        claim_id=OuterRef("claim_id"), number=OuterRef("number") - 1
    )
    return (
        Publication.objects.exclude(kind=PublicationKind.PUBLISHED)
        .annotate(previous_verdict=Subquery(previous.values("verdict_label")[:1]))
        .select_related("article")
        .defer("article__body")
        .order_by("-published_at", "-id")
    )


def article_changed_since(record: Publication) -> Reanchoring | None:
    """The first change of the article, after the text `record` was checked on, that edited
    or lost the quote it is about (services.revisions), with its revision; None when there
    was none, or when a later record checked the new words again."""
    return (
        Reanchoring.objects.filter(
            claim_id=record.claim_id,
            revision__article_id=record.article_id,
            revision__number__gt=record.revision.number,
            outcome__in=[Outcome.EDITED, Outcome.ORPHANED],
        )
        .select_related("revision")
        .defer("revision__body")
        .order_by("revision__number")
        .first()
    )
