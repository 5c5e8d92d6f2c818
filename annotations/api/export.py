"""GET /api/export/: the claims as native JSON, ClaimReview or Web Annotation, streamed.

Query parameters: format (native, claimreview, webannotation; default native), status
(approved by default; `all` or other states, comma-separated, for reviewers and admins only),
article (an article id). The export itself is annotations.export; this view only checks the
request and streams.
"""

from __future__ import annotations

from typing import Any

from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from annotations import export, permissions
from annotations.api.filters import check_query_parameters
from annotations.api.serializers import ErrorOutput
from annotations.export import links
from annotations.models import Claim
from annotations.workflow import Status


class ExportView(APIView):
    # Exports are reads: the write-rate throttle does not apply.
    throttle_classes: list[Any] = []

    def perform_content_negotiation(
        self, request: Request, force: bool = False
    ) -> tuple[BaseRenderer, str]:
        # `format` names the export format here, not a DRF renderer (URL_FORMAT_OVERRIDE), and
        # the answers that are not the export itself are always JSON errors.
        renderer = JSONRenderer()
        return renderer, renderer.media_type

    @extend_schema(
        operation_id="export_claims",
        summary="Export claims (streamed)",
        description="Native JSON (schema: annotations/schemas/native-v3.schema.json), schema.org "
        "ClaimReview (a JSON-LD array) or a W3C Web Annotation AnnotationCollection. "
        "docs/export-formats.md describes the three formats.",
        parameters=[
            OpenApiParameter("format", str, enum=list(export.FORMATS), default="native"),
            OpenApiParameter(
                "status",
                str,
                default="approved",
                description="approved, all, or review states separated by commas; anything "
                "but approved needs the reviewer or admin role.",
            ),
            OpenApiParameter("article", int, description="Only the claims on this article."),
        ],
        responses={
            (200, "application/json"): OpenApiResponse(
                OpenApiTypes.OBJECT, description="The native export, streamed."
            ),
            (200, "application/ld+json"): OpenApiResponse(
                OpenApiTypes.ANY, description="ClaimReview or Web Annotation, streamed."
            ),
            400: OpenApiResponse(ErrorOutput, description="A bad or unknown parameter."),
            403: OpenApiResponse(ErrorOutput, description="A status not open to your role."),
        },
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        check_query_parameters(request, ("format", "status", "article"))
        try:
            fmt = export.parse_format(request.query_params.get("format"))
            statuses = export.parse_statuses(request.query_params.get("status"))
            article = export.parse_article(request.query_params.get("article"))
        except export.ExportRequestError as error:
            raise ValidationError({error.field: [error.message]}) from None
        if set(statuses) != {Status.APPROVED} and not permissions.can_see_unpublished(request.user):
            raise PermissionDenied(
                _("Only reviewers and admins can export claims that are not published (status).")
            )
        # Links follow the address the request came to, also while the answer streams.
        with links.linking_for(request):
            chunks = export.export_chunks(
                fmt,
                statuses=statuses,
                article=article,
                within=Claim.objects.visible_to(request.user),
            )
        response = StreamingHttpResponse(
            export.in_blocks(links.streamed_for(request, chunks)),
            content_type=export.CONTENT_TYPES[fmt],
        )
        filename = export.export_filename(fmt, statuses, article)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        # Reflects the database at the time of the request; never worth caching.
        response["Cache-Control"] = "no-store"
        return response
