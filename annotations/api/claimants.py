"""Claimants: the desk lists, reads, adds and corrects them; admins merge two that are one.
Every write is a service of annotations.services.claimants."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Case, Count, QuerySet, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import permissions, services
from annotations.api.pagination import Pagination
from annotations.api.serializers import OutputSerializer, StrictInput
from annotations.models import MAX_ID, Claimant, ClaimantKind, name_key
from annotations.models.claimants import MAX_NAME_LENGTH, MAX_SAME_AS
from annotations.request_user import acting_user


class ClaimantOutput(OutputSerializer):
    merged_into = serializers.IntegerField(
        source="merged_into_id",
        read_only=True,
        allow_null=True,
        help_text="The claimant this one was merged into; null for a claimant in use.",
    )
    same_as = serializers.ListField(child=serializers.CharField(), read_only=True)
    claims = serializers.IntegerField(
        source="claim_count", read_only=True, help_text="How many claims name this claimant."
    )
    public_url = serializers.SerializerMethodField(help_text="The claimant's public page.")

    class Meta:
        model = Claimant
        fields = (
            "id",
            "name",
            "kind",
            "kind_unconfirmed",
            "description",
            "same_as",
            "merged_into",
            "claims",
            "public_url",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields

    def get_public_url(self, claimant: Claimant) -> str:
        return f"/claimants/{claimant.pk}/"


class _ClaimantInput(StrictInput):
    name = serializers.CharField(max_length=MAX_NAME_LENGTH, trim_whitespace=False)
    kind = serializers.ChoiceField(choices=ClaimantKind.choices)
    description = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    same_as = serializers.ListField(
        child=serializers.CharField(max_length=2000, trim_whitespace=False),
        required=False,
        max_length=MAX_SAME_AS,
        help_text="Pages that identify the claimant (http or https), such as its Wikidata item.",
    )


class ClaimantCreateInput(_ClaimantInput):
    kind = serializers.ChoiceField(choices=ClaimantKind.choices, required=False)


class ClaimantUpdateInput(_ClaimantInput):
    name = serializers.CharField(max_length=MAX_NAME_LENGTH, trim_whitespace=False, required=False)
    kind = serializers.ChoiceField(choices=ClaimantKind.choices, required=False)


class ClaimantMergeInput(StrictInput):
    into = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The claimant that stays (it keeps its id)."
    )


class ClaimantFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search",
        max_length=MAX_NAME_LENGTH,
        label="Part of the name, any case and spacing; names that start with it first.",
    )
    merged = django_filters.BooleanFilter(
        field_name="merged_into",
        lookup_expr="isnull",
        exclude=True,
        label="Merged ones only (true) or those in use only (false, the default).",
    )

    class Meta:
        model = Claimant
        fields: list[str] = []

    def filter_search(
        self, queryset: QuerySet[Claimant], name: str, value: str
    ) -> QuerySet[Claimant]:
        key = name_key(value)
        if not key:
            return queryset
        # Names that start with what was typed come first.
        starts = Case(When(name_key__startswith=key, then=Value(0)), default=Value(1))
        return queryset.filter(name_key__contains=key).order_by(starts, "name_key", "id")


class ClaimantPermission(BasePermission):
    """The desk (editors and up) reads and writes claimants; admins alone merge them."""

    message = gettext_lazy("Only editors, reviewers and admins can see and change claimants.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        if getattr(view, "action", None) == "merge":
            self.message = gettext_lazy("Only admins can merge claimants.")
            return permissions.can_merge_claimants(request.user)
        return permissions.can_manage_claimants(request.user)


class ClaimantViewSet(viewsets.GenericViewSet[Claimant]):
    """Claimants, by name; a merged one is kept (its `merged_into` says where it went) so
    that old links resolve. Lists show the claimants in use unless `merged=true`."""

    serializer_class = ClaimantOutput
    permission_classes = [IsAuthenticated, ClaimantPermission]
    filterset_class = ClaimantFilter
    pagination_class = Pagination
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[Claimant]:
        # By name: a query that counts (GROUP BY) does not take the model's ordering, and
        # pages of an unordered list may repeat or skip claimants.
        return Claimant.objects.annotate(claim_count=Count("claims")).order_by("name_key", "id")

    @extend_schema(responses={200: ClaimantOutput(many=True)})
    def list(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        if "merged" not in request.query_params:
            queryset = queryset.filter(merged_into__isnull=True)
        page = self.paginate_queryset(queryset) or []
        return self.get_paginated_response(ClaimantOutput(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(ClaimantOutput(self.get_object()).data)

    @extend_schema(request=ClaimantCreateInput, responses={201: ClaimantOutput})
    def create(self, request: Request) -> Response:
        given = ClaimantCreateInput(data=request.data)
        given.is_valid(raise_exception=True)
        claimant = services.claimant_create(actor=acting_user(request), **given.validated_data)
        return Response(self._answer(claimant.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=ClaimantUpdateInput, responses={200: ClaimantOutput})
    def partial_update(self, request: Request, pk: str) -> Response:
        claimant = self.get_object()
        given = ClaimantUpdateInput(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        if not given.validated_data:
            raise serializers.ValidationError(
                {"non_field_errors": [_("Send at least one field to change.")]}
            )
        services.claimant_update(
            claimant_id=claimant.pk, actor=acting_user(request), changes=given.validated_data
        )
        return Response(self._answer(claimant.pk))

    @extend_schema(request=ClaimantMergeInput, responses={200: ClaimantOutput})
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str) -> Response:
        """Merge this claimant into `into`: its claims become that one's, and it stays,
        pointing there. Answers the claimant that stays."""
        merged = self.get_object()
        given = ClaimantMergeInput(data=request.data)
        given.is_valid(raise_exception=True)
        kept = services.claimant_merge(
            merged_id=merged.pk, kept_id=given.validated_data["into"], actor=acting_user(request)
        )
        return Response(self._answer(kept.pk))

    def _answer(self, pk: int) -> dict[str, Any]:
        return dict(ClaimantOutput(self.get_queryset().get(pk=pk)).data)
