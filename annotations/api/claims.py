"""Claims: list, create, read, change, delete, the review transitions and the history;
and the review queue's "next claim". Thin: selectors read, services write and decide."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import permissions, selectors, services
from annotations.api.filters import ClaimFilter
from annotations.api.pagination import CappedCountPagination
from annotations.api.revisions import ReattachInput
from annotations.api.serializers import (
    ClaimCreateInput,
    ClaimOutput,
    ClaimUpdateInput,
    HistoryEntryOutput,
    ReviewNextInput,
    TransitionInput,
    VersionInput,
)
from annotations.models import Claim
from annotations.outputs import claim_output, claim_outputs_by_id
from annotations.request_user import acting_user
from annotations.selectors import RecordEntry
from annotations.services.reanchoring import claim_reattach
from annotations.workflow import Action

_Handler = Callable[..., Response]

_TRANSITION_DOC: dict[str, str] = {
    Action.SUBMIT: "Send a draft (or a claim with changes requested) to review. Author only. "
    "For a claim published before, the comment is required: it is the correction note "
    "(what changed and why), published with the correction.",
    Action.WITHDRAW: "Take a submitted claim back to draft. Author only.",
    Action.APPROVE: "Publish a submitted claim. Reviewers and admins, never the author. A "
    "correction is approved only with its note; a published claim is never rejected.",
    Action.REJECT: "Reject a submitted claim (comment required). Reviewers and admins.",
    Action.REQUEST_CHANGES: "Send a submitted claim back to its author (comment required).",
    Action.REOPEN: "Reopen a published claim for correction (comment required). Admins only.",
    Action.RETRACT: (
        "Retract a claim once submitted (approved, waiting, rejected or sent back), with the "
        "reason as the comment (required). Admins only. Nothing submitted is ever deleted."
    ),
}


def _transition_schema(name: str) -> Callable[[_Handler], _Handler]:
    return extend_schema(
        summary=name.replace("_", " ").capitalize(),
        description=_TRANSITION_DOC[name],
        request=TransitionInput,
        responses={200: ClaimOutput},
    )


class MayCreateClaims(BasePermission):
    """Refuses a create before its input is read, for a user whose role may not create."""

    message = gettext_lazy("Only editors, reviewers and admins can create claims.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return getattr(view, "action", None) != "create" or permissions.can_create_claim(
            request.user
        )


class ClaimViewSet(viewsets.GenericViewSet[Claim]):
    """Claims the requesting user may see; any other id is a 404. Writes hand the id to the
    service, which reads the claim under its lock and applies every rule."""

    serializer_class = ClaimOutput
    permission_classes = [IsAuthenticated, MayCreateClaims]
    filterset_class = ClaimFilter
    pagination_class = CappedCountPagination
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[Claim]:
        return Claim.objects.visible_to(self.request.user).with_answer_relations()

    @extend_schema(responses={200: ClaimOutput(many=True)})
    def list(self, request: Request) -> Response:
        # A page of ids, off the document-order index, then the page's claims read as outputs.
        ids = self.filter_queryset(self.get_queryset()).values_list("pk", flat=True)
        page = self.paginate_queryset(ids) or []
        return self.get_paginated_response(claim_outputs_by_id(page))

    @extend_schema(request=ClaimCreateInput, responses={201: ClaimOutput})
    def create(self, request: Request) -> Response:
        given = ClaimCreateInput(data=request.data, context={"request": request})
        given.is_valid(raise_exception=True)
        claim = services.claim_create(author=acting_user(request), **given.validated_data)
        return Response(claim_output(claim), status=status.HTTP_201_CREATED)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(claim_output(self.get_object()))

    @extend_schema(request=ClaimUpdateInput, responses={200: ClaimOutput})
    def partial_update(self, request: Request, pk: str) -> Response:
        given = ClaimUpdateInput(data=request.data, context={"request": request})
        given.is_valid(raise_exception=True)
        changes = dict(given.validated_data)
        version = changes.pop("version")
        if not changes:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Send at least one field to change besides version.")]}
            )
        claim = services.claim_update(
            claim_id=int(pk), actor=acting_user(request), version=version, changes=changes
        )
        return Response(claim_output(claim))

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
        raw = request.query_params.get("version")
        given = VersionInput(data={"version": raw} if raw is not None else request.data)
        given.is_valid(raise_exception=True)
        services.claim_delete(
            claim_id=int(pk), actor=acting_user(request), version=given.validated_data["version"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _transition(self, request: Request, pk: str, name: str) -> Response:
        given = TransitionInput(data=request.data)
        given.is_valid(raise_exception=True)
        claim = services.claim_transition(
            claim_id=int(pk),
            actor=acting_user(request),
            action=name,
            version=given.validated_data["version"],
            comment=given.validated_data.get("comment", ""),
        )
        return Response(claim_output(claim))

    @_transition_schema(Action.SUBMIT)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        return self._transition(request, pk, Action.SUBMIT)

    @_transition_schema(Action.WITHDRAW)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        return self._transition(request, pk, Action.WITHDRAW)

    @_transition_schema(Action.APPROVE)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        return self._transition(request, pk, Action.APPROVE)

    @_transition_schema(Action.REJECT)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        return self._transition(request, pk, Action.REJECT)

    @_transition_schema(Action.REQUEST_CHANGES)
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request: Request, pk: str) -> Response:
        return self._transition(request, pk, Action.REQUEST_CHANGES)

    @_transition_schema(Action.REOPEN)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str) -> Response:
        return self._transition(request, pk, Action.REOPEN)

    @_transition_schema(Action.RETRACT)
    @action(detail=True, methods=["post"])
    def retract(self, request: Request, pk: str) -> Response:
        return self._transition(request, pk, Action.RETRACT)

    @extend_schema(
        summary="Re-attach",
        description="Place an orphaned claim (its passage was lost when its article changed) "
        "on a passage of the article's current text. Its author or an admin; 409 for a claim "
        "that is not orphaned or a stale version.",
        request=ReattachInput,
        responses={200: ClaimOutput},
    )
    @action(detail=True, methods=["post"])
    def reattach(self, request: Request, pk: str) -> Response:
        given = ReattachInput(data=request.data)
        given.is_valid(raise_exception=True)
        claim = claim_reattach(claim_id=int(pk), actor=acting_user(request), **given.validated_data)
        return Response(claim_output(claim))

    @extend_schema(
        summary="History",
        description="The claim's edits (its content as each save left it) and review "
        "decisions, interleaved, oldest first.",
        responses={200: HistoryEntryOutput(many=True)},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def history(self, request: Request, pk: str) -> Response:
        record = selectors.claim_record(self.get_object().pk)
        return Response(HistoryEntryOutput([_entry(e) for e in record], many=True).data)


def _entry(entry: RecordEntry) -> dict[str, Any]:
    event, version = entry.event, entry.version
    return {
        "kind": entry.kind,
        "created_at": entry.created_at,
        "actor": entry.actor.get_username() if entry.actor is not None else None,
        "action": event.action if event else None,
        "from_status": event.from_status if event else None,
        "to_status": event.to_status if event else None,
        "comment": event.comment if event else None,
        "edit": version.number if version else None,
        "content": {
            "claim_text": version.claim_text,
            "claimant": version.claimant,
            "verdict": version.verdict.slug if version.verdict else None,
            "rationale": version.rationale,
            "sources": version.sources,
        }
        if version
        else None,
    }


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
        given = ReviewNextInput(data=request.data)
        given.is_valid(raise_exception=True)
        wanted = given.validated_data
        author_id = None
        if "author" in wanted:
            author = get_user_model().objects.filter(username=wanted["author"]).first()
            if author is None:
                raise serializers.ValidationError({"author": [_("No such user.")]})
            author_id = author.pk
        claim = services.review_next(
            reviewer=acting_user(request),
            article_id=wanted.get("article"),
            verdict_id=wanted["verdict"].pk if "verdict" in wanted else None,
            author_id=author_id,
        )
        if claim is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(claim_output(claim))
