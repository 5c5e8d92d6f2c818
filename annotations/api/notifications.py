"""The requesting user's notices, for tools: list them (all, or unread only) and mark them
read or unread. Nobody sees or marks anyone else's: another user's notice is a 404."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from annotations import selectors
from annotations.api.pagination import Pagination
from annotations.models import Notification, NotificationKind
from annotations.request_user import acting_user
from annotations.services import notifications as service


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", label="true: only the unread notices."
    )

    class Meta:
        model = Notification
        fields: list[str] = []


class NotificationOutput(serializers.ModelSerializer[Notification]):
    kind = serializers.ChoiceField(choices=NotificationKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    claim = serializers.IntegerField(source="claim_id")
    claim_text = serializers.CharField(source="claim.claim_text")
    article = serializers.IntegerField(source="claim.article_id")
    actor = serializers.SerializerMethodField()
    read = serializers.BooleanField(source="is_read")

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "kind_label",
            "claim",
            "claim_text",
            "article",
            "actor",
            "comment",
            "created_at",
            "read",
            "read_at",
        ]

    def get_actor(self, notice: Notification) -> str | None:
        """The username of who made the change; null for one the desk made by itself."""
        return notice.actor.get_username() if notice.actor else None


class NotificationViewSet(viewsets.GenericViewSet[Notification]):
    """Your notices, newest first."""

    serializer_class = NotificationOutput
    filterset_class = NotificationFilter
    pagination_class = Pagination
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[Notification]:
        return selectors.notifications_of(self.request.user)

    def list(self, request: Request) -> Response:
        notices = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(notices)
        return self.get_paginated_response(NotificationOutput(page, many=True).data)

    def _mark(self, request: Request, pk: str, *, read: bool) -> Response:
        try:
            notice = service.notification_mark(
                user=acting_user(request), notification_id=int(pk), read=read
            )
        except Notification.DoesNotExist:
            raise NotFound(_("No such notification.")) from None
        notice = self.get_queryset().get(pk=notice.pk)
        return Response(NotificationOutput(notice).data)

    @extend_schema(request=None, responses={200: NotificationOutput}, summary="Mark read")
    @action(detail=True, methods=["post"], filter_backends=[])
    def read(self, request: Request, pk: str) -> Response:
        return self._mark(request, pk, read=True)

    @extend_schema(request=None, responses={200: NotificationOutput}, summary="Mark unread")
    @action(detail=True, methods=["post"], filter_backends=[])
    def unread(self, request: Request, pk: str) -> Response:
        return self._mark(request, pk, read=False)

    @extend_schema(
        request=None,
        responses={200: inline_serializer("MarkedRead", {"marked": serializers.IntegerField()})},
        summary="Mark every notice read",
    )
    @action(detail=False, methods=["post"], url_path="read-all", filter_backends=[])
    def read_all(self, request: Request) -> Response:
        return Response({"marked": service.notifications_mark_all_read(user=acting_user(request))})
