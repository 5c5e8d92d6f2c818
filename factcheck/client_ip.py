"""The client's IP address, trusting X-Forwarded-For only as far as our own proxies.

With TRUSTED_PROXY_COUNT=0 (the default) the socket's address is the client. Behind N proxies
that each append to X-Forwarded-For, the client is the N-th address from the right: anything
further left was written by the client itself and cannot be trusted.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.FACTCHECK_TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if count == 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    return str(hops[-min(count, len(hops))])
