"""Claims: list, create, read, change, delete, the review transitions and the history;
and the review queue's "next claim". Thin: selectors read, services write and decide."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import permissions, selectors, services
from annotations.api.claim_rows import claim_dict, claim_dicts_by_id
from annotations.api.filters import ClaimFilter
from annotations.api.pagination import Pagination
from annotations.api.serializers import (
    ClaimCreateInput,
    ClaimOutput,
    ClaimUpdateInput,
    ReviewEventOutput,
    ReviewNextInput,
    TransitionInput,
    VersionInput,
)
from annotations.claim_tally import Counted
from annotations.models import Claim
from annotations.workflow import Action

_TRANSITION_DOC: dict[str, str] = {
    Action.SUBMIT: "Send a draft (or a claim with changes requested) to review. Author only.",
    Action.WITHDRAW: "Take a submitted claim back to draft. Author only.",
    Action.APPROVE: "Publish a submitted claim. Reviewers and admins, never the author.",
    Action.REJECT: "Reject a submitted claim (comment required). Reviewers and admins.",
    Action.REQUEST_CHANGES: "Send a submitted claim back to its author (comment required).",
    Action.REOPEN: "Reopen a published claim for correction (comment required). Admins only.",
}


def _transition_schema(name: str) -> Any:
    return extend_schema(
        summary=name.replace("_", " ").capitalize(),
        description=_TRANSITION_DOC[name],
        request=TransitionInput,
        responses={200: ClaimOutput},
    )


class ClaimViewSet(viewsets.GenericViewSet):
    """Claims the requesting user may see; any other id is a 404."""

    serializer_class = ClaimOutput
    filterset_class = ClaimFilter
    # Set by the filter backend (StrictFilterBackend.get_filterset) as it filters.
    filterset: ClaimFilter | None = None
    pagination_class = Pagination
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[Claim]:
        # The list pages ids off it, then reads the page as rows (claim_rows).
        return selectors.claims_visible_to(self.request.user)

    def get_object(self) -> Claim:
        """The claim named in the URL, with what its answer shows (claim_dict)."""
        return selectors.claim_visible_to(
            self.request.user, self.kwargs["pk"], related=services.CLAIM_ANSWER_RELATIONS
        )

    def get_object_id_only(self) -> Claim:
        """The claim named in the URL, its id only: the writes' services re-read it under a
        lock, and the history reads its events by id."""
        return selectors.claim_visible_to(self.request.user, self.kwargs["pk"], id_only=True)

    @extend_schema(responses={200: ClaimOutput(many=True)})
    def list(self, request: Request) -> Response:
        # Paginate ids only, then read the page as rows (claim_rows): no model instances.
        ids: Any = self.filter_queryset(self.get_queryset()).values_list("pk", flat=True)
        # Counting the claims grows with them; the tally's count does not.
        count = self.filterset.tallied_count(request.user) if self.filterset else None
        if count is not None:
            ids = Counted(ids, count)
        return self.get_paginated_response(claim_dicts_by_id(self.paginate_queryset(ids) or []))

    @extend_schema(request=ClaimCreateInput, responses={201: ClaimOutput})
    def create(self, request: Request) -> Response:
        if not permissions.can_create_claim(request.user):
            raise PermissionDenied("Only editors, reviewers and admins can create claims.")
        given = ClaimCreateInput(data=request.data, context={"request": request})
        given.is_valid(raise_exception=True)
        claim = services.claim_create(author=request.user, **given.validated_data)  # type: ignore[arg-type]
        return Response(claim_dict(claim), status=status.HTTP_201_CREATED)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(claim_dict(self.get_object()))

    @extend_schema(request=ClaimUpdateInput, responses={200: ClaimOutput})
    def partial_update(self, request: Request, pk: str) -> Response:
        claim = self.get_object_id_only()
        given = ClaimUpdateInput(data=request.data, context={"request": request})
        given.is_valid(raise_exception=True)
        changes = dict(given.validated_data)
        version = changes.pop("version")
        if not changes:
            raise serializers.ValidationError(
                {"non_field_errors": ["Send at least one field to change besides version."]}
            )
        claim = services.claim_update(
            claim=claim,
            actor=request.user,  # type: ignore[arg-type]
            version=version,
            changes=changes,
        )
        return Response(claim_dict(claim))

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "version",
                OpenApiTypes.INT,
                description="The version the deletion was decided on (or send it in the body).",
            )
        ],
        request=VersionInput,
        responses={204: OpenApiResponse(description="Deleted.")},
    )
    def destroy(self, request: Request, pk: str) -> Response:
        claim = self.get_object_id_only()
        raw = request.query_params.get("version")
        given = VersionInput(data={"version": raw} if raw is not None else request.data)
        given.is_valid(raise_exception=True)
        services.claim_delete(
            claim=claim,
            actor=request.user,  # type: ignore[arg-type]
            version=given.validated_data["version"],
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _transition(self, request: Request, name: str) -> Response:
        claim = self.get_object_id_only()
        given = TransitionInput(data=request.data)
        given.is_valid(raise_exception=True)
        claim = services.claim_transition(
            claim=claim,
            actor=request.user,  # type: ignore[arg-type]
            action=name,
            version=given.validated_data["version"],
            comment=given.validated_data.get("comment", ""),
        )
        return Response(claim_dict(claim))

    @_transition_schema(Action.SUBMIT)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        return self._transition(request, Action.SUBMIT)

    @_transition_schema(Action.WITHDRAW)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        return self._transition(request, Action.WITHDRAW)

    @_transition_schema(Action.APPROVE)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        return self._transition(request, Action.APPROVE)

    @_transition_schema(Action.REJECT)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        return self._transition(request, Action.REJECT)

    @_transition_schema(Action.REQUEST_CHANGES)
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request: Request, pk: str) -> Response:
        return self._transition(request, Action.REQUEST_CHANGES)

    @_transition_schema(Action.REOPEN)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str) -> Response:
        return self._transition(request, Action.REOPEN)

    @extend_schema(responses={200: ReviewEventOutput(many=True)})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request: Request, pk: str) -> Response:
        events = selectors.claim_history(self.get_object_id_only())
        return Response(ReviewEventOutput(events, many=True).data)


class ReviewNextView(APIView):
    """Assign the next submitted claim to the requesting reviewer and return it."""

    @extend_schema(
        request=ReviewNextInput,
        responses={
            200: ClaimOutput,
            204: OpenApiResponse(description="Nothing is waiting for review."),
        },
    )
    def post(self, request: Request) -> Response:
        if not permissions.is_reviewer(request.user):
            raise PermissionDenied("Only reviewers and admins take claims from the review queue.")
        given = ReviewNextInput(data=request.data)
        given.is_valid(raise_exception=True)
        wanted = given.validated_data
        author_id = None
        if "author" in wanted:
            author = get_user_model().objects.filter(username=wanted["author"]).first()
            if author is None:
                raise serializers.ValidationError({"author": ["No such user."]})
            author_id = author.pk
        claim = services.review_next(
            reviewer=request.user,  # type: ignore[arg-type]
            article_id=wanted.get("article"),
            verdict_id=wanted["verdict"].pk if "verdict" in wanted else None,
            author_id=author_id,
        )
        if claim is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(claim_dict(claim))
