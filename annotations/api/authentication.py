"""Token authentication for the API (`Authorization: Token <key>`; scripts get their key from
TokenView). Kept apart from the views: DRF imports its authentication classes while it loads
its own views."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from annotations import permissions


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, with the same answers, reading the user and the user's
    role in one query (permissions.user_by_token) instead of two. It reads DRF's own Token
    table; setting `model` to another token model would not be honoured."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        user = permissions.user_by_token(key)
        if user is None:
            raise AuthenticationFailed(_("Invalid token."))
        if not user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        # request.auth is the token, as DRF gives it, with its user already known; its
        # creation time is read only if asked for.
        token = Token.from_db(user._state.db, ["key", "user_id"], [key, user.pk])
        token.user = user
        return user, token
