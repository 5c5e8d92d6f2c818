"""Every permission-scoped read that takes more than one rule of the claims' queryset. Lists
are filtered in the query; single objects the user may not see are a 404, never a 403 that
would confirm they exist."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time
from typing import TYPE_CHECKING, Literal

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from annotations import permissions
from annotations.diffs import ContentChanges, content_changes
from annotations.models import (
    Article,
    ArticleRevision,
    Claim,
    ClaimVersion,
    Notification,
    Reanchoring,
    ReviewEvent,
)
from annotations.workflow import REVIEW_ACTIONS, Status

if TYPE_CHECKING:
    from annotations.roles import AnyUser


def claim_visible_to(
    user: AnyUser | None, pk: int | str, *, related: Sequence[str] = ("article", "verdict")
) -> Claim:
    """The claim if `user` may see it (else 404), read with the `related` rows in the same
    query. The pages show the article's text around the claim."""
    claims = Claim.objects.visible_to(user)
    if related:
        # select_related() with no names would follow every foreign key.
        claims = claims.select_related(*related)
    try:
        return claims.get(pk=pk)
    except (Claim.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such claim.")) from None


def claimant_desk_claims(user: AnyUser | None, claimant_id: int) -> QuerySet[Claim]:
    """The claimant's claims that `user` may see and that are not published: drafts (the
    user's own), claims in review, sent back or rejected. Nothing for anyone outside the desk
    (ClaimQuerySet.visible_to shows them published claims alone)."""
    return (
        Claim.objects.visible_to(user)
        .filter(claimant_id=claimant_id)
        .exclude(status=Status.APPROVED)
        .select_related("article", "verdict")
        .only("id", "claim_text", "status", "updated_at", "article__title", "verdict__label")
        .order_by("-updated_at", "-id")
    )


def articles_visible_to(user: AnyUser | None) -> QuerySet[Article]:
    """Signed-in users see every article; the public only those with a published claim."""
    articles = Article.objects.all()
    if user is not None and user.is_authenticated:
        return articles
    published = Claim.objects.filter(status=Status.APPROVED, article=OuterRef("pk"))
    return articles.filter(Exists(published))


def article_visible_to(user: AnyUser | None, pk: int | str) -> Article:
    return _article(articles_visible_to(user), pk)


def article_page_of(user: AnyUser | None, pk: int | str) -> Article:
    """The article as its annotation page reads it, in one query: as article_visible_to,
    with its current revision (without that revision's text, with who recorded it) and
    `revision_count`, the number of its revisions."""
    revisions = (
        ArticleRevision.objects.filter(article_id=OuterRef("pk"))
        .order_by()
        .values("article_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    articles = (
        articles_visible_to(user)
        .select_related("current_revision__created_by")
        .defer("current_revision__body")
        .annotate(revision_count=Coalesce(Subquery(revisions), 0))
    )
    return _article(articles, pk)


def _article(articles: QuerySet[Article], pk: int | str) -> Article:
    try:
        return articles.get(pk=pk)
    except (Article.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such article.")) from None


def articles_with_claim_counts(user: AnyUser | None) -> QuerySet[Article]:
    """Articles annotated with `<status>_count`: the claims in each status the user can see.
    Bodies stay behind: a list shows titles."""
    visible = Claim.objects.visible_to(user).values("pk")
    counts = {
        f"{status}_count": Count("claims", filter=Q(claims__status=status, claims__in=visible))
        for status in Status.values
    }
    return articles_visible_to(user).defer("body").annotate(**counts)


def claims_of_article(user: AnyUser | None, article: Article) -> QuerySet[Claim]:
    """The claims of one article the user may see, in document order."""
    return Claim.objects.visible_to(user).filter(article=article).order_by("start", "end", "id")


def review_queue(user: AnyUser | None) -> QuerySet[Claim]:
    """Submitted claims, oldest first (Claim.is_held tells which a reviewer holds). Empty for
    anyone who is not a reviewer."""
    if not permissions.is_reviewer(user):
        return Claim.objects.none()
    return (
        Claim.objects.filter(status=Status.SUBMITTED)
        .select_related("article", "verdict", "author", "reviewer")
        # A page of the queue shows titles; bodies stay behind.
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
    if not permissions.is_reviewer(user) or user is None:
        return QueueCounts(0, 0, 0, 0, 0)
    now = timezone.now()
    waiting = Claim.objects.filter(status=Status.SUBMITTED).aggregate(
        submitted=Count("pk"), mine_waiting=Count("pk", filter=Q(author_id=user.pk))
    )
    held = Claim.objects.held(now).aggregate(
        held=Count("pk"), held_by_me=Count("pk", filter=Q(reviewer_id=user.pk))
    )
    midnight = timezone.make_aware(datetime.combine(timezone.localdate(now), time.min))
    decided_today = ReviewEvent.objects.filter(
        action__in=REVIEW_ACTIONS, created_at__gte=midnight
    ).count()
    return QueueCounts(
        submitted=waiting["submitted"],
        # Two reads, two moments: a claim submitted and taken between them must not make
        # the number negative.
        unassigned=max(waiting["submitted"] - held["held"], 0),
        held_by_me=held["held_by_me"],
        mine_waiting=waiting["mine_waiting"],
        decided_today=decided_today,
    )


def claim_history(claim_id: int) -> QuerySet[ReviewEvent]:
    """The claim's review events, oldest first."""
    return (
        ReviewEvent.objects.filter(claim_id=claim_id)
        .select_related("actor")
        .order_by("created_at", "id")
    )


@dataclass(frozen=True)
class RecordEntry:
    """One entry of a claim's record: a decision (`event`) or an edit (`version`)."""

    kind: Literal["decision", "edit"]
    event: ReviewEvent | None = None
    version: ClaimVersion | None = None

    @property
    def created_at(self) -> datetime:
        made = self.event or self.version
        assert made is not None
        return made.created_at

    @property
    def actor(self) -> AnyUser | None:
        """Who made it; None for the desk itself (an article changed under the claim)."""
        if self.event is not None:
            return self.event.actor
        assert self.version is not None
        return self.version.author


def claim_record(claim_id: int) -> list[RecordEntry]:
    """The claim's edits and decisions interleaved, oldest first (an edit before a decision
    made in the same instant: a claim created and submitted at once was written first)."""
    versions = (
        ClaimVersion.objects.filter(claim_id=claim_id)
        .select_related("author", "verdict")
        .defer("author__password")
    )
    entries = [RecordEntry("edit", version=v) for v in versions]
    entries += [RecordEntry("decision", event=e) for e in claim_history(claim_id)]
    return sorted(
        entries,
        key=lambda entry: (
            entry.created_at,
            entry.kind == "decision",
            (entry.event or entry.version).pk,  # type: ignore[union-attr]
        ),
    )


@dataclass(frozen=True)
class ChangesSinceDecision:
    decided: ReviewEvent
    since: ClaimVersion
    latest: ClaimVersion
    changes: ContentChanges


def changes_since_decided(record: list[RecordEntry]) -> ChangesSinceDecision | None:
    """What the claim's content became since the version its last review decision was made
    on (from its record, claim_record); None before any decision or when nothing changed."""
    decided: ReviewEvent | None = None
    since: ClaimVersion | None = None
    latest: ClaimVersion | None = None
    for entry in record:
        if entry.version is not None:
            latest = entry.version
        elif entry.event is not None and entry.event.action in REVIEW_ACTIONS:
            decided, since = entry.event, latest
    if decided is None or since is None or latest is None or latest.pk == since.pk:
        return None
    return ChangesSinceDecision(decided, since, latest, content_changes(since, latest))


# --- Revisions ------------------------------------------------------------------------------


def revisions_of(article: Article) -> QuerySet[ArticleRevision]:
    """The article's revisions, first to latest, without their text, with who brought each."""
    return (
        ArticleRevision.objects.filter(article=article)
        .select_related("created_by")
        .defer("body", "created_by__password")
        .order_by("number")
    )


def revision_of(article: Article, number: int | str) -> ArticleRevision:
    """Revision `number` of the article, with its text; 404 if there is none."""
    try:
        revision: ArticleRevision = ArticleRevision.objects.select_related("created_by").get(
            article=article, number=int(number)
        )
        return revision
    except (ArticleRevision.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404(_("No such revision.")) from None


def reanchorings_in(user: AnyUser | None, revision: ArticleRevision) -> QuerySet[Reanchoring]:
    """What became of the claims `user` may see when `revision` arrived, in claim order."""
    visible = Claim.objects.visible_to(user).filter(article_id=revision.article_id)
    return (
        Reanchoring.objects.filter(revision=revision, claim__in=visible.values("pk"))
        .select_related("from_revision")
        .defer("from_revision__body")
        .order_by("claim_id")
    )


def orphaned_claims_of(user: AnyUser | None, article: Article) -> QuerySet[Claim]:
    """The claims `user` may see whose passage was lost when the article changed, with the
    revision they are still placed in (without its text), in document order."""
    return (
        claims_of_article(user, article)
        .exclude(revision_id=article.current_revision_id)
        .select_related("revision")
        .defer("revision__body")
    )


# --- The author's desk: their claims and their notices ---------------------------------------

# "My claims" shows what needs the author first, then what waits, then what is settled.
MY_CLAIMS_ORDER = (
    Status.CHANGES_REQUESTED,
    Status.DRAFT,
    Status.SUBMITTED,
    Status.APPROVED,
    Status.REJECTED,
    Status.RETRACTED,
)


def claims_of_author(user: AnyUser, status: str | None = None) -> QuerySet[Claim]:
    """The user's own claims (of one status, or all), those needing them first, then by
    status (MY_CLAIMS_ORDER) and latest change."""
    rank = Case(
        *(When(status=value, then=Value(place)) for place, value in enumerate(MY_CLAIMS_ORDER)),
        default=Value(len(MY_CLAIMS_ORDER)),
        output_field=IntegerField(),
    )
    claims = Claim.objects.filter(author_id=user.pk)
    if status:
        claims = claims.filter(status=status)
    return (
        claims.select_related("article", "verdict")
        .defer("article__body")
        .annotate(status_rank=rank)
        .order_by("status_rank", "-updated_at", "-id")
    )


def claim_counts_of_author(user: AnyUser) -> dict[str, int]:
    """How many claims of each status the user has (statuses they have none of are 0)."""
    counts = dict.fromkeys(Status.values, 0)
    rows = Claim.objects.filter(author_id=user.pk).values_list("status").annotate(n=Count("pk"))
    counts.update({status: n for status, n in rows})
    return counts


@dataclass(frozen=True)
class DeskCounts:
    """The numbers in a signed-in person's navigation."""

    unread: int
    returned: int


def desk_counts(user: AnyUser) -> DeskCounts:
    """Unread notices of `user`, and their claims sent back to them (changes requested), in
    one query."""
    from django.contrib.auth import get_user_model

    if user.pk is None:
        return DeskCounts(0, 0)
    unread = (
        Notification.objects.filter(recipient_id=OuterRef("pk"), read_at__isnull=True)
        .values("recipient_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    returned = (
        Claim.objects.filter(author_id=OuterRef("pk"), status=Status.CHANGES_REQUESTED)
        .values("author_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values_list(
            Coalesce(Subquery(unread), 0),
            Coalesce(Subquery(returned), 0),
        )
        .first()
    )
    return DeskCounts(*row) if row else DeskCounts(0, 0)


def notifications_of(user: AnyUser, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notices, newest first, with the claim, its article's title and the actor."""
    notices = Notification.objects.filter(recipient_id=user.pk)
    if unread_only:
        notices = notices.filter(read_at__isnull=True)
    return (
        notices.select_related("claim__article", "actor")
        .defer("claim__article__body", "actor__password")
        .order_by("-created_at", "-id")
    )
