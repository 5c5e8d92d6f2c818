"""Tokens for scripts: trade a username and password for the user's API token."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.serializers import TokenInput, TokenOutput


class TokenView(APIView):
    """POST {"username", "password"} -> {"token"}: the same token every time until revoked."""

    # Credentials are the whole point here: no session, so no CSRF to satisfy.
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(request=TokenInput, responses={200: TokenOutput}, auth=[])
    def post(self, request: Request) -> Response:
        given = TokenInput(data=request.data)
        given.is_valid(raise_exception=True)
        user = authenticate(
            request=request,
            username=given.validated_data["username"],
            password=given.validated_data["password"],
        )
        if user is None:
            # django-axes marks the request when the account or the client is locked out;
            # the answer then matches the sign-in page's 429, whatever the password was.
            if getattr(request, "axes_locked_out", False):
                raise Throttled(
                    detail="Too many failed sign-ins. Try again later.",
                    wait=settings.AXES_COOLOFF_TIME.total_seconds(),
                )
            raise serializers.ValidationError(
                {"non_field_errors": ["Unable to log in with the username and password given."]}
            )
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
