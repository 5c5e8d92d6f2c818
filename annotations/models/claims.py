"""Claims and their sources, with the claim rules every reader shares (ClaimQuerySet); the
package's docstring says what every model here holds to."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from annotations.roles import Role, has_role
from annotations.validators import (
    validate_clean_text,
    validate_http_url,
    validate_moment,
)
from annotations.workflow import Status

if TYPE_CHECKING:
    from annotations.roles import AnyUser

from annotations.models.content import MAX_VERSION, Article, Verdict

# Claims in the order they appear: by article, then by position in it (id breaks ties).
CLAIM_DOCUMENT_ORDER = ("article_id", "start", "end", "id")


# The related rows an answer about a claim shows (annotations.outputs.claim_output).
ANSWER_RELATIONS = ("verdict", "claimant", "author", "reviewer", "revision")


def lease_cutoff(at: datetime | None = None) -> datetime:
    """A reviewer's hold on a claim taken at or after this moment is still live at `at`."""
    return (at or timezone.now()) - timedelta(minutes=settings.FACTCHECK_REVIEW_LEASE_MINUTES)


class ClaimQuerySet(models.QuerySet["Claim"]):
    """The claim rules, each written once: who sees a claim, and who holds one under review.
    Views, the API, the admin, the exports and the services all ask these."""

    def visible_to(self, user: AnyUser | None) -> ClaimQuerySet:
        """Published claims for everyone; for the desk (editor and up) also every claim past
        draft, plus the user's own drafts."""
        if user is None or not has_role(user, Role.EDITOR):
            return self.filter(status=Status.APPROVED)
        return self.filter(~Q(status=Status.DRAFT) | Q(author_id=user.pk))

    def with_answer_relations(self) -> ClaimQuerySet:
        """With the related rows an answer about a claim shows (annotations.outputs): the
        verdict, the people and the revision, read in the same query, never the people's
        password hashes nor the revision's text."""
        return self.select_related(*ANSWER_RELATIONS).defer(
            "author__password", "reviewer__password", "revision__body"
        )

    def orphaned(self) -> ClaimQuerySet:
        """Claims whose passage was lost when their article changed: their span points into
        an earlier revision of the article, not into its current text."""
        return self.exclude(revision_id=F("article__current_revision_id"))

    def anchored(self) -> ClaimQuerySet:
        """Claims whose span points into their article's current text."""
        return self.filter(revision_id=F("article__current_revision_id"))

    def held(self, at: datetime | None = None) -> ClaimQuerySet:
        """Submitted claims a reviewer holds with a lease still live at `at` (default: now)."""
        return self.filter(_held(at))

    def free(self, at: datetime | None = None) -> ClaimQuerySet:
        """Submitted claims nobody holds at `at`: never taken, released, or the lease ran out."""
        return self.filter(status=Status.SUBMITTED).exclude(_held(at))


def _held(at: datetime | None) -> Q:
    return Q(status=Status.SUBMITTED, reviewer__isnull=False, assigned_at__gte=lease_cutoff(at))


class Claim(models.Model):
    # No index of its own: claim_document_order_idx starts with it and serves its lookups.
    article = models.ForeignKey(
        Article,
        on_delete=models.PROTECT,
        related_name="claims",
        db_index=False,
        verbose_name=_("article"),
    )
    # The highlighted span: code-point offsets into the text of `revision`, plus a quote
    # selector. That is the article's current text unless the claim is orphaned: its passage
    # was not found again when the article changed (annotations.services.revisions).
    revision = models.ForeignKey(
        "annotations.ArticleRevision",
        on_delete=models.PROTECT,
        related_name="claims",
        editable=False,
        verbose_name=_("revision"),
    )
    start = models.PositiveIntegerField(verbose_name=_("start"))
    end = models.PositiveIntegerField(verbose_name=_("end"))
    quote = models.TextField(validators=[validate_clean_text], verbose_name=_("quote"))
    prefix = models.CharField(
        max_length=64, blank=True, validators=[validate_clean_text], verbose_name=_("prefix")
    )
    suffix = models.CharField(
        max_length=64, blank=True, validators=[validate_clean_text], verbose_name=_("suffix")
    )

    claim_text = models.TextField(
        _("claim"),
        validators=[validate_clean_text],
        help_text=_("The claim as restated for checking."),
    )
    # Who made the claim (models.claimants); PROTECT, since a claimant leaves only by a merge,
    # which moves its claims first.
    claimant = models.ForeignKey(
        "annotations.Claimant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
        verbose_name=_("claimant"),
    )
    verdict = models.ForeignKey(
        Verdict,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
        verbose_name=_("verdict"),
    )
    rationale = models.TextField(
        blank=True, validators=[validate_clean_text], verbose_name=_("rationale")
    )
    # The earlier fact-check this claim repeats ("checked before?"), when the desk records a
    # claim it has already checked. Only a published claim is repeated, and a claim once
    # submitted is never deleted, so nothing is done here on deletion (and no deletion reads
    # the repeats); the database's foreign key would refuse one all the same.
    repeat_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="repeats",
        editable=False,
        verbose_name=_("repeat of"),
    )

    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        editable=False,
        validators=[validate_clean_text],
        verbose_name=_("status"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="claims",
        editable=False,
        verbose_name=_("author"),
    )
    # The reviewer holding the claim (with assigned_at as the lease) or the one who decided it.
    # No index of its own: claim_held_idx starts with it and serves its lookups.
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_claims",
        editable=False,
        db_index=False,
        verbose_name=_("reviewer"),
    )
    assigned_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        validators=[validate_moment],
        verbose_name=_("assigned at"),
    )
    submitted_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        validators=[validate_moment],
        verbose_name=_("submitted at"),
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        validators=[validate_moment],
        verbose_name=_("published at"),
    )
    # Bounded here too, not only by PostgreSQL's column: SQLite would store any number.
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        validators=[MaxValueValidator(MAX_VERSION)],
        verbose_name=_("version"),
    )
    created_at = models.DateTimeField(
        default=timezone.now,
        editable=False,
        validators=[validate_moment],
        verbose_name=_("created at"),
    )
    updated_at = models.DateTimeField(
        default=timezone.now,
        editable=False,
        validators=[validate_moment],
        verbose_name=_("updated at"),
    )

    objects = ClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = list(CLAIM_DOCUMENT_ORDER)
        constraints = [
            models.CheckConstraint(condition=Q(start__gte=0), name="claim_start_not_negative"),
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="claim_span_not_empty"),
            models.CheckConstraint(condition=~Q(quote=""), name="claim_quote_not_empty"),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="claim_status_known"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="claim_version_positive"),
        ]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="claim_queue_idx"),
            # Document order, the order of every claim list: a page is read off the index
            # without sorting every claim first.
            models.Index(fields=["article", "start", "end", "id"], name="claim_document_order_idx"),
            # The same filtered by status, with the author for the visibility rule, so that
            # a page of one status is read off the index alone.
            models.Index(
                fields=["status", "article", "start", "end", "id", "author"],
                name="claim_status_order_idx",
            ),
            # Counts of claims under the visibility rule (the claims list, the admin, the
            # export's total) read this narrow index alone: an index-only count. PostgreSQL
            # stores each repeated (status, author) pair once, so it stays small.
            models.Index(fields=["status", "author"], name="claim_count_idx"),
            # The claims a reviewer holds ("review next" asks first): reviewer_id alone would
            # walk every claim the reviewer ever decided. Not a partial index on the status:
            # a prepared statement's generic plan has the status as a parameter, and
            # PostgreSQL cannot use a partial index for it.
            models.Index(
                fields=["reviewer", "status", "submitted_at", "id"], name="claim_held_idx"
            ),
            # The live leases of the queue (assigned since the lease's cutoff), which the
            # queue's counts read without walking every waiting claim.
            models.Index(fields=["status", "assigned_at"], name="claim_lease_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.claim_text[:60]}"

    @property
    def is_published(self) -> bool:
        return self.status == Status.APPROVED

    @property
    def was_submitted(self) -> bool:
        """Whether the claim ever left its author: submitted_at is set by the first submission
        and never cleared (a withdrawal keeps it)."""
        return self.submitted_at is not None

    def is_held(self, at: datetime | None = None) -> bool:
        """Whether a reviewer holds this claim at `at`: the rule of ClaimQuerySet.held."""
        return (
            self.status == Status.SUBMITTED
            and self.reviewer_id is not None
            and self.assigned_at is not None
            and self.assigned_at >= lease_cutoff(at)
        )


class SourceKind(models.TextChoices):
    PRIMARY = "primary", "Primary document"
    OFFICIAL = "official", "Official statement"
    NEWS = "news", "News report"
    EXPERT = "expert", "Expert"
    DATASET = "dataset", "Dataset"
    OTHER = "other", "Other"


class Source(models.Model):
    Kind = SourceKind

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="sources", verbose_name=_("claim")
    )
    url = models.URLField(
        max_length=2000, validators=[validate_clean_text, validate_http_url], verbose_name=_("URL")
    )
    title = models.CharField(
        max_length=500, blank=True, validators=[validate_clean_text], verbose_name=_("title")
    )
    publisher = models.CharField(
        max_length=300, blank=True, validators=[validate_clean_text], verbose_name=_("publisher")
    )
    published_on = models.DateField(
        null=True, blank=True, help_text=_("When it was published."), verbose_name=_("published on")
    )
    accessed_on = models.DateField(null=True, blank=True, verbose_name=_("accessed on"))
    archive_url = models.URLField(
        max_length=2000,
        blank=True,
        validators=[validate_clean_text, validate_http_url],
        verbose_name=_("archive URL"),
    )
    passage = models.TextField(
        blank=True,
        validators=[validate_clean_text],
        help_text=_("The passage relied on."),
        verbose_name=_("passage"),
    )
    kind = models.CharField(
        max_length=20,
        choices=SourceKind.choices,
        default=SourceKind.OTHER,
        validators=[validate_clean_text],
        verbose_name=_("kind"),
    )
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["claim_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SourceKind.values), name="source_kind_known"
            ),
            models.CheckConstraint(condition=~Q(url=""), name="source_url_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title or self.url
