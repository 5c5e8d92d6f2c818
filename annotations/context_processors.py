"""What every page's navigation shows a signed-in person of their own work."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from annotations import selectors


def desk(request: HttpRequest) -> dict[str, Any]:
    """`desk_counts`: the user's unread notices and claims sent back to them
    (selectors.DeskCounts), read by one query the first time a template asks, never on a
    page that does not show them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"desk_counts": SimpleLazyObject(lambda: selectors.desk_counts(user))}
