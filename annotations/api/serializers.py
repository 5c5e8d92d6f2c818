"""Input and output serializers, one pair per operation.

Input serializers check the shape and types of what arrives and refuse fields they do not
know (so `status`, `author` or `version` can never be slipped into a write); the services
decide everything else. Output serializers only read.
"""

from __future__ import annotations

import re
from datetime import UTC
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from annotations import selectors
from annotations.anchoring import MAX_OFFSET
from annotations.models import (
    MAX_ID,
    MAX_VERSION,
    Article,
    Claim,
    ClaimantKind,
    Source,
    SourceKind,
    Verdict,
)
from annotations.outputs import CLAIM_KEYS, SOURCE_OUTPUT_FIELDS


class StrictInput(serializers.Serializer[Any]):
    """Refuses keys it does not declare, naming each, instead of silently dropping them."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("This field is unknown or cannot be written.")] for name in unknown}
                )
        return super().to_internal_value(data)


def _text(max_length: int | None = None, **kwargs: Any) -> serializers.CharField:
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_blank", True)
    return serializers.CharField(max_length=max_length, **kwargs)


def _version_field(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_VERSION, help_text=help_text)


# --- Output ---------------------------------------------------------------------------------


class ErrorDetailOutput(serializers.Serializer[Any]):
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    # DRF's metaclass moves declared fields off the class, so this does not shadow .fields.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()), required=False
    )
    current_version = serializers.IntegerField(required=False)


class ErrorOutput(serializers.Serializer[Any]):
    error = ErrorDetailOutput()


class UTCDateTimeField(serializers.DateTimeField):
    """The API writes every time in UTC (ISO 8601, Z), as annotations.outputs does."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("default_timezone", UTC)
        super().__init__(**kwargs)


class OutputSerializer(serializers.ModelSerializer[Any]):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: UTCDateTimeField,
    }


class SourceOutput(OutputSerializer):
    # Plain strings: archive_url may be empty, which is not a URI.
    url = serializers.CharField(read_only=True)
    archive_url = serializers.CharField(read_only=True, help_text="Empty when there is none.")

    class Meta:
        model = Source
        fields = SOURCE_OUTPUT_FIELDS
        read_only_fields = fields


class ClaimOutput(OutputSerializer):
    """A claim as the API answers it. The answers themselves are built by annotations.outputs,
    which declares the fields; this serializer describes them for the schema."""

    article: serializers.PrimaryKeyRelatedField[Article] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    verdict: serializers.SlugRelatedField[Verdict] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    claimant = serializers.CharField(
        read_only=True, help_text="The claimant's name; empty when none was recorded."
    )
    claimant_id = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The claimant (/api/claimants/{id}/)."
    )
    author: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    reviewer: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    sources = SourceOutput(many=True, read_only=True)
    revision = serializers.IntegerField(
        read_only=True,
        help_text="The number of the article's revision that start and end count in: its "
        "current one, unless the claim was orphaned when the article changed.",
    )

    class Meta:
        model = Claim
        fields = CLAIM_KEYS
        read_only_fields = fields


class VersionContentOutput(serializers.Serializer[Any]):
    claim_text = serializers.CharField()
    claimant = serializers.CharField()
    verdict = serializers.CharField(allow_null=True, help_text="The verdict's slug.")
    rationale = serializers.CharField()
    sources = SourceOutput(many=True)


class HistoryEntryOutput(serializers.Serializer[Any]):
    """One entry of a claim's record, oldest first: a decision (a review event) or an edit
    (the content as one save left it)."""

    kind = serializers.CharField(help_text='"decision" or "edit".')
    created_at = UTCDateTimeField()
    actor = serializers.CharField(
        allow_null=True,
        help_text="Who decided, or who saved the edit; null for the desk itself, which sends "
        "a published claim back to review when its article changed (article_changed) or "
        "re-anchors a claim on a new revision (reanchor) that a scheduled check found.",
    )
    action = serializers.CharField(allow_null=True, help_text="A decision's action.")
    from_status = serializers.CharField(allow_null=True)
    to_status = serializers.CharField(allow_null=True)
    comment = serializers.CharField(allow_null=True)
    edit = serializers.IntegerField(
        allow_null=True, help_text="An edit's number: 1 for the claim as created, then 2, 3..."
    )
    content = VersionContentOutput(allow_null=True, help_text="An edit's content.")


class ArticleOutput(OutputSerializer):
    source_url = serializers.CharField(
        read_only=True, help_text="Where it was published; empty when unknown."
    )

    class Meta:
        model = Article
        fields: tuple[str, ...] = (
            "id",
            "title",
            "source_url",
            "publisher",
            "byline",
            "published_on",
            "language",
            "imported_at",
        )
        read_only_fields = fields


class ArticleDetailOutput(ArticleOutput):
    class Meta(ArticleOutput.Meta):
        fields: tuple[str, ...] = (*ArticleOutput.Meta.fields, "body")
        read_only_fields = fields


class ArticleAnnotationsOutput(serializers.Serializer[Any]):
    article = ArticleDetailOutput()
    claims = ClaimOutput(many=True)


class VerdictOutput(OutputSerializer):
    class Meta:
        model = Verdict
        fields = ("label", "slug", "rating", "description", "colour", "order")
        read_only_fields = fields


class VerdictScaleOutput(serializers.Serializer[Any]):
    best_rating = serializers.IntegerField(allow_null=True)
    worst_rating = serializers.IntegerField(allow_null=True)
    results = VerdictOutput(many=True)


class TokenOutput(serializers.Serializer[Any]):
    token = serializers.CharField()


# --- Input ----------------------------------------------------------------------------------


class TokenInput(StrictInput):
    username = serializers.CharField(max_length=150, trim_whitespace=False)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class SourceInput(StrictInput):
    id = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        help_text="One of the claim's sources, to keep: the fields left out keep their values.",
    )
    url = serializers.CharField(
        max_length=2000,
        trim_whitespace=False,
        required=False,
        help_text="Required for a new source.",
    )
    title = _text(500)
    publisher = _text(300)
    published_on = serializers.DateField(required=False, allow_null=True)
    accessed_on = serializers.DateField(required=False, allow_null=True)
    archive_url = _text(2000, trim_whitespace=False)
    passage = _text()
    kind = serializers.ChoiceField(choices=SourceKind.choices, required=False)


@extend_schema_field(OpenApiTypes.INT)
class VisibleArticleField(serializers.Field[Article, Any, int, Any]):
    """An article id, resolved to an Article the requesting user may see."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "The article's id.")
        super().__init__(**kwargs)
        self._id = serializers.IntegerField(min_value=1, max_value=MAX_ID)

    def to_internal_value(self, data: Any) -> Article:
        pk = self._id.run_validation(data)
        user = self.context["request"].user
        try:
            # With its current revision's number, which a claim made on it names.
            return (
                selectors.articles_visible_to(user)
                .select_related("current_revision")
                .defer("current_revision__body")
                .get(pk=pk)
            )
        except Article.DoesNotExist:
            raise serializers.ValidationError(_("No such article.")) from None

    def to_representation(self, value: Article) -> int:
        return value.pk


_SLUG = re.compile(r"^[-a-zA-Z0-9_]+\Z")


class VerdictSlugField(serializers.SlugRelatedField[Verdict]):
    """A verdict named by its slug. Anything that cannot be a slug is refused before the
    lookup: PostgreSQL cannot even compare text holding a NUL, and would fail the request."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "The verdict's slug (see /api/verdicts/).")
        super().__init__(slug_field="slug", queryset=Verdict.objects.all(), **kwargs)

    def to_internal_value(self, data: Any) -> Verdict:
        if not isinstance(data, str) or not _SLUG.match(data):
            raise serializers.ValidationError(
                _("A verdict slug is made of letters, digits, - and _ (see /api/verdicts/).")
            )
        verdict: Verdict = super().to_internal_value(data)
        return verdict


class _ClaimContentInput(StrictInput):
    quote = serializers.CharField(
        required=False,
        trim_whitespace=False,
        help_text="Optional; when given it must equal the article's text at start..end.",
    )
    claim_text = _text(help_text="The claim as restated; defaults to the quote.")
    claimant = _text(
        300,
        help_text="The claimant's name: the claimant of that name (any case and spacing), "
        "or a new one (/api/claimants/).",
    )
    claimant_kind = serializers.ChoiceField(
        choices=ClaimantKind.choices,
        required=False,
        help_text="The kind of a claimant this claim adds; without it, Person, to confirm.",
    )
    verdict = VerdictSlugField(required=False, allow_null=True)
    rationale = _text()
    sources = SourceInput(many=True, required=False, max_length=100)  # type: ignore[call-arg]


class ClaimCreateInput(_ClaimContentInput):
    article = VisibleArticleField()
    start = serializers.IntegerField(
        min_value=0, max_value=MAX_OFFSET, help_text="Code-point offset where the span starts."
    )
    end = serializers.IntegerField(
        min_value=0, max_value=MAX_OFFSET, help_text="Code-point offset just past the span."
    )
    submit = serializers.BooleanField(
        required=False, default=False, help_text="Send the new claim straight to review."
    )


class ClaimUpdateInput(_ClaimContentInput):
    version = _version_field("The version the change was made against.")
    start = serializers.IntegerField(min_value=0, max_value=MAX_OFFSET, required=False)
    end = serializers.IntegerField(min_value=0, max_value=MAX_OFFSET, required=False)


class VersionInput(StrictInput):
    version = _version_field("The version the deletion was decided on.")


class TransitionInput(StrictInput):
    version = _version_field("The version the decision was made on.")
    comment = _text(10_000, help_text="Required to reject, request changes, reopen or retract.")


class ReviewNextInput(StrictInput):
    article = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    verdict = VerdictSlugField(required=False)
    author = serializers.CharField(max_length=150, required=False, help_text="A username.")


class ArticleCreateInput(StrictInput):
    title = _text(500, default="", help_text="Defaults to the body's first line.")
    body = serializers.CharField(
        trim_whitespace=False, max_length=settings.FACTCHECK_MAX_IMPORT_BYTES
    )
    source_url = _text(2000, trim_whitespace=False)
    publisher = _text(300)
    byline = _text(500)
    published_on = serializers.DateField(required=False, allow_null=True)
    language = _text(35)
