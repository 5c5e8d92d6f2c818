"""One shape for every error answer under /api/, whoever gives it: the API's exception
handler, the request guards (factcheck.middleware) and Django's error views.

    {"error": {"status": 400, "code": "invalid", "message": "...", "fields": {"start": ["..."]}}}

`fields` is present when the error names input fields; 409 answers also carry
`current_version` when the claim's version is known. Outside /api/ every error is a page of
the desk saying why and where to go next: templates/error.html, with the desk's header, for
400, 403 and 404; templates/error_static.html, which asks nothing of the database, for 500
and for the request guards (factcheck.middleware: 400, 413, 503).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


def error_body(
    status: int,
    code: str,
    message: str,
    *,
    fields: Mapping[str, list[str]] | None = None,
    current_version: int | None = None,
) -> dict[str, Any]:
    """The error document: every JSON error answer is built here."""
    error: dict[str, Any] = {"status": status, "code": code, "message": message}
    if fields:
        error["fields"] = dict(fields)
    if current_version is not None:
        error["current_version"] = current_version
    return {"error": error}


def json_error(
    status: int, code: str, message: str, *, fields: Mapping[str, list[str]] | None = None
) -> JsonResponse:
    return JsonResponse(error_body(status, code, message, fields=fields), status=status)


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return json_error(400, "bad_request", "The request is not valid.")
    # The desk's own BadRequest says what is wrong; Django's SuspiciousOperations may name
    # internals (a host header, a file path), so they get the general sentence.
    message = _("The request is not valid.")
    if isinstance(exception, BadRequest):
        message = message_of(exception, message)
    return error_page(request, 400, _("Bad request"), message)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    message = message_of(exception, _("You may not do that."))
    if is_api(request):
        return json_error(403, "permission_denied", message)
    return error_page(
        request,
        403,
        _("Not allowed"),
        message,
        _("If your work needs it, ask an admin of the desk to change your role."),
    )


def error_page(
    request: HttpRequest, status: int, heading: str, message: str, hint: str = ""
) -> HttpResponse:
    """A page of the desk, with its header and the reader's session."""
    context = {"status": status, "heading": heading, "message": message, "hint": hint}
    return render(request, "error.html", context, status=status)


def static_error_page(status: int, heading: str, message: str, hint: str = "") -> HttpResponse:
    """A page rendered without the request, so without the context processors: it reads no
    session and no user, and shows even when the database is away."""
    context = {"status": status, "heading": heading, "message": message, "hint": hint}
    return HttpResponse(loader.get_template("error_static.html").render(context), status=status)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return json_error(404, "not_found", "No such API endpoint.")
    return error_page(
        request,
        404,
        _("Page not found"),
        _("There is no page at this address, or it is not yours to see."),
        _("Check the address, or start again from the articles or the published fact-checks."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return json_error(500, "server_error", "Something went wrong on our side; it is logged.")
    return static_error_page(
        500,
        _("Something went wrong on our side"),
        _(
            "The error is logged and nothing you sent was half-saved: a change is stored whole "
            "or not at all."
        ),
        _(
            "Try again in a moment; if it happens again, tell the desk's administrator what "
            "you were doing and when."
        ),
    )


def message_of(exception: Exception, default: str) -> str:
    """The exception's own message, or `default` when it has none."""
    return str(exception.args[0]) if exception.args and exception.args[0] else default
