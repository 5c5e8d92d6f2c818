"""Fetch one web page for an article import, refusing what a server must not be made to reach.

A desk member gives an address and the server fetches it, so the address is untrusted: it could
name the server's own admin ports, the cloud provider's metadata service or a machine on the
office network (server-side request forgery). `fetch` therefore:

- takes only http and https addresses that name a host;
- follows redirects itself, at most MAX_REDIRECTS, and checks every hop like the first;
- checks each hop's address twice: every address the host name resolves to before connecting,
  and the address the socket did connect to before a byte is sent, so that a name which
  resolves to a public address for the check and a private one for the connection (DNS
  rebinding) is still refused. Loopback, private, link-local, multicast, reserved and
  unspecified addresses are refused, in IPv4 and IPv6, IPv4 written inside IPv6 included,
  unless the host is named in FACTCHECK_FETCH_ALLOWED_HOSTS;
- stops reading at FACTCHECK_MAX_IMPORT_BYTES (the limit of an imported file), counting the
  bytes as they arrive, decompressed;
- gives up after FACTCHECK_FETCH_TIMEOUT seconds for the whole fetch, redirects included;
- takes only text/html and application/xhtml+xml, decoded by the charset the headers or the
  page declare.

No proxy from the environment is used: urllib3, unlike requests, reads none, so the checks
above are made on the address actually connected to.
"""

from __future__ import annotations

import codecs
import re
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin

import urllib3
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    LocationParseError,
    NameResolutionError,
    NewConnectionError,
    ReadTimeoutError,
    SSLError,
)
from urllib3.util import Url, parse_url

from annotations.fetch_guard import (
    AddressRefused,
    GuardedHTTPPool,
    GuardedHTTPSPool,
    check_resolved,
    is_allowed_host,
)

MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PAGE_TYPES = ("text/html", "application/xhtml+xml")
USER_AGENT = "factcheck article import"
_CHUNK = 64 * 1024
# Where a page may declare its charset: the HTML standard has browsers look at the first 1024
# bytes; a little more allows for long <head> preambles.
_SNIFF_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)


class FetchError(Exception):
    """The page could not be fetched; the message is one line that names the address."""


@dataclass(frozen=True)
class FetchedPage:
    url: str
    """The address the page came from, after redirects."""
    text: str


def fetch(url: str, *, timeout: float | None = None) -> FetchedPage:
    """Fetch the page at `url` under the rules in the module's docstring, within `timeout`
    seconds (default FACTCHECK_FETCH_TIMEOUT; never longer). Raises FetchError."""
    given = url.strip()
    limit = settings.FACTCHECK_FETCH_TIMEOUT
    if timeout is not None:
        limit = min(timeout, limit)
    deadline = time.monotonic() + limit
    current = given
    for hop in range(MAX_REDIRECTS + 1):
        where = _Where(given, current, hop, limit)
        target = _parse(current, where)
        response = _request(target, where, deadline)
        try:
            if response.status in REDIRECT_STATUSES:
                location = response.headers.get("Location")
                if not location:
                    raise FetchError(
                        _("%(subject)s answered %(status)s without an address")
                        % {"subject": where.subject, "status": response.status}
                    )
                current = urljoin(target.url, location.strip())
                continue
            if response.status != 200:
                raise FetchError(
                    _("%(subject)s answered %(status)s")
                    % {"subject": where.subject, "status": response.status}
                )
            content_type = response.headers.get("Content-Type", "")
            media_type = content_type.split(";", 1)[0].strip().lower()
            if media_type not in PAGE_TYPES:
                raise FetchError(
                    _("%(subject)s is not a web page (%(type)s)")
                    % {"subject": where.subject, "type": media_type or _("no type given")}
                )
            raw = _read(response, where, deadline)
            # A fragment is never sent to the server: the same page, whatever it names.
            address = target._replace(fragment=None).url
            return FetchedPage(url=address, text=_decode(raw, content_type, where))
        finally:
            response.close()
    raise FetchError(
        _("%(url)s redirects more than %(count)d times") % {"url": given, "count": MAX_REDIRECTS}
    )


@dataclass(frozen=True)
class _Where:
    """The address given, the hop being fetched and the time allowed, for messages."""

    given: str
    current: str
    hop: int
    limit: float

    @property
    def subject(self) -> str:
        """What a message is about: the address given, and the hop's when a redirect led there."""
        if self.hop == 0:
            return self.given
        return _("%(url)s redirected to %(target)s, which") % {
            "url": self.given,
            "target": self.current,
        }

    def refused(self, refusal: AddressRefused) -> FetchError:
        if self.hop == 0:
            sentence = _("%(url)s is at %(address)s, which is not allowed")
        else:
            sentence = _("%(url)s redirects to %(target)s, at %(address)s, which is not allowed")
        return FetchError(
            sentence % {"url": self.given, "target": self.current, "address": refusal.described()}
        )


def _parse(url: str, where: _Where) -> Url:
    try:
        target = parse_url(url)
    except LocationParseError:
        raise FetchError(_about(where, url, _("is not a valid address"))) from None
    scheme = (target.scheme or "").lower()
    if scheme not in ("http", "https"):
        raise FetchError(_about(where, url, _("is not an http or https address")))
    if not target.host:
        raise FetchError(_about(where, url, _("names no host")))
    return target


def _about(where: _Where, url: str, problem: str) -> str:
    if where.hop == 0:
        return _("%(url)s %(problem)s") % {"url": url, "problem": problem}
    return _("%(url)s redirects to %(target)s, which %(problem)s") % {
        "url": where.given,
        "target": url,
        "problem": problem,
    }


def _request(target: Url, where: _Where, deadline: float) -> urllib3.BaseHTTPResponse:
    host = target.host or ""
    allowed = is_allowed_host(host)
    if not allowed:
        try:
            check_resolved(host, target.port or (443 if target.scheme == "https" else 80))
        except AddressRefused as refusal:
            raise where.refused(refusal) from None
        except OSError:
            raise FetchError(
                _("%(subject)s could not be reached: no such host %(host)s")
                % {"subject": where.subject, "host": host}
            ) from None
    remaining = _remaining(deadline, where)
    pool_class = GuardedHTTPSPool if target.scheme == "https" else GuardedHTTPPool
    pool = pool_class(
        host,
        target.port,
        timeout=urllib3.Timeout(connect=remaining, read=remaining),
        retries=False,
        maxsize=1,
        allow_any_address=allowed,
    )
    try:
        return pool.urlopen(
            "GET",
            target.request_uri,
            headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml"},
            redirect=False,
            retries=False,
            preload_content=False,
            assert_same_host=False,
        )
    except AddressRefused as refusal:
        raise where.refused(refusal) from None
    except NameResolutionError:
        raise FetchError(
            _("%(subject)s could not be reached: no such host %(host)s")
            % {"subject": where.subject, "host": host}
        ) from None
    # Before the timeouts: urllib3 makes NewConnectionError a kind of ConnectTimeoutError.
    except NewConnectionError as error:
        raise FetchError(
            _("%(subject)s could not be reached (%(reason)s)")
            % {"subject": where.subject, "reason": _reason(error)}
        ) from None
    except (ConnectTimeoutError, ReadTimeoutError):
        raise _too_slow(where) from None
    except SSLError as error:
        raise FetchError(
            _("%(subject)s could not be reached securely (%(reason)s)")
            % {"subject": where.subject, "reason": _reason(error)}
        ) from None
    except HTTPError as error:
        raise FetchError(
            _("%(subject)s could not be fetched (%(reason)s)")
            % {"subject": where.subject, "reason": _reason(error)}
        ) from None


def _read(response: urllib3.BaseHTTPResponse, where: _Where, deadline: float) -> bytes:
    limit = settings.FACTCHECK_MAX_IMPORT_BYTES
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchError(
            _("%(subject)s is larger than %(size)s")
            % {"subject": where.subject, "size": _size(limit)}
        )
    chunks: list[bytes] = []
    received = 0
    sock = _socket_of(response)
    try:
        while True:
            remaining = _remaining(deadline, where)
            if sock is not None:
                # Each read may wait only for what is left of the whole fetch's time, so a
                # server that sends a byte at a time cannot stretch it.
                sock.settimeout(remaining)
            chunk = response.read1(_CHUNK)
            if not chunk:
                break
            received += len(chunk)
            if received > limit:
                raise FetchError(
                    _("%(subject)s is larger than %(size)s")
                    % {"subject": where.subject, "size": _size(limit)}
                )
            chunks.append(chunk)
    except (ReadTimeoutError, TimeoutError):
        raise _too_slow(where) from None
    except HTTPError as error:
        raise FetchError(
            _("%(subject)s could not be read (%(reason)s)")
            % {"subject": where.subject, "reason": _reason(error)}
        ) from None
    _remaining(deadline, where)
    return b"".join(chunks)


def _decode(raw: bytes, content_type: str, where: _Where) -> str:
    charset = _declared_charset(content_type) or _page_charset(raw)
    if raw.startswith(codecs.BOM_UTF8):
        charset, raw = "utf-8", raw[len(codecs.BOM_UTF8) :]
    if charset is None:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            # A page that declares nothing and is not UTF-8: the HTML standard has browsers
            # read it as windows-1252, and so do we.
            return raw.decode("windows-1252", errors="replace")
    try:
        codec = codecs.lookup(charset)
    except LookupError:
        raise FetchError(
            _("%(subject)s declares an unknown charset %(charset)r")
            % {"subject": where.subject, "charset": charset}
        ) from None
    try:
        return raw.decode(codec.name)
    except UnicodeDecodeError as error:
        raise FetchError(
            _("%(subject)s is not valid %(charset)s text (byte %(byte)d)")
            % {"subject": where.subject, "charset": charset, "byte": error.start}
        ) from None


def _declared_charset(content_type: str) -> str | None:
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip(" \"'"):
            return value.strip(" \"'")
    return None


def _page_charset(raw: bytes) -> str | None:
    match = _META_CHARSET.search(raw[:_SNIFF_BYTES])
    return match.group(1).decode("ascii") if match else None


# --- Helpers --------------------------------------------------------------------------------


def _remaining(deadline: float, where: _Where) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise _too_slow(where)
    return left


def _too_slow(where: _Where) -> FetchError:
    return FetchError(
        _("%(subject)s took longer than %(seconds)s s")
        % {"subject": where.subject, "seconds": f"{where.limit:g}"}
    )


def _socket_of(response: urllib3.BaseHTTPResponse) -> socket.socket | None:
    connection = getattr(response, "connection", None)
    sock = getattr(connection, "sock", None)
    return sock if isinstance(sock, socket.socket) else None


def _reason(error: BaseException) -> str:
    """The words of the operating system's error under urllib3's, on one line."""
    cause = error.__cause__ or error
    if isinstance(cause, ConnectionRefusedError):
        return _("connection refused")
    if isinstance(cause, OSError) and cause.strerror:
        return cause.strerror[:1].lower() + cause.strerror[1:]
    return (str(cause).splitlines() or [type(cause).__name__])[0]


def _size(limit: int) -> str:
    mb = 1024 * 1024
    if limit % mb == 0:
        return _("%(count)d MB") % {"count": limit // mb}
    return _("%(count)s bytes") % {"count": number_format(limit, force_grouping=True)}
