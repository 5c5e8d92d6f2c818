"""The verdict scale, read-only."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.serializers import VerdictScaleOutput
from annotations.models import Verdict


class VerdictScaleView(APIView):
    """Every verdict in scale order, with the best and worst rating of the numbered ones
    (null when no verdict has a number)."""

    @extend_schema(responses={200: VerdictScaleOutput})
    def get(self, request: Request) -> Response:
        verdicts = list(Verdict.objects.order_by("order", "id"))
        ratings = [v.rating for v in verdicts if v.rating is not None]
        scale = {
            "best_rating": max(ratings, default=None),
            "worst_rating": min(ratings, default=None),
            "results": verdicts,
        }
        return Response(VerdictScaleOutput(scale).data)
