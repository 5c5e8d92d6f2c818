"""The claims' record: the review history, every version of a claim's content, and what
the public was shown of each published claim. Written once and never changed: the ORM
refuses (AppendOnlyQuerySet, PublicationQuerySet) and so does the database
(annotations/migrations/_database_objects.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from annotations.models.claims import Claim
from annotations.models.content import MAX_VERSION, Article, Verdict
from annotations.validators import validate_clean_text, validate_moment
from annotations.workflow import Action, Status


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """The claims' record (ReviewEvent, ClaimVersion) is written once. The database refuses
    an UPDATE or DELETE too (its guard on the record): the one row it lets go is that of a
    draft whose history holds nothing but its creation, when its author deletes it."""

    def update(self, **kwargs: object) -> int:
        raise TypeError("The claims' record is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("The claims' record is append-only.")


class ReviewEvent(models.Model):
    """One step of a claim's history. Written once, in the transaction of the change."""

    # No index of its own: event_claim_idx starts with it and serves its lookups.
    claim = models.ForeignKey(
        Claim,
        on_delete=models.CASCADE,
        related_name="events",
        db_index=False,
        verbose_name=_("claim"),
    )
    # None: the desk itself, acting on a change of the article that a scheduled check (a
    # management command, run by the operator) found.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(
        max_length=20,
        choices=Action.choices,
        validators=[validate_clean_text],
        verbose_name=_("action"),
    )
    from_status = models.CharField(
        max_length=20,
        choices=Status.choices,
        blank=True,
        validators=[validate_clean_text],
        verbose_name=_("from status"),
    )
    to_status = models.CharField(
        max_length=20,
        choices=Status.choices,
        validators=[validate_clean_text],
        verbose_name=_("to status"),
    )
    comment = models.TextField(
        blank=True, validators=[validate_clean_text], verbose_name=_("comment")
    )
    created_at = models.DateTimeField(
        default=timezone.now,
        editable=False,
        validators=[validate_moment],
        verbose_name=_("created at"),
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("review event")
        verbose_name_plural = _("review events")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["claim", "created_at"], name="event_claim_idx")]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status or '-'} -> {self.to_status}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("The review history is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("The review history is append-only.")


class PublicationKind(models.TextChoices):
    PUBLISHED = "published", "Published"
    CORRECTED = "corrected", "Corrected"
    RETRACTED = "retracted", "Retracted"


class PublicationQuerySet(models.QuerySet["Publication"]):
    """The public record. Append-only, as the review history is."""

    def current(self) -> PublicationQuerySet:
        """Each claim's latest record: what the public is shown of it now."""
        newer = Publication.objects.filter(
            claim_id=OuterRef("claim_id"), number__gt=OuterRef("number")
        )
        return self.filter(~Exists(newer))

    def online(self) -> PublicationQuerySet:
        """The fact-checks online now: each claim's latest record, unless it is a retraction."""
        return self.current().exclude(kind=PublicationKind.RETRACTED)

    def with_claimant(self) -> PublicationQuerySet:
        """Each record with `claimant_ref` (the id), `claimant_kind` and `claimant_same_as`:
        those of its claim's
        claimant now (None without one), which ClaimReview's author reads. The record keeps
        the name as published; who the claimant is (a person or a body, their pages) is not
        a matter of the fact-check, and a correction of it shows at once."""
        return self.annotate(
            claimant_ref=F("claim__claimant_id"),
            claimant_kind=F("claim__claimant__kind"),
            claimant_same_as=F("claim__claimant__same_as"),
        )

    def update(self, **kwargs: object) -> int:
        raise TypeError("The public record is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("The public record is append-only.")


class Publication(models.Model):
    """What the public is shown of a claim from one moment on: its first publication, a
    correction, or its retraction, each a full copy of the fact-check as it then stood.

    Written once, by annotations.services.publication in the transaction of the approval or
    the retraction, and never changed. The public page, the lists, the feeds and the
    ClaimReview of a published claim read its latest record, so that a correction in progress
    leaves the last approved version online and a later change of the verdict scale changes
    nothing that was published.
    """

    Kind = PublicationKind

    # PROTECT: a claim that was ever public keeps its record. No index of its own:
    # publication_claim_number starts with it.
    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="publications", db_index=False
    )
    number = models.PositiveIntegerField(help_text="1 for the first publication, then 2, 3...")
    kind = models.CharField(
        max_length=20, choices=PublicationKind.choices, validators=[validate_clean_text]
    )
    published_at = models.DateTimeField(validators=[validate_moment])
    # datePublished of every later record: the first publication's moment.
    first_published_at = models.DateTimeField(validators=[validate_moment])
    note = models.TextField(
        blank=True,
        validators=[validate_clean_text],
        help_text="A correction's note (what changed and why) or a retraction's reason.",
    )

    # The fact-check as published, its span in the article's text as it then read.
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="+")
    revision = models.ForeignKey(
        "annotations.ArticleRevision", on_delete=models.PROTECT, related_name="+"
    )
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField(validators=[validate_clean_text])
    claim_text = models.TextField(validators=[validate_clean_text])
    claimant = models.CharField(max_length=300, blank=True, validators=[validate_clean_text])
    rationale = models.TextField(blank=True, validators=[validate_clean_text])
    # As annotations.outputs shapes them; dates written YYYY-MM-DD.
    sources = models.JSONField(default=list, blank=True, encoder=DjangoJSONEncoder)

    # The rating as published (annotations.ratings): the verdict as it read then, and the
    # scale's bounds then.
    verdict = models.ForeignKey(
        Verdict, null=True, blank=True, on_delete=models.PROTECT, related_name="publications"
    )
    verdict_label = models.CharField(max_length=100, blank=True, validators=[validate_clean_text])
    verdict_description = models.TextField(blank=True, validators=[validate_clean_text])
    rating_value = models.SmallIntegerField(null=True, blank=True)
    best_rating = models.SmallIntegerField(null=True, blank=True)
    worst_rating = models.SmallIntegerField(null=True, blank=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["claim_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "number"], name="publication_claim_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="publication_number_positive"),
            models.CheckConstraint(
                condition=Q(kind__in=PublicationKind.values), name="publication_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(number=1, kind=PublicationKind.PUBLISHED)
                | (Q(number__gt=1) & ~Q(kind=PublicationKind.PUBLISHED)),
                name="publication_first_is_published",
            ),
        ]
        indexes = [
            # The corrections and retractions, newest first (/corrections/ and its feed).
            models.Index(fields=["kind", "published_at"], name="publication_kind_time_idx"),
            # The fact-checks by first publication, newest first (/claims/ and its feed).
            models.Index(fields=["first_published_at", "claim"], name="publication_first_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.claim_id} {self.kind} {self.published_at:%Y-%m-%d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("The public record is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("The public record is append-only.")

    @property
    def is_retraction(self) -> bool:
        return self.kind == PublicationKind.RETRACTED


class ClaimVersion(models.Model):
    """A claim's content as one save left it: written by the services on creation, on every
    edit that changes the content and on a restore, never changed afterwards. A plain model
    rather than a versioning library's, as the content spans a claim and its sources and is
    read next to the review history: one row per save, its sources a JSON list."""

    # No index of its own: claimversion_number_unique starts with it and serves its lookups.
    claim = models.ForeignKey(
        Claim,
        on_delete=models.CASCADE,
        related_name="versions",
        db_index=False,
        verbose_name=_("claim"),
    )
    # 1 for the claim as created, then one more per save that changed its content; shown to
    # people as "edit N", never as a version (the claim's own version counts decisions too).
    number = models.PositiveIntegerField(
        validators=[MaxValueValidator(MAX_VERSION)], verbose_name=_("number")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(
        default=timezone.now,
        editable=False,
        validators=[validate_moment],
        verbose_name=_("created at"),
    )
    claim_text = models.TextField(_("claim"), validators=[validate_clean_text])
    claimant = models.CharField(
        max_length=300, blank=True, validators=[validate_clean_text], verbose_name=_("claimant")
    )
    verdict = models.ForeignKey(
        Verdict,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("verdict"),
    )
    rationale = models.TextField(
        blank=True, validators=[validate_clean_text], verbose_name=_("rationale")
    )
    # Each source in the output shape (annotations.outputs.source_output), with its id.
    sources = models.JSONField(default=list, blank=True, verbose_name=_("sources"))

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("claim version")
        verbose_name_plural = _("claim versions")
        ordering = ["claim_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "number"], name="claimversion_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="claimversion_number_positive"),
        ]

    def __str__(self) -> str:
        return f"claim #{self.claim_id}, edit {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("A claim's versions are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("A claim's versions are append-only.")
