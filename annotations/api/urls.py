"""The API's URLs, mounted at /api/. Add new endpoints above the catch-all at the end."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.routers import SimpleRouter

from annotations.api.articles import ArticleViewSet
from annotations.api.auth import TokenView
from annotations.api.claimants import ClaimantViewSet
from annotations.api.claims import ClaimViewSet, ReviewNextView
from annotations.api.exceptions import json_not_found
from annotations.api.export import ExportView
from annotations.api.matching import CheckedBeforeView
from annotations.api.notifications import NotificationViewSet
from annotations.api.verdicts import VerdictScaleView

router = SimpleRouter()
router.register("articles", ArticleViewSet, basename="api-article")
router.register("claims", ClaimViewSet, basename="api-claim")
router.register("claimants", ClaimantViewSet, basename="api-claimant")
router.register("notifications", NotificationViewSet, basename="api-notification")

urlpatterns: list[URLPattern | URLResolver] = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("review-queue/next/", ReviewNextView.as_view(), name="api-review-next"),
    path("claims/checked-before/", CheckedBeforeView.as_view(), name="api-checked-before"),
    path("verdicts/", VerdictScaleView.as_view(), name="api-verdicts"),
    path("export/", ExportView.as_view(), name="api-export"),
    path(
        "schema/",
        # The schema comes as YAML or JSON (?format=json), as its client asks.
        SpectacularAPIView.as_view(
            permission_classes=[AllowAny],
            authentication_classes=[],
            content_negotiation_class=DefaultContentNegotiation,
        ),
        name="api-schema",
    ),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", permission_classes=[AllowAny], authentication_classes=[]
        ),
        name="api-docs",
    ),
    *router.urls,
]

# Endpoints added on other branches go above this line.
urlpatterns.append(re_path(r"^.*$", json_not_found))
