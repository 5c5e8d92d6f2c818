"""An article's revisions in the API: the list, one revision with its text and what became of
the claims when it arrived, and the check for a new one. The routes are actions of
annotations.api.articles.ArticleViewSet; the re-attachment of an orphaned claim is one of
annotations.api.claims.ClaimViewSet."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from annotations.anchoring import MAX_OFFSET
from annotations.api.serializers import StrictInput, _version_field
from annotations.models import ArticleRevision
from annotations.reanchoring import Outcome
from annotations.services.revisions import RevisionOutcome


class RevisionOutput(serializers.Serializer[Any]):
    number = serializers.IntegerField(help_text="1 for the first text, then 2, 3...")
    kind = serializers.ChoiceField(
        choices=ArticleRevision.Kind.choices,
        help_text="How it arrived: import (before revisions were kept), file, fetch (from the "
        "article's address), api, edit (by an admin), restore (from a native export).",
    )
    created_at = serializers.DateTimeField(help_text="When it arrived (its TimeState sourceDate).")
    created_by = serializers.SerializerMethodField(
        help_text="Who brought it; null for the operator (a command, a scheduled check)."
    )
    title = serializers.CharField(help_text="The headline as it came with this text.")
    publisher = serializers.CharField()
    byline = serializers.CharField()
    published_on = serializers.DateField(allow_null=True)
    language = serializers.CharField()
    body_sha256 = serializers.CharField()
    current = serializers.SerializerMethodField(help_text="Whether it is the article's text now.")

    def get_created_by(self, revision: ArticleRevision) -> str | None:
        return revision.created_by.get_username() if revision.created_by else None

    def get_current(self, revision: ArticleRevision) -> bool:
        return bool(revision.pk == self.context.get("current_revision_id"))


class ReanchoringOutput(serializers.Serializer[Any]):
    claim = serializers.IntegerField(source="claim_id")
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    from_revision = serializers.IntegerField(
        source="from_revision.number", help_text="The revision the old span counted in."
    )
    old_start = serializers.IntegerField()
    old_end = serializers.IntegerField()
    old_quote = serializers.CharField()
    new_start = serializers.IntegerField(allow_null=True)
    new_end = serializers.IntegerField(allow_null=True)
    new_quote = serializers.CharField(help_text="Empty when orphaned.")
    score = serializers.FloatField(
        allow_null=True, help_text="The similarity (0-100) of an edited quote to the old one."
    )
    reason = serializers.CharField(
        source="reason_sentence",
        help_text="Why, in one sentence for an editor, in the request's language.",
    )
    reason_code = serializers.CharField(
        help_text="Which reason (docs/export-formats.md lists them); empty for a reason a "
        "restored file gave only as a sentence."
    )
    reason_values = serializers.DictField(
        child=serializers.IntegerField(), help_text="The figures in the reason, by name."
    )


class RevisionDetailOutput(RevisionOutput):
    body = serializers.CharField(help_text="The article's text in this revision.")
    reanchorings = serializers.SerializerMethodField(
        help_text="What became of each claim you may see when this revision arrived."
    )

    def get_reanchorings(self, revision: ArticleRevision) -> list[dict[str, Any]]:
        rows = self.context.get("reanchorings", [])
        return list(ReanchoringOutput(rows, many=True).data)


class CheckOutput(serializers.Serializer[Any]):
    article = serializers.IntegerField()
    changed = serializers.BooleanField(help_text="Whether a new revision was recorded.")
    revision = serializers.IntegerField(
        help_text="The number of the article's current revision (the new one, if changed)."
    )
    outcomes = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="How many claims had each outcome (all zero when nothing changed).",
    )
    back_to_review = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="The published claims that went back to review.",
    )


def check_output(outcome: RevisionOutcome, current_number: int) -> dict[str, Any]:
    return {
        "article": outcome.article.pk,
        "changed": outcome.revision is not None,
        "revision": outcome.revision.number if outcome.revision else current_number,
        "outcomes": outcome.counts(),
        "back_to_review": outcome.sent_back,
    }


class ReattachInput(StrictInput):
    version = _version_field("The claim's version the re-attachment was decided on.")
    start = serializers.IntegerField(
        min_value=0,
        max_value=MAX_OFFSET,
        help_text="Code-point offset where the passage starts in the article's current text.",
    )
    end = serializers.IntegerField(
        min_value=0, max_value=MAX_OFFSET, help_text="Code-point offset just past the passage."
    )
    quote = serializers.CharField(
        required=False,
        trim_whitespace=False,
        help_text="If given, must be exactly the current text at start..end.",
    )
