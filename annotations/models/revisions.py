"""An article's revisions (every text it ever had, as it arrived) and the re-anchoring of its
claims onto each new one (one row per claim and revision, with the outcome). Written once and
never changed: the ORM refuses (AppendOnlyQuerySet) and so does the database
(annotations/migrations/_database_objects.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from annotations.models.claims import Claim
from annotations.models.content import Article
from annotations.models.record import AppendOnlyQuerySet
from annotations.reanchoring import REASONS, Outcome, reason_text
from annotations.validators import validate_clean_text, validate_moment


class RevisionKind(models.TextChoices):
    """How a revision arrived."""

    IMPORT = "import", _("Imported")
    FILE = "file", _("Imported from a file")
    FETCH = "fetch", _("Fetched from its address")
    API = "api", _("Sent through the API")
    EDIT = "edit", _("Edited by an admin")
    RESTORE = "restore", _("Restored from a native export")


class ArticleRevision(models.Model):
    """One text of an article, as it arrived, with the metadata that came with it. The
    article's current text (Article.body) is its latest revision's (Article.current_revision);
    each claim names the revision its offsets point into (Claim.revision)."""

    Kind = RevisionKind

    # No index of its own: revision_article_number starts with it.
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="revisions", db_index=False
    )
    number = models.PositiveIntegerField(help_text="1 for the first text, then 2, 3...")
    kind = models.CharField(
        max_length=20, choices=RevisionKind.choices, validators=[validate_clean_text]
    )
    body = models.TextField(validators=[validate_clean_text])
    body_sha256 = models.CharField(max_length=64, validators=[validate_clean_text])
    # The metadata as it arrived with this text; the article's own may have been edited since.
    title = models.CharField(max_length=500, blank=True, validators=[validate_clean_text])
    publisher = models.CharField(max_length=300, blank=True, validators=[validate_clean_text])
    byline = models.CharField(max_length=500, blank=True, validators=[validate_clean_text])
    published_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=35, blank=True, validators=[validate_clean_text])
    created_at = models.DateTimeField(
        default=timezone.now, editable=False, validators=[validate_moment]
    )
    # None: the operator (a management command, a scheduled check).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["article_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_article_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="revision_number_positive"),
            models.CheckConstraint(condition=~Q(body=""), name="revision_body_not_empty"),
            models.CheckConstraint(
                condition=Q(kind__in=RevisionKind.values), name="revision_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"article #{self.article_id}, revision {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("An article's revisions are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("An article's revisions are append-only.")


class Reanchoring(models.Model):
    """Where one claim went when its article got a new revision: the outcome
    (annotations.reanchoring.Outcome), the span before (in `from_revision`) and after (in
    `revision`; none when orphaned), the match's score and the reason: its code in
    annotations.reanchoring.REASONS and the figures measured, so that every reader gets the
    sentence in their own language (reason_sentence)."""

    Outcome = Outcome

    # No index of its own: reanchoring_claim_revision starts with it.
    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="reanchorings", db_index=False
    )
    revision = models.ForeignKey(
        ArticleRevision, on_delete=models.PROTECT, related_name="reanchorings"
    )
    from_revision = models.ForeignKey(ArticleRevision, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(
        max_length=20, choices=Outcome.choices, validators=[validate_clean_text]
    )
    old_start = models.PositiveIntegerField()
    old_end = models.PositiveIntegerField()
    old_quote = models.TextField(validators=[validate_clean_text])
    new_start = models.PositiveIntegerField(null=True, blank=True)
    new_end = models.PositiveIntegerField(null=True, blank=True)
    new_quote = models.TextField(blank=True, validators=[validate_clean_text])
    score = models.FloatField(null=True, blank=True)
    reason_code = models.CharField(
        max_length=30,
        blank=True,
        choices=[(code, code) for code in REASONS],
        validators=[validate_clean_text],
    )
    # The figures of the reason's sentence, by name: {"score": 72, "threshold": 80}.
    reason_values = models.JSONField(default=dict, blank=True)
    # A reason given as a sentence with no code: only a restored file's, from a desk that
    # recorded reasons as text.
    reason = models.TextField(blank=True, validators=[validate_clean_text])
    created_at = models.DateTimeField(
        default=timezone.now, editable=False, validators=[validate_moment]
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["revision_id", "claim_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "revision"], name="reanchoring_claim_revision"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values), name="reanchoring_outcome_known"
            ),
            # A placement has a span exactly when the claim was not orphaned.
            models.CheckConstraint(
                condition=(
                    Q(outcome=Outcome.ORPHANED, new_start__isnull=True, new_end__isnull=True)
                    | (
                        ~Q(outcome=Outcome.ORPHANED)
                        & Q(new_start__isnull=False, new_end__gt=F("new_start"))
                    )
                ),
                name="reanchoring_span_iff_placed",
            ),
        ]

    def __str__(self) -> str:
        return f"claim #{self.claim_id} in revision {self.revision_id}: {self.outcome}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("Re-anchoring outcomes are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("Re-anchoring outcomes are append-only.")

    def clean(self) -> None:
        values = self.reason_values
        if not isinstance(values, dict) or not all(
            isinstance(value, int) and not isinstance(value, bool) for value in values.values()
        ):
            raise ValidationError({"reason_values": _("Give the figures as whole numbers.")})
        try:
            self.reason_sentence()
        except (KeyError, TypeError, ValueError):
            raise ValidationError(
                {"reason_values": _("These figures do not fit the reason's sentence.")}
            ) from None

    def reason_sentence(self, language: str | None = None) -> str:
        """Why the claim went where it did, in `language` (the active one by default)."""
        return reason_text(self.reason_code, self.reason_values, self.reason, language)

    @property
    def placed(self) -> bool:
        return self.outcome != Outcome.ORPHANED
