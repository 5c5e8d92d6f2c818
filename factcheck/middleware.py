"""Request guards that hold for every view: body size, NUL in the query string, and a
database that is away (under /api/ their answers are the API's JSON errors); and the reader's
language and time zone for the pages."""

from __future__ import annotations

import logging
import zoneinfo
from collections.abc import Callable
from urllib.parse import unquote_plus

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from factcheck.errors import is_api, json_error, static_error_page

log = logging.getLogger(__name__)


def _error(
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    fields: dict[str, list[str]] | None = None,
) -> HttpResponse:
    if is_api(request):
        return json_error(status, code, message, fields=fields)
    heading = {413: _("Too large"), 503: _("Try again shortly")}.get(status, _("Bad request"))
    return static_error_page(status, heading, message)


class RequestSizeLimitMiddleware:
    """Refuse a body larger than FACTCHECK_MAX_REQUEST_BYTES with 413 before anything reads it.

    Django's own limit answers 400 and only once the body is read; a client deserves to know
    the request was too large, and the server should not buffer it first.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.FACTCHECK_MAX_REQUEST_BYTES
        declared = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(declared)
        except ValueError:
            return _error(request, 400, "bad_content_length", "Content-Length is not a number.")
        if length > limit:
            return _error(
                request,
                413,
                "request_too_large",
                f"The request body is {length:,} bytes; the limit is {limit:,} bytes.",
            )
        return self.get_response(request)


class QueryStringNulMiddleware:
    """Refuse a query string that holds a NUL character (%00) with 400, for every view.

    PostgreSQL cannot store or compare text with NUL in it: a filter or search that passes one
    to a query fails inside the database driver. Forms and filters refuse it where they
    validate; this catches every parameter nobody declared (the admin's search, a page number).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in unquote_plus(query):
            names = sorted({name for name, value in request.GET.lists() if _has_nul(name, value)})
            where = f" (in {', '.join(names)})" if names else ""
            return _error(
                request,
                400,
                "nul_character",
                f"The query string contains a NUL character (%00){where}.",
                {name: ["Must not contain a NUL character."] for name in names},
            )
        return self.get_response(request)


def _has_nul(name: str, values: list[str]) -> bool:
    return "\x00" in name or any("\x00" in value for value in values)


class DatabaseUnavailableMiddleware:
    """Answer 503 (retry later) when the database connection fails mid-request.

    The transaction of the request is rolled back by the database; Django drops the broken
    connection at the end of the request (CONN_HEALTH_CHECKS), so the next request reconnects.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError) or (
            isinstance(exception, DatabaseError) and _connection_lost(exception)
        ):
            log.error(
                "database unavailable during %s %s: %s", request.method, request.path, exception
            )
            response = _error(
                request,
                503,
                "database_unavailable",
                "The database is unavailable; try again shortly.",
            )
            response["Retry-After"] = "5"
            return response
        return None


def _connection_lost(exception: DatabaseError) -> bool:
    text = str(exception).lower()
    return "terminating connection" in text or "server closed the connection" in text


class ReaderPreferencesMiddleware:
    """Show each page in its reader's language and time zone (annotations.time_zones): their
    own choice, else their browser's (LocaleMiddleware has read Accept-Language), else the
    desk's.

    The API writes its times in UTC (ISO 8601) for everyone. It answers programs (a token,
    or nobody signed in) in English, whatever language they ask for: its messages are a
    contract. The desk's own page scripts call it with the reader's session and show its
    refusals to that reader; they ask in their page's language (Accept-Language, set by
    annotations/static/annotations/api.js), so those answers need no read of the reader's
    settings."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_api(request):
            if not _signed_in_by_session(request):
                translation.activate(settings.LANGUAGE_CODE)
                request.LANGUAGE_CODE = settings.LANGUAGE_CODE
            return self.get_response(request)
        from annotations.time_zones import reader_preferences

        zone, language = reader_preferences(request)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        with timezone.override(zoneinfo.ZoneInfo(zone)):
            return self.get_response(request)


def _signed_in_by_session(request: HttpRequest) -> bool:
    """Whether the request comes from a reader signed in on the desk's pages: a session user,
    and no Authorization header (the API takes a token first, so such a request is a
    program's, whatever cookie it carries)."""
    return "HTTP_AUTHORIZATION" not in request.META and request.user.is_authenticated
