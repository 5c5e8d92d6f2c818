"""The API's exception handler (REST_FRAMEWORK["EXCEPTION_HANDLER"]): every error the API's
views raise becomes the one error shape of factcheck.errors.error_body.

It maps the services' Django exceptions (ValidationError, PermissionDenied, Http404),
Claim.DoesNotExist (no claim the user may see under that id, found by a service's locked
read), our Conflict and DRF's own errors. Anything else is a bug and is left to Django's 500
handling (factcheck.errors.server_error), so it is logged rather than disguised.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from annotations.errors import Conflict, InvalidTransition, StaleVersion
from annotations.models import Claim
from factcheck.errors import error_body, json_error, message_of

NON_FIELD = "non_field_errors"

_DEFAULT_MESSAGES = {
    400: gettext_lazy("The request is not valid."),
    403: gettext_lazy("You may not do that."),
    404: gettext_lazy("Not found."),
}


def api_exception_handler(exc: Exception, context: Mapping[str, Any]) -> Response | None:
    """Turn `exc` into an error answer, or return None to let it become a 500."""
    if isinstance(exc, DjangoValidationError):
        exc = _from_django_validation_error(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(message_of(exc, str(_DEFAULT_MESSAGES[404])))
    elif isinstance(exc, Claim.DoesNotExist):
        exc = exceptions.NotFound(_("No such claim."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(message_of(exc, str(_DEFAULT_MESSAGES[403])))

    if isinstance(exc, Conflict):
        set_rollback()
        return Response(
            error_body(
                status.HTTP_409_CONFLICT,
                _conflict_code(exc),
                exc.message,
                current_version=exc.current_version,
            ),
            status=status.HTTP_409_CONFLICT,
        )
    if not isinstance(exc, exceptions.APIException):
        return None

    headers: dict[str, str] = {}
    auth_header = getattr(exc, "auth_header", None)
    if auth_header:
        headers["WWW-Authenticate"] = auth_header
    wait = getattr(exc, "wait", None)
    if wait:
        headers["Retry-After"] = str(int(wait))
    set_rollback()

    if isinstance(exc, exceptions.ValidationError):
        fields = flatten_field_errors(exc.detail)
        message = _summary(fields)
        body = error_body(exc.status_code, "invalid", message, fields=fields)
    else:
        body = error_body(exc.status_code, _code_of(exc), str(exc.detail))
    return Response(body, status=exc.status_code, headers=headers)


def flatten_field_errors(detail: Any) -> dict[str, list[str]]:
    """DRF's nested error detail as {top-level field: [sentences]}.

    Errors inside nested objects and lists stay under their top-level field and name where
    they are (`Item 2, url: Enter a valid URL.`), so a client can always look errors up by
    the field it sent.
    """
    if isinstance(detail, Mapping):
        return {str(name): _messages(value) for name, value in detail.items()}
    return {NON_FIELD: _messages(detail)}


@csrf_exempt  # There is nothing here to protect, and the answer must stay JSON.
def json_not_found(request: HttpRequest, *args: object, **kwargs: object) -> JsonResponse:
    """404 for paths under /api/ that match no endpoint, in the API's error shape."""
    return json_error(404, "not_found", _("No such API endpoint."))


def _messages(detail: Any, where: str = "") -> list[str]:
    prefix = f"{where}: " if where else ""
    if isinstance(detail, Mapping):
        found: list[str] = []
        for name, value in detail.items():
            found.extend(_messages(value, f"{where}, {name}" if where else str(name)))
        return found
    if isinstance(detail, Sequence) and not isinstance(detail, str):
        found = []
        for index, value in enumerate(detail):
            if isinstance(value, Mapping | list) and value:
                found.extend(
                    _messages(value, f"{where}, item {index + 1}" if where else f"Item {index + 1}")
                )
            elif value:
                found.extend(_messages(value, where))
        return found
    return [f"{prefix}{detail}"]


def _summary(fields: Mapping[str, list[str]]) -> str:
    if list(fields) == [NON_FIELD]:
        return fields[NON_FIELD][0]
    names = ", ".join(name for name in fields if name != NON_FIELD)
    return (
        _("Invalid input: %(names)s.") % {"names": names} if names else str(_DEFAULT_MESSAGES[400])
    )


def _from_django_validation_error(error: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(error, "error_dict"):
        named = {
            (NON_FIELD if name == "__all__" else name): list(messages)
            for name, messages in error.message_dict.items()
        }
        return exceptions.ValidationError(named)
    return exceptions.ValidationError({NON_FIELD: list(error.messages)})


def _code_of(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else exc.default_code


def _conflict_code(exc: Conflict) -> str:
    if isinstance(exc, StaleVersion):
        return "stale_version"
    if isinstance(exc, InvalidTransition):
        return "invalid_transition"
    return "conflict"
