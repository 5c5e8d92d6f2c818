"""Every permission-scoped read. Lists are filtered in the query; single objects that the
user may not see are a 404, never a 403 that would confirm they exist."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time
from typing import TYPE_CHECKING, Any

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from annotations import claim_sql, claim_tally, permissions
from annotations.models import Article, Claim, ReviewEvent
from annotations.services import lease_cutoff
from annotations.workflow import REVIEW_ACTIONS, Status

if TYPE_CHECKING:
    from annotations.permissions import AnyUser


def claims_visible_to(user: AnyUser | None) -> QuerySet[Claim]:
    """Published claims for everyone; for the desk (editor and up) also every claim past
    draft, plus the user's own drafts."""
    return Claim.objects.filter(_visible_claims(user))


def claims_count_visible_to(user: AnyUser | None, **lookups: Any) -> int | None:
    """How many of claims_visible_to(user).filter(**lookups) there are, read from the claims'
    tally (claim_tally), which costs the same however many claims there are; None when a
    lookup names a field the tally does not carry (an article: count its claims instead)."""
    if not claim_tally.carries(lookups):
        return None
    return claim_tally.count(_visible_claims(user) & Q(**lookups))


def _visible_claims(user: AnyUser | None) -> Q:
    # On status and author_id alone, the columns the claims' tally has too.
    if not permissions.is_editor(user):
        return Q(status=Status.APPROVED)
    assert user is not None
    return ~Q(status=Status.DRAFT) | Q(author_id=user.pk)


def claim_visible_to(
    user: AnyUser | None,
    pk: int | str,
    *,
    related: Sequence[str] = ("article", "verdict"),
    id_only: bool = False,
) -> Claim:
    """The claim if `user` may see it (else 404), read with the `related` rows in the same
    query. The pages show the article's text around the claim; the API answers with the
    claim's verdict and people and must not read an article's body, which may be megabytes.

    `id_only` reads the id, the status and the author alone, and no related row (`related`
    is then ignored; any other field is one more query when read): for the services' writes,
    which re-read the claim under a lock, so that seeing the claim costs a narrow read. The
    rule is then asked of the row (permissions.can_view_claim, the same rule as
    claims_visible_to): through the ORM, composing the filtered read took 0.34 ms in
    process, this one 0.08 ms."""
    if id_only:
        standing = claim_sql.claim_standing(pk)
        if standing is None or not permissions.can_view_claim(user, standing):
            raise Http404("No such claim.")
        return standing
    claims = claims_visible_to(user)
    if related:
        # select_related() with no names would follow every foreign key, the body included.
        claims = claims.select_related(*related)
    try:
        return claims.get(pk=pk)
    except (Claim.DoesNotExist, ValueError, TypeError):
        raise Http404("No such claim.") from None


def published_claim(pk: int | str) -> Claim:
    return claim_visible_to(None, pk)


def articles_visible_to(user: AnyUser | None) -> QuerySet[Article]:
    """Signed-in users see every article; the public only those with a published claim."""
    articles = Article.objects.filter(revision_of__isnull=True)
    if user is not None and user.is_authenticated:
        return articles
    # IN rather than JOIN ... DISTINCT, which would compare whole article bodies.
    return articles.filter(pk__in=Claim.objects.filter(status=Status.APPROVED).values("article_id"))


def article_visible_to(user: AnyUser | None, pk: int | str) -> Article:
    try:
        return articles_visible_to(user).get(pk=pk)
    except (Article.DoesNotExist, ValueError, TypeError):
        raise Http404("No such article.") from None


def articles_with_claim_counts(user: AnyUser | None) -> QuerySet[Article]:
    """Articles annotated with the number of claims in each status that the user can see."""
    visible = claims_visible_to(user).values("pk")
    counts = {
        f"{status}_count": Count("claims", filter=Q(claims__status=status, claims__in=visible))
        for status in Status.values
    }
    return articles_visible_to(user).annotate(**counts)


def claims_of_article(user: AnyUser | None, article: Article) -> QuerySet[Claim]:
    """The claims of one article the user may see, in document order (read as rows by
    annotations.api.claim_rows, which joins what it shows)."""
    return claims_visible_to(user).filter(article=article).order_by("start", "end", "id")


def review_queue(user: AnyUser | None) -> QuerySet[Claim]:
    """Submitted claims, oldest first, each annotated with `is_held` (a reviewer holds it and
    the lease has not run out). Empty for anyone who is not a reviewer."""
    if not permissions.is_reviewer(user):
        return Claim.objects.none()
    return (
        Claim.objects.filter(status=Status.SUBMITTED)
        .annotate(is_held=_held_expression())
        .select_related("article", "verdict", "author", "reviewer")
        # A page of the queue shows titles; bodies (megabytes each, at worst) stay behind.
        .defer("article__body")
        .order_by("submitted_at", "id")
    )


@dataclass(frozen=True)
class QueueCounts:
    submitted: int
    unassigned: int
    held_by_me: int
    mine_waiting: int
    decided_today: int


def review_counts(user: AnyUser | None) -> QueueCounts:
    """The queue's numbers for `user`: submitted claims, those nobody holds, those the user
    holds, the user's own claims waiting for someone else, and decisions taken today (in the
    site's time zone) by anyone."""
    if not permissions.is_reviewer(user):
        return QueueCounts(0, 0, 0, 0, 0)
    assert user is not None
    # From the claims' tally and the live leases (claim_lease_idx): neither grows with the
    # claims waiting.
    waiting = claim_tally.counts(
        submitted=Q(status=Status.SUBMITTED),
        mine_waiting=Q(status=Status.SUBMITTED, author_id=user.pk),
    )
    leased = Claim.objects.filter(_held(), status=Status.SUBMITTED).aggregate(
        held=Count("pk"), held_by_me=Count("pk", filter=Q(reviewer_id=user.pk))
    )
    midnight = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    decided_today = ReviewEvent.objects.filter(
        action__in=REVIEW_ACTIONS, created_at__gte=midnight
    ).count()
    return QueueCounts(
        submitted=waiting["submitted"],
        # Two reads, two moments: a claim submitted and taken between them must not make
        # the number negative.
        unassigned=max(waiting["submitted"] - leased["held"], 0),
        held_by_me=leased["held_by_me"],
        mine_waiting=waiting["mine_waiting"],
        decided_today=decided_today,
    )


def _held() -> Q:
    """A reviewer holds the claim and the lease has not run out."""
    return Q(reviewer__isnull=False, assigned_at__gte=lease_cutoff())


def _held_expression() -> Case:
    # A CASE rather than the bare comparison: with assigned_at NULL that would be NULL, not False.
    return Case(When(_held(), then=Value(True)), default=Value(False), output_field=BooleanField())


def is_assigned(claim: Claim) -> bool:
    return bool(claim.reviewer_id and claim.assigned_at and claim.assigned_at >= lease_cutoff())


def claim_history(claim: Claim) -> QuerySet[ReviewEvent]:
    return claim.events.select_related("actor").order_by("created_at", "id")
