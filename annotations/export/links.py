"""Where a claim and an article are on the web, as the JSON-LD formats and the public page
name them.

Links are absolute. Their base is PUBLIC_BASE_URL when it is set. Otherwise it is the address
the request being answered came to (its scheme, and the host Django accepted under
ALLOWED_HOSTS), so that a desk served on another port or name links to itself; a caller that
answers a request says so with `linking_for` or `streamed_for`. With neither (a management
command), it is DEFAULT_BASE_URL, where `make run` serves by default.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix

from annotations.models import Article

DEFAULT_BASE_URL = "http://127.0.0.1:8000"

# A context variable, as Django keeps the active language and time zone: the export formats
# stay functions of the claims, and a streamed export, written after its view has returned,
# still links to the address of its request.
_request_base: ContextVar[str | None] = ContextVar("factcheck_request_base", default=None)


def base_url() -> str:
    """The absolute base of the desk's links, without a trailing slash."""
    return settings.FACTCHECK_PUBLIC_BASE_URL or _request_base.get() or DEFAULT_BASE_URL


def publisher_url() -> str:
    """The publishing organisation's address: PUBLISHER_URL, else the desk's own."""
    return settings.FACTCHECK_PUBLISHER_URL or f"{base_url()}/"


def public_claim_url(claim_id: int) -> str:
    return f"{base_url()}/claims/{claim_id}/"


def article_url(article: Article) -> str:
    """Where the article lives: its own URL when it has one, else its page on the desk."""
    return article.source_url or f"{base_url()}/articles/{article.pk}/"


def request_base_url(request: HttpRequest) -> str:
    """The address `request` came to, with the prefix the desk is mounted under."""
    return request.build_absolute_uri(get_script_prefix()).rstrip("/")


@contextmanager
def linking_for(request: HttpRequest) -> Iterator[None]:
    """Links made in the block are based on the address of `request` (unless PUBLIC_BASE_URL
    is set)."""
    token = _request_base.set(request_base_url(request))
    try:
        yield
    finally:
        _request_base.reset(token)


def streamed_for(request: HttpRequest, chunks: Iterator[bytes]) -> Iterator[bytes]:
    """`chunks`, each made as under linking_for(request): a streamed answer is made after its
    view has returned, one chunk at a time. Closing this closes `chunks` too."""
    base = request_base_url(request)
    try:
        while True:
            token = _request_base.set(base)
            try:
                chunk = next(chunks)
            except StopIteration:
                return
            finally:
                _request_base.reset(token)
            yield chunk
    finally:
        # A client that goes away closes the answer: what `chunks` holds open (a database
        # snapshot) ends now, not whenever the generator is collected.
        if isinstance(chunks, Generator):
            chunks.close()
