"""Which addresses an article fetch may reach (annotations.fetching): every address a host
name resolves to is checked before connecting, and the address the socket did connect to
before a byte is sent. Loopback, private, link-local, multicast, reserved, unspecified and
other non-public addresses are refused, in IPv4 and IPv6, IPv4 written inside IPv6 included,
unless the host is named in FACTCHECK_FETCH_ALLOWED_HOSTS."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

# NAT64's well-known prefix (RFC 6052) carries an IPv4 address in its last 32 bits.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class AddressRefused(Exception):
    """An address a hop may not connect to; `kind` says what it is (loopback, private...)."""

    def __init__(self, address: str, kind: str) -> None:
        super().__init__(f"a {kind} address {address}")
        self.address = address
        self.kind = kind

    def described(self) -> str:
        """The address and its kind, in the active language."""
        kind = _KIND_NAMES.get(self.kind, self.kind)
        return _("a %(kind)s address %(address)s") % {"kind": kind, "address": self.address}


# forbidden_kind's answers, as a message names them.
_KIND_NAMES = {
    "unspecified": gettext_lazy("unspecified"),
    "loopback": gettext_lazy("loopback"),
    "link-local": gettext_lazy("link-local"),
    "multicast": gettext_lazy("multicast"),
    "reserved": gettext_lazy("reserved"),
    "private": gettext_lazy("private"),
    "non-public": gettext_lazy("non-public"),
}


def is_allowed_host(host: str) -> bool:
    wanted = host.strip("[]").rstrip(".").lower()
    return any(
        wanted == allowed.strip("[]").rstrip(".").lower()
        for allowed in settings.FACTCHECK_FETCH_ALLOWED_HOSTS
    )


def check_resolved(host: str, port: int) -> None:
    """Raise AddressRefused if any address `host` resolves to may not be fetched: the connection
    could go to any of them. An address written as the host is checked without a lookup."""
    literal = host.strip("[]")
    try:
        addresses = [ipaddress.ip_address(literal)]
    except ValueError:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in found]
    for address in addresses:
        kind = forbidden_kind(address)
        if kind is not None:
            raise AddressRefused(str(address), kind)


def forbidden_kind(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """What makes `address` one a fetch may not reach (loopback, private...), or None when it
    is a public address."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return forbidden_kind(embedded)
    for kind, test in (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
    ):
        if test:
            return kind
    # What remains and is not global is shared or special-purpose space (100.64.0.0/10).
    return None if address.is_global else "non-public"


def check_peer(sock: socket.socket) -> None:
    peer = sock.getpeername()[0]
    address = ipaddress.ip_address(str(peer).split("%", 1)[0])
    kind = forbidden_kind(address)
    if kind is not None:
        raise AddressRefused(str(address), kind)


class GuardedHTTPConnection(HTTPConnection):
    """Checks the address the socket connected to before anything is sent on it."""

    def __init__(self, *args: Any, allow_any_address: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allow_any_address = allow_any_address

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        if not self.allow_any_address:
            try:
                check_peer(sock)
            except AddressRefused:
                sock.close()
                raise
        return sock


class GuardedHTTPSConnection(GuardedHTTPConnection, HTTPSConnection):
    """As GuardedHTTPConnection, whose check comes before the TLS handshake."""


class GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = GuardedHTTPConnection


class GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = GuardedHTTPSConnection
