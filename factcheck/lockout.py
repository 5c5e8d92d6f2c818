"""The answer to a sign-in refused by django-axes' lockout (AXES_LOCKOUT_CALLABLE)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from factcheck.errors import is_api, json_error


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """429 with Retry-After: the cool-off, after which the account or client may try again.
    The API's error shape under /api/, a plain sentence on the sign-in page."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    minutes = max(1, round(seconds / 60))
    message = f"Too many failed sign-ins. Try again in {minutes} minute(s)."
    response: HttpResponse
    if is_api(request):
        response = json_error(429, "locked_out", message)
    else:
        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(seconds)
    return response
