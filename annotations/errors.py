"""Exceptions the services raise besides Django's ValidationError and PermissionDenied."""

from __future__ import annotations

from django.utils.translation import gettext as _


class Conflict(Exception):
    """The write was made against a state that has changed since (HTTP 409)."""

    def __init__(self, message: str, *, current_version: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.current_version = current_version


class StaleVersion(Conflict):
    def __init__(self, *, sent: int, current: int) -> None:
        super().__init__(
            _(
                "This claim was changed by someone else (you sent version %(sent)d, it is now "
                "at version %(current)d). Reload it and try again."
            )
            % {"sent": sent, "current": current},
            current_version=current,
        )


class InvalidTransition(Conflict):
    pass


def refusal_message(refusal: Exception) -> str:
    """The sentence to show for a write the services refused (a Conflict, Django's
    PermissionDenied or ValidationError), the same in the pages, the admin and the commands."""
    from django.core.exceptions import ValidationError

    if isinstance(refusal, Conflict):
        return refusal.message
    if isinstance(refusal, ValidationError):
        return " ".join(refusal.messages)
    return str(refusal) or _("You may not do that.")
