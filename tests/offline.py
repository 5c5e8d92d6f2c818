"""No test reaches the internet: name lookups answer only for this machine.

The desk fetches pages from web addresses (annotations.fetching), and the API's schema-driven
fuzz test sends it addresses of its own invention; without this guard they would be looked
up and connected to. Only this machine's names and the database's host are looked up; any
other lookup fails as an unknown name would, and the error says why.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

LOCAL_NAMES = frozenset({"localhost", "localhost.", "ip6-localhost"})
_real_getaddrinfo = socket.getaddrinfo


def local_only_getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
    name = host.decode() if isinstance(host, bytes) else host
    if name is None or _is_loopback(str(name)) or str(name).lower() in _known_names():
        return _real_getaddrinfo(host, port, *args, **kwargs)
    raise socket.gaierror(
        socket.EAI_NONAME, f"the tests do not reach the internet (looked up {name})"
    )


def _known_names() -> set[str]:
    from django.conf import settings

    hosts = {str(database.get("HOST") or "").lower() for database in settings.DATABASES.values()}
    return set(LOCAL_NAMES) | hosts


def _is_loopback(name: str) -> bool:
    try:
        return ipaddress.ip_address(name.strip("[]")).is_loopback
    except ValueError:
        return False
