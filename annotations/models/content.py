"""The content: articles and the verdict scale (claims and their sources are in
annotations.models.claims; the package's docstring says what every model here holds to)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from annotations.defaults import DEFAULT_VERDICT_COLOUR
from annotations.validators import (
    validate_clean_text,
    validate_http_url,
    validate_moment,
    validate_verdict_colour,
)

if TYPE_CHECKING:
    pass

# Ids are 64-bit in the database; larger numbers cannot name anything.
MAX_ID = 2**63 - 1
# Versions are stored in a 32-bit column.
MAX_VERSION = 2**31 - 1


# What may change of an article after its import: everything but the text.
ARTICLE_METADATA_FIELDS = ("title", "source_url", "publisher", "byline", "published_on", "language")


class Article(models.Model):
    title = models.CharField(
        max_length=500, validators=[validate_clean_text], verbose_name=_("title")
    )
    body = models.TextField(validators=[validate_clean_text], verbose_name=_("text"))
    source_url = models.URLField(
        max_length=2000,
        blank=True,
        validators=[validate_clean_text, validate_http_url],
        help_text=_("Where it was published."),
        verbose_name=_("source URL"),
    )
    publisher = models.CharField(
        max_length=300, blank=True, validators=[validate_clean_text], verbose_name=_("publisher")
    )
    byline = models.CharField(
        max_length=500, blank=True, validators=[validate_clean_text], verbose_name=_("byline")
    )
    published_on = models.DateField(null=True, blank=True, verbose_name=_("published on"))
    language = models.CharField(
        max_length=35,
        blank=True,
        validators=[validate_clean_text],
        help_text=_("BCP 47 tag, e.g. en or ru."),
        verbose_name=_("language"),
    )
    body_sha256 = models.CharField(
        max_length=64,
        editable=False,
        validators=[validate_clean_text],
        verbose_name=_("SHA-256 of the text"),
    )
    # The latest revision, whose text `body` is (annotations.services.revisions keeps the two
    # together). Null only for the instant between the article's insert and its first
    # revision's, inside the import's transaction.
    current_revision = models.ForeignKey(
        "annotations.ArticleRevision",
        null=True,
        blank=True,
        editable=False,
        # The revisions go only with their article (ArticleRevision.article cascades), whose
        # row goes in the same statement: the database checks the link at the commit.
        on_delete=models.DO_NOTHING,
        related_name="+",
        verbose_name=_("current revision"),
    )
    source_file = models.CharField(
        max_length=500,
        blank=True,
        validators=[validate_clean_text],
        help_text=_("File it was imported from."),
        verbose_name=_("source file"),
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(
        default=timezone.now,
        editable=False,
        validators=[validate_moment],
        verbose_name=_("imported at"),
    )

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-imported_at", "-id"]
        constraints = [
            # No two articles hold the same text now; an earlier revision may equal anything.
            models.UniqueConstraint(fields=["body_sha256"], name="article_unique_body"),
            models.UniqueConstraint(
                fields=["source_url"],
                condition=~Q(source_url=""),
                name="article_unique_source_url",
                violation_error_message="An article from this source URL is already imported.",
            ),
            models.CheckConstraint(condition=~Q(body=""), name="article_body_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title


class Verdict(models.Model):
    """One step of the rating scale. Verdicts without a number (Misleading...) stand beside it."""

    label = models.CharField(
        max_length=100, unique=True, validators=[validate_clean_text], verbose_name=_("label")
    )
    slug = models.SlugField(
        max_length=100, unique=True, validators=[validate_clean_text], verbose_name=_("slug")
    )
    rating = models.SmallIntegerField(
        null=True,
        blank=True,
        help_text=_("Position on the numeric scale; higher means more true."),
        verbose_name=_("rating"),
    )
    description = models.TextField(
        blank=True, validators=[validate_clean_text], verbose_name=_("description")
    )
    colour = models.CharField(
        max_length=7,
        default=DEFAULT_VERDICT_COLOUR,
        validators=[validate_clean_text, validate_verdict_colour],
        help_text=_(
            "#RRGGBB. Verdict badges show white text on it, so it must be dark enough for "
            "WCAG AA contrast (4.5:1)."
        ),
        verbose_name=_("colour"),
    )
    order = models.PositiveSmallIntegerField(default=0, verbose_name=_("order"))

    class Meta:
        verbose_name = _("verdict")
        verbose_name_plural = _("verdicts")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.label
