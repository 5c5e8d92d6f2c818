""" "Checked before?" over the API: the published claims that say what a text says."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.filters import check_query_parameters
from annotations.api.serializers import UTCDateTimeField
from annotations.export.links import linking_for, public_claim_url
from annotations.folding import THRESHOLD
from annotations.matching import MAX_TEXT, Match, checked_before


class CheckedBeforeInput(serializers.Serializer[Any]):
    text = serializers.CharField(max_length=MAX_TEXT, trim_whitespace=True)


class CheckedBeforeItem(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    claim_text = serializers.CharField(help_text="The claim as restated when it was checked.")
    verdict = serializers.CharField(allow_null=True, help_text="The verdict's slug.")
    verdict_label = serializers.CharField(allow_null=True)
    published_at = UTCDateTimeField(allow_null=True)
    url = serializers.CharField(help_text="The fact-check's public page.")
    score = serializers.FloatField(help_text="How far the text says the same, from 0 to 1.")


class CheckedBeforeOutput(serializers.Serializer[Any]):
    threshold = serializers.FloatField(help_text="The least score listed.")
    results = CheckedBeforeItem(many=True)


def match_output(match: Match) -> dict[str, Any]:
    claim = match.claim
    return {
        "id": claim.pk,
        "claim_text": claim.claim_text,
        "verdict": claim.verdict.slug if claim.verdict else None,
        "verdict_label": claim.verdict.label if claim.verdict else None,
        "published_at": claim.published_at,
        "url": public_claim_url(claim.pk),
        "score": match.score,
    }


class CheckedBeforeView(APIView):
    @extend_schema(
        summary="Checked before?",
        description="The published claims that say what `text` says, best first, at most "
        f"five, each with its score (0 to 1); an empty list when none reaches {THRESHOLD}. "
        "A claim whose numbers, negation or names differ from the text's is never listed, "
        "however many words they share (docs/search.md).",
        parameters=[
            OpenApiParameter(
                "text",
                OpenApiTypes.STR,
                required=True,
                description=f"The text to check: a claim or a sentence, at most {MAX_TEXT} "
                "characters.",
            )
        ],
        responses={200: CheckedBeforeOutput},
    )
    def get(self, request: Request) -> Response:
        check_query_parameters(request, ["text"])
        given = CheckedBeforeInput(data=request.query_params)
        given.is_valid(raise_exception=True)
        found = checked_before(given.validated_data["text"])
        with linking_for(request):
            results = [match_output(match) for match in found]
        return Response(CheckedBeforeOutput({"threshold": THRESHOLD, "results": results}).data)
