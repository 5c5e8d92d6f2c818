"""Articles: the list (searchable by title), import by admins (the text itself, or the address
of a page to fetch), one article with its body, and an article together with the claims on
it, which the annotation page loads."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from annotations import selectors, services
from annotations.api.filters import ArticleFilter
from annotations.api.pagination import Pagination
from annotations.api.revisions import (
    CheckOutput,
    RevisionDetailOutput,
    RevisionOutput,
    check_output,
)
from annotations.api.serializers import (
    ArticleAnnotationsOutput,
    ArticleCreateInput,
    ArticleDetailOutput,
    ArticleOutput,
    StrictInput,
)
from annotations.encoding import to_json
from annotations.models import Article, RevisionKind
from annotations.outputs import claim_outputs
from annotations.request_user import acting_user
from annotations.services.articles import article_import_from_url
from annotations.services.revisions import article_check, current_number


class ArticleFromUrlInput(StrictInput):
    url = serializers.CharField(
        max_length=2000,
        help_text="The http(s) address of the article's page; the server fetches it.",
    )

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict) and "body" in data:
            raise serializers.ValidationError(
                {"body": [_("Send either url, to fetch the page, or body, not both.")]}
            )
        return super().to_internal_value(data)


ARTICLE_IMPORT_INPUT = PolymorphicProxySerializer(
    component_name="ArticleImportInput",
    serializers=[ArticleCreateInput, ArticleFromUrlInput],
    resource_type_field_name=None,
)


class ArticleViewSet(viewsets.GenericViewSet[Article]):
    serializer_class = ArticleOutput
    filterset_class = ArticleFilter
    pagination_class = Pagination
    lookup_value_regex = "[0-9]+"

    def get_queryset(self) -> QuerySet[Article]:
        return selectors.articles_visible_to(self.request.user)

    def get_object(self) -> Article:
        return selectors.article_visible_to(self.request.user, self.kwargs["pk"])

    @extend_schema(responses={200: ArticleOutput(many=True)})
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(ArticleOutput(page, many=True).data)

    @extend_schema(
        request=ARTICLE_IMPORT_INPUT,
        responses={201: ArticleDetailOutput, 200: ArticleDetailOutput},
        description="Import an article (admins): its text as `body` with its metadata, or "
        "`url`, the address of its page, which the server fetches (public http(s) addresses "
        "only, within a size and a time limit: docs/import-formats.md) and extracts the "
        "article from. 201 when stored; 200 with the article that already holds exactly this "
        "text, or with the article imported from the same address, whose text this becomes "
        "as its next revision (its claims re-anchored: docs/articles.md). A page that cannot be fetched or imported is a 400 naming `url`, whose message "
        "says why.",
    )
    def create(self, request: Request) -> Response:
        user = acting_user(request)
        if isinstance(request.data, dict) and "url" in request.data:
            by_address = ArticleFromUrlInput(data=request.data)
            by_address.is_valid(raise_exception=True)
            outcome = article_import_from_url(
                url=by_address.validated_data["url"], imported_by=user
            )
        else:
            given = ArticleCreateInput(data=request.data)
            given.is_valid(raise_exception=True)
            outcome = services.article_import(
                imported_by=user, kind=RevisionKind.API, **given.validated_data
            )
        return Response(
            ArticleDetailOutput(outcome.article).data,
            status=status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK,
        )

    @extend_schema(responses={200: ArticleDetailOutput})
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(ArticleDetailOutput(self.get_object()).data)

    @extend_schema(responses={200: ArticleAnnotationsOutput})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def annotations(self, request: Request, pk: str) -> HttpResponse:
        """The article with its body and every claim on it the user may see, in document
        order. The number of queries does not depend on the number of claims.

        Answered as encoded JSON rather than a DRF Response: a Response and its view refer to
        each other, so the whole article and its claims would stay in memory until Python's
        cycle collector ran; the encoded bytes are freed as soon as they are sent."""
        article = self.get_object()
        claims = selectors.claims_of_article(request.user, article)
        payload = {"article": ArticleDetailOutput(article).data, "claims": claim_outputs(claims)}
        return HttpResponse(to_json(payload), content_type="application/json")

    @extend_schema(responses={200: RevisionOutput(many=True)})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def revisions(self, request: Request, pk: str) -> Response:
        """Every revision of the article's text, first to latest, without the text itself."""
        article = self.get_object()
        rows = selectors.revisions_of(article)
        context = {"current_revision_id": article.current_revision_id}
        return Response(RevisionOutput(rows, many=True, context=context).data)

    @extend_schema(responses={200: RevisionDetailOutput})
    @action(
        detail=True,
        methods=["get"],
        url_path=r"revisions/(?P<number>[0-9]+)",
        filter_backends=[],
        pagination_class=None,
    )
    def revision(self, request: Request, pk: str, number: str) -> Response:
        """One revision with its text, and what became of each claim you may see when it
        arrived (its re-anchoring outcomes; none for revision 1)."""
        article = self.get_object()
        revision = selectors.revision_of(article, number)
        context = {
            "current_revision_id": article.current_revision_id,
            "reanchorings": selectors.reanchorings_in(request.user, revision),
        }
        return Response(RevisionDetailOutput(revision, context=context).data)

    @extend_schema(
        request=None,
        responses={200: CheckOutput},
        description="Fetch the article again from its address and record a new revision if "
        "its text changed, re-anchoring its claims (docs/articles.md). Editors, reviewers and "
        "admins. An article without an address, or a page that cannot be fetched or holds no "
        "article, is a 400 naming `url`; nothing is stored then.",
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def check(self, request: Request, pk: str) -> Response:
        article = self.get_object()
        outcome = article_check(article_id=article.pk, actor=acting_user(request))
        return Response(CheckOutput(check_output(outcome, current_number(article))).data)
