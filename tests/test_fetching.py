"""annotations.fetching against a server on 127.0.0.1 (allowed by FETCH_ALLOWED_HOSTS for
these tests): what is fetched, and every address, size, time and type that is refused."""

from __future__ import annotations

import ipaddress
import runpy
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.exceptions import ImproperlyConfigured

from annotations.fetch_guard import forbidden_kind
from annotations.fetching import FetchError, fetch
from annotations.importers import parse_html
from tests import offline
from tests.page_server import PageServer, closed_port

SETTINGS = Path(__file__).resolve().parent.parent / "factcheck" / "settings.py"


@pytest.fixture(scope="module")
def server() -> Iterator[PageServer]:
    with PageServer() as running:
        yield running


@pytest.fixture(autouse=True)
def _allow_the_test_server(settings: Any) -> None:
    settings.FACTCHECK_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]


def refused(url: str) -> str:
    with pytest.raises(FetchError) as caught:
        fetch(url)
    message = str(caught.value)
    assert "\n" not in message
    return message


def via_redirect(server: PageServer, to: str, status: int = 302) -> str:
    return server.url(f"/redirect?to={quote(to, safe='')}&status={status}")


# --- Pages and their text -------------------------------------------------------------------


def test_an_english_page_gives_its_article_and_metadata(server: PageServer) -> None:
    page = fetch(server.url("/en/harbour-traffic"))
    assert page.url == server.url("/en/harbour-traffic")
    data = parse_html(page.text)
    assert data.title == "Harbour traffic doubled last year, port authority says"
    assert data.byline == "Alice Reporter"
    assert str(data.published_on) == "2026-03-04"
    assert data.publisher == "Harbour Gazette"
    assert data.language == "en-GB"
    assert data.body.startswith("The port handled twice as many ships in 2025")
    assert '"We received 4,812 vessels, against 2,390 the year before,"' in data.body
    for chrome in ("Subscribe", "Ferry timetable", "Privacy", "dataLayer", "pageview"):
        assert chrome not in data.body


def test_a_french_page_is_decoded_by_the_charset_its_headers_name(server: PageServer) -> None:
    data = parse_html(fetch(server.url("/fr/budget")).text)
    assert data.title == "Le conseil municipal adopte un budget en hausse de 10 %"
    assert data.byline == "Jeanne Martin"
    assert str(data.published_on) == "2026-02-17"
    assert data.language == "fr"
    assert "4,2 millions d’euros" in data.body
    assert "l’opposition" in data.body
    assert "Mentions légales" not in data.body


def test_a_russian_page_is_decoded_by_the_charset_its_meta_names(server: PageServer) -> None:
    data = parse_html(fetch(server.url("/ru/schools")).text)
    assert data.title == "В городе откроют три новые школы к 2027 году"
    assert data.byline == "Иван Петров"
    assert str(data.published_on) == "2026-01-22"
    assert data.language == "ru"
    assert "обойдётся бюджету в 5,4 миллиарда рублей" in data.body
    assert "Все права защищены" not in data.body


# --- Redirects ------------------------------------------------------------------------------


def test_redirects_are_followed_and_the_final_address_kept(server: PageServer) -> None:
    page = fetch(server.url("/hops/5"))
    assert page.url == server.url("/en/harbour-traffic")
    assert "port authority" in page.text


def test_more_than_five_redirects_are_refused(server: PageServer) -> None:
    assert refused(server.url("/hops/6")) == f"{server.url('/hops/6')} redirects more than 5 times"
    assert "redirects more than 5 times" in refused(server.url("/loop"))


@pytest.mark.parametrize(
    ("host", "address", "kind"),
    [
        ("localhost", "127.0.0.1", "loopback"),
        ("[::1]", "::1", "loopback"),
        ("[::ffff:127.0.0.1]", "::ffff:7f00:1", "loopback"),
        ("10.0.0.1", "10.0.0.1", "private"),
        ("192.168.1.20", "192.168.1.20", "private"),
        ("169.254.169.254", "169.254.169.254", "link-local"),
        ("[fe80::1]", "fe80::1", "link-local"),
        ("0.0.0.0", "0.0.0.0", "unspecified"),  # noqa: S104 - a target refused, not bound
        ("224.0.0.1", "224.0.0.1", "multicast"),
    ],
)
def test_a_redirect_from_an_allowed_host_to_a_private_address_is_refused(
    server: PageServer, host: str, address: str, kind: str
) -> None:
    """localhost is 127.0.0.1 under another name: only the name written in the setting is
    allowed. No request reaches the hop."""
    hop = f"http://{host}:{server.port}/en/harbour-traffic"
    start = via_redirect(server, hop)
    served = len(server.requests)
    assert refused(start) == (
        f"{start} redirects to {hop}, at a {kind} address {address}, which is not allowed"
    )
    assert len(server.requests) == served + 1  # the redirect only


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_every_redirect_status_is_checked(server: PageServer, status: int) -> None:
    assert "at a private address 10.1.2.3" in refused(
        via_redirect(server, "http://10.1.2.3/", status)
    )


def test_a_redirect_to_another_scheme_is_refused(server: PageServer) -> None:
    start = via_redirect(server, "file:///etc/passwd")
    assert refused(start) == (
        f"{start} redirects to file:///etc/passwd, which is not an http or https address"
    )


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_name_that_resolves_to_a_public_address_then_connects_to_a_private_one_is_refused(
    server: PageServer, monkeypatch: pytest.MonkeyPatch, scheme: str
) -> None:
    """DNS rebinding: the lookup before connecting says public, the connection's own lookup
    says 127.0.0.1. The address the socket connected to is what is checked, before anything
    is sent (for https, before the TLS handshake)."""
    real = socket.getaddrinfo
    lookups: list[str] = []

    def rebinding(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != "news.rebinding.test":
            return real(host, port, *args, **kwargs)
        lookups.append(host)
        address = "93.184.216.34" if len(lookups) == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    url = f"{scheme}://news.rebinding.test:{server.port}/en/harbour-traffic"
    served = len(server.requests)
    assert refused(url) == f"{url} is at a loopback address 127.0.0.1, which is not allowed"
    assert len(lookups) == 2
    assert len(server.requests) == served  # connected, then closed before sending anything


def test_https_goes_through_tls(server: PageServer) -> None:
    """The test server speaks plain HTTP, so the handshake fails, and says so."""
    url = server.url("/en/harbour-traffic").replace("http://", "https://")
    assert refused(url).startswith(f"{url} could not be reached securely (")


def test_a_name_is_refused_if_any_of_its_addresses_is_private(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def two_addresses(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", two_addresses)
    assert "at a private address 10.0.0.7" in refused("http://mixed.example.test/")


# --- Schemes and addresses given ------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://ftp.example.org/article.html",
        "javascript:alert(1)",
        "data:text/html,<p>hello</p>",
        "gopher://127.0.0.1:70/",
    ],
)
def test_only_http_and_https_are_fetched(url: str) -> None:
    assert refused(url) == f"{url} is not an http or https address"


def test_an_address_without_a_host_is_refused() -> None:
    assert refused("http:///path") == "http:///path names no host"


@pytest.mark.parametrize(
    "url", ["http://10.0.0.1/", "http://[::1]/", "https://169.254.169.254/latest/meta-data/"]
)
def test_a_private_address_given_directly_is_refused(url: str) -> None:
    assert refused(url).startswith(f"{url} is at a ")


@pytest.mark.parametrize("host", ["2130706433", "0x7f000001", "127.1", "017700000001"])
def test_loopback_written_in_other_notations_is_refused(
    monkeypatch: pytest.MonkeyPatch, host: str
) -> None:
    """The system's resolver reads these as 127.0.0.1 without asking any server, so the
    offline guard of the tests is lifted for them."""
    monkeypatch.setattr(socket, "getaddrinfo", offline._real_getaddrinfo)
    url = f"http://{host}/"
    assert refused(url) == f"{url} is at a loopback address 127.0.0.1, which is not allowed"


def test_the_setting_names_hosts_not_addresses(server: PageServer, settings: Any) -> None:
    settings.FACTCHECK_FETCH_ALLOWED_HOSTS = ["localhost"]
    assert "at a loopback address 127.0.0.1" in refused(server.url("/en/harbour-traffic"))
    page = fetch(server.url("/en/harbour-traffic", host="localhost"))
    assert "port authority" in page.text


# --- Limits and answers ---------------------------------------------------------------------


def test_a_page_over_the_size_limit_is_refused_by_its_length(server: PageServer) -> None:
    assert refused(server.url("/big")) == f"{server.url('/big')} is larger than 5 MB"


def test_a_page_over_the_size_limit_is_refused_while_reading(server: PageServer) -> None:
    """No Content-Length: the limit holds as the bytes arrive."""
    assert refused(server.url("/endless")) == f"{server.url('/endless')} is larger than 5 MB"


def test_a_slow_page_is_refused(server: PageServer, settings: Any) -> None:
    settings.FACTCHECK_FETCH_TIMEOUT = 0.5
    url = server.url("/slow?seconds=3")
    assert refused(url) == f"{url} took longer than 0.5 s"


def test_a_page_that_trickles_is_refused_at_the_total_limit(
    server: PageServer, settings: Any
) -> None:
    settings.FACTCHECK_FETCH_TIMEOUT = 0.5
    assert refused(server.url("/drip")) == f"{server.url('/drip')} took longer than 0.5 s"


def test_a_page_that_is_not_html_is_refused(server: PageServer) -> None:
    assert refused(server.url("/image")) == f"{server.url('/image')} is not a web page (image/png)"


def test_an_error_status_is_refused(server: PageServer) -> None:
    assert refused(server.url("/gone")) == f"{server.url('/gone')} answered 404"


def test_an_error_after_a_redirect_names_both_addresses(server: PageServer) -> None:
    start = via_redirect(server, "/gone")
    assert refused(start) == f"{start} redirected to {server.url('/gone')}, which answered 404"


def test_a_refused_connection_is_reported() -> None:
    url = f"http://127.0.0.1:{closed_port()}/article"
    assert refused(url) == f"{url} could not be reached (connection refused)"


def test_an_unknown_host_is_reported() -> None:
    assert refused("https://no-such-host.invalid/a") == (
        "https://no-such-host.invalid/a could not be reached: no such host no-such-host.invalid"
    )


# --- The address rule -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.53", "loopback"),
        ("::1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("64:ff9b::a9fe:a9fe", "link-local"),  # NAT64 of 169.254.169.254
        ("2002:7f00:1::", "loopback"),  # 6to4 of 127.0.0.1
        ("fc00::5", "private"),
        ("ff02::1", "multicast"),
        ("239.255.255.250", "multicast"),
        ("100.64.0.1", "non-public"),
        ("240.0.0.1", "reserved"),
        ("::", "unspecified"),
        ("93.184.216.34", None),
        ("2606:4700:4700::1111", None),
    ],
)
def test_addresses_are_classified(address: str, kind: str | None) -> None:
    assert forbidden_kind(ipaddress.ip_address(address)) == kind


# --- The setting ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["http://intranet.example.org", "intranet.example.org:8080", "[::1]:80", "a/b"]
)
def test_an_allowed_host_that_is_not_a_host_stops_start_up(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite:///:memory:")
    monkeypatch.setenv("SECRET_KEY", "tests-only-not-a-secret")
    monkeypatch.setenv("FETCH_ALLOWED_HOSTS", f"news.example.org, {value}")
    with pytest.raises(ImproperlyConfigured) as raised:
        runpy.run_path(str(SETTINGS))
    assert str(raised.value).startswith(f"FETCH_ALLOWED_HOSTS entry {value!r} must be a host")


def test_allowed_hosts_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite:///:memory:")
    monkeypatch.setenv("SECRET_KEY", "tests-only-not-a-secret")
    monkeypatch.setenv("FETCH_ALLOWED_HOSTS", "intranet.example.org, 10.0.0.5,::1")
    loaded = runpy.run_path(str(SETTINGS))
    assert loaded["FACTCHECK_FETCH_ALLOWED_HOSTS"] == ["intranet.example.org", "10.0.0.5", "::1"]
