"""What a verdict says on the scale: ClaimReview's rating, worked out once.

A verdict's place on the numeric scale only means something against the scale's bounds, and
the scale changes when admins add or renumber verdicts. So the rating a claim is published
with is worked out here at approval and kept with the publication (models.Publication); a
later change of the scale changes what new approvals say, never what was published.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from annotations.models import Verdict


@dataclass(frozen=True)
class RatingScale:
    """The numeric part of the verdict scale: ClaimReview's bestRating and worstRating."""

    best: int | None
    worst: int | None

    @classmethod
    def of(cls, ratings: Iterable[int | None]) -> RatingScale:
        """The bounds of `ratings`; verdicts without a number stand outside the scale."""
        numbers = [rating for rating in ratings if rating is not None]
        return cls(best=max(numbers, default=None), worst=min(numbers, default=None))

    @classmethod
    def current(cls) -> RatingScale:
        return cls.of(Verdict.objects.values_list("rating", flat=True))


@dataclass(frozen=True)
class Rating:
    """A verdict as a reader is told it: its label and description, and its number with the
    scale's bounds when it is on the numeric scale (all three None otherwise)."""

    label: str
    description: str = ""
    value: int | None = None
    best: int | None = None
    worst: int | None = None


def rating_of(verdict: Verdict | None, scale: RatingScale) -> Rating | None:
    """What `verdict` says against `scale`; None without a verdict."""
    if verdict is None:
        return None
    if verdict.rating is None or scale.best is None:
        return Rating(label=verdict.label, description=verdict.description)
    return Rating(
        label=verdict.label,
        description=verdict.description,
        value=verdict.rating,
        best=scale.best,
        worst=scale.worst,
    )
