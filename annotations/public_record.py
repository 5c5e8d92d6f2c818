"""The reads of the public record (models.Publication): what anyone, signed in or not, is
shown of the desk's fact-checks. Every public page, list, feed, the sitemap and the data feed
read these, never the claims themselves, so a claim being corrected shows its last approved
version and a claim never approved shows nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from django.db.models import Count, F, OuterRef, QuerySet, Subquery
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
    """Every public record of a claim, first to latest, with its article and its claimant's
    kind and same-as links (PublicationQuerySet.with_claimant); 404 for a claim never
    published."""
    try:
        pk = int(claim_id)
    except (ValueError, TypeError):
        raise Http404("No such fact-check.") from None
    # A number no id can be would overflow the database's integer.
    records = (
        list(
            Publication.objects.filter(claim_id=pk)
            .with_claimant()
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


def online_of_claimant(claimant_id: int) -> QuerySet[Publication]:
    """The fact-checks online of one claimant's claims, newest first."""
    return online().filter(claim__claimant_id=claimant_id)


@dataclass(frozen=True)
class VerdictCount:
    """How many of a claimant's fact-checks online carry one verdict, as published."""

    label: str
    colour: str
    count: int
    # The share of the largest count, 0 to 100: the length of the verdict's bar.
    percent_of_most: int


def verdict_counts(records: QuerySet[Publication]) -> list[VerdictCount]:
    """The verdicts of `records` (fact-checks online) with how many carry each, in the order of
    the scale (verdicts taken off the scale since, and none, last): one query."""
    rows = list(
        records.order_by()
        .values("verdict_label", "verdict__colour", "verdict__order")
        .annotate(count=Count("id"))
        .order_by(F("verdict__order").asc(nulls_last=True), "verdict_label")
    )
    most = max((row["count"] for row in rows), default=0)
    return [
        VerdictCount(
            label=row["verdict_label"] or "No verdict",
            colour=row["verdict__colour"] or "#888888",
            count=row["count"],
            percent_of_most=round(100 * row["count"] / most) if most else 0,
        )
        for row in rows
    ]


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
