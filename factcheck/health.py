"""Liveness: the cheapest answer the application can give."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """200 "ok" while the process serves requests. Touches neither the database nor the
    session, so a load balancer may poll it often, and the benchmarks use it as the floor:
    the cost of a request through this stack that does no work of its own."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
