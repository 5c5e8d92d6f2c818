"""Rate limits for API writes, per user (or per client address when anonymous)."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from factcheck.client_ip import client_ip

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class WriteRateThrottle(SimpleRateThrottle):
    """Reads are free; every write counts against API_WRITE_RATE (default 120 per minute)."""

    scope = "writes"

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)

    def get_cache_key(self, request: Request, view: Any) -> str:
        user = request.user
        ident = f"user-{user.pk}" if user and user.is_authenticated else f"ip-{client_ip(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
