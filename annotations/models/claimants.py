"""Claimants: the people and organisations whose claims the desk checks, and the record of
two claimants found to be one (ClaimantMerge).

A claimant's name is unique among the live claimants once case and white space are folded
(`name_key`), so that picking by name (the claim form, the API, an import) finds one record.
A merged claimant stays, pointing at the one it was merged into (`merged_into`), so that its
page and old exports still lead somewhere; it takes no new claims.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from annotations.models.record import AppendOnlyQuerySet
from annotations.validators import validate_clean_text, validate_http_url, validate_moment

# How many same-as links a claimant may carry: enough for Wikidata, a parliament's page, an
# official site and a few more.
MAX_SAME_AS = 10
MAX_NAME_LENGTH = 300


def name_key(name: str) -> str:
    """The form under which two names are the same claimant's: case folded, runs of white
    space made one space, ends trimmed ("  the  MAYOR " and "The mayor" are one)."""
    return " ".join(name.split()).casefold()


def validate_same_as(value: Any) -> None:
    """A list of distinct http(s) URLs in clean text, at most MAX_SAME_AS of them."""
    if not isinstance(value, list):
        raise ValidationError("Same-as must be a list of URLs.", code="invalid_same_as")
    if len(value) > MAX_SAME_AS:
        raise ValidationError(
            f"At most {MAX_SAME_AS} same-as URLs are kept.", code="invalid_same_as"
        )
    for url in value:
        if not isinstance(url, str) or len(url) > 2000:
            raise ValidationError(
                "Each same-as entry must be a URL of at most 2000 characters.",
                code="invalid_same_as",
            )
        validate_clean_text(url)
        try:
            validate_http_url(url)
        except ValidationError:
            raise ValidationError(
                f"{url!r} is not an http:// or https:// URL.", code="invalid_url"
            ) from None
    if len(set(value)) != len(value):
        raise ValidationError("A same-as URL is listed twice.", code="invalid_same_as")


class ClaimantKind(models.TextChoices):
    # The values are schema.org's types, which ClaimReview's itemReviewed.author takes.
    PERSON = "Person", _("Person")
    ORGANIZATION = "Organization", _("Organisation")


class Claimant(models.Model):
    Kind = ClaimantKind

    name = models.CharField(
        max_length=MAX_NAME_LENGTH, validators=[validate_clean_text], verbose_name=_("name")
    )
    name_key = models.CharField(
        max_length=MAX_NAME_LENGTH,
        editable=False,
        validators=[validate_clean_text],
        verbose_name=_("name key"),
    )
    kind = models.CharField(
        max_length=20,
        choices=ClaimantKind.choices,
        default=ClaimantKind.PERSON,
        validators=[validate_clean_text],
        verbose_name=_("kind"),
    )
    description = models.TextField(
        blank=True, validators=[validate_clean_text], verbose_name=_("description")
    )
    same_as = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_same_as],
        help_text=_("Pages that identify the claimant, such as their Wikidata item."),
        verbose_name=_("same as"),
    )
    # Set for a claimant made from a bare name (an import, a claim written without a kind),
    # whose kind nobody gave: Person until someone of the desk says.
    kind_unconfirmed = models.BooleanField(default=False, verbose_name=_("kind not confirmed"))
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
        editable=False,
        verbose_name=_("merged into"),
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

    class Meta:
        verbose_name = _("claimant")
        verbose_name_plural = _("claimants")
        ordering = ["name_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["name_key"],
                condition=Q(merged_into__isnull=True),
                name="claimant_live_name_unique",
                violation_error_message="A claimant with this name exists already.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ClaimantKind.values), name="claimant_kind_known"
            ),
            models.CheckConstraint(condition=~Q(name_key=""), name="claimant_name_not_empty"),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")), name="claimant_not_merged_into_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.name = " ".join(self.name.split())
        self.name_key = name_key(self.name)
        if not self.name_key:
            raise ValidationError({"name": "A claimant needs a name."})
        # The unique constraint says the same, but of the whole form, not of the name.
        if (
            self.merged_into_id is None
            and Claimant.objects.filter(name_key=self.name_key, merged_into__isnull=True)
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError({"name": "A claimant with this name exists already."})

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None


class ClaimantMerge(models.Model):
    """Two claimants found to be one: `merged` went into `kept`, with the claims listed.
    Written once, in the transaction of the merge (services.claimants.claimant_merge)."""

    merged = models.ForeignKey(Claimant, on_delete=models.PROTECT, related_name="+")
    kept = models.ForeignKey(Claimant, on_delete=models.PROTECT, related_name="merges")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The merged claimant's name then, and the ids of the claims that moved.
    merged_name = models.CharField(max_length=MAX_NAME_LENGTH, validators=[validate_clean_text])
    claim_ids = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(
        default=timezone.now, editable=False, validators=[validate_moment]
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.merged_name} → #{self.kept_id}"
