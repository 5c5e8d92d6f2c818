"""The signed-in user of a request, typed as the services take it."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from rest_framework.request import Request


def acting_user(request: HttpRequest | Request) -> User:
    """The active, signed-in user making `request` (the views that ask require sign-in:
    DRF's IsAuthenticated, Django's login_required); PermissionDenied for anyone else."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied("Sign in first.")
    return user
