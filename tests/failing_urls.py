"""A URLconf with one view that fails, for the server-error page's test."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug, for the test")


urlpatterns = [path("fails/", fails), path("", include("factcheck.urls"))]
handler500 = "factcheck.errors.server_error"
