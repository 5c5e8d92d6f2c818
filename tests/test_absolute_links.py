"""Absolute links (a public page's canonical link and JSON-LD, the exports' URLs) name the
address the desk is served on: PUBLIC_BASE_URL when set, else the address of the request,
else, for a command that answers no request, the documented default."""

from __future__ import annotations

import json
import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.authtoken.models import Token

from annotations.export import links
from annotations.models import Claim
from tests.factories import ArticleFactory, make_claim, make_user

pytestmark = pytest.mark.django_db

# `make run` with PORT=8731: the browser asks for 127.0.0.1:8731.
SERVED = "http://127.0.0.1:8731"


@pytest.fixture
def unset(settings: Any) -> Any:
    """PUBLIC_BASE_URL and PUBLISHER_URL unset, as on a newcomer's machine."""
    settings.FACTCHECK_PUBLIC_BASE_URL = ""
    settings.FACTCHECK_PUBLISHER_URL = ""
    return settings


@pytest.fixture
def published() -> Claim:
    """A published claim on an article that has no URL of its own, so that the article too
    is named by its page on the desk."""
    article = ArticleFactory(source_url="")
    return make_claim(author=make_user("editor"), article=article, status="approved")


def page(claim: Claim, **request: Any) -> tuple[str, dict[str, Any]]:
    response = Client().get(f"/claims/{claim.pk}/", **request)
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html)
    json_ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert canonical and json_ld
    return canonical.group(1), json.loads(json_ld.group(1))


def api_export(fmt: str, **request: Any) -> Any:
    token = Token.objects.create(user=make_user(None, "reader"))
    response = Client().get(
        "/api/export/", {"format": fmt}, HTTP_AUTHORIZATION=f"Token {token.key}", **request
    )
    assert response.status_code == 200, response.status_code
    # Read after the view has returned, as a server writes a streamed answer.
    return json.loads(b"".join(response.streaming_content))


@pytest.mark.parametrize(
    "request_to",
    [
        {"HTTP_HOST": "127.0.0.1:8731"},
        {"SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8731"},
    ],
    ids=["host-header", "server-port"],
)
def test_public_page_links_to_the_address_it_was_asked_at(
    unset: Any, published: Claim, request_to: dict[str, str]
) -> None:
    canonical, review = page(published, **request_to)
    assert canonical == f"{SERVED}/claims/{published.pk}/"
    assert review["url"] == canonical
    assert review["author"]["url"] == f"{SERVED}/"
    assert review["itemReviewed"]["appearance"]["url"] == (
        f"{SERVED}/articles/{published.article_id}/"
    )


def test_public_page_over_https_links_over_https(unset: Any, published: Claim) -> None:
    canonical, _ = page(published, HTTP_HOST="localhost:8443", secure=True)
    assert canonical == f"https://localhost:8443/claims/{published.pk}/"


def test_public_base_url_wins_over_the_request(unset: Any, published: Claim) -> None:
    unset.FACTCHECK_PUBLIC_BASE_URL = "https://desk.example.org"
    unset.FACTCHECK_PUBLISHER_URL = "https://publisher.example.org/"
    canonical, review = page(published, HTTP_HOST="127.0.0.1:8731")
    assert canonical == f"https://desk.example.org/claims/{published.pk}/"
    assert review["author"]["url"] == "https://publisher.example.org/"


def test_a_host_not_allowed_gets_no_page_naming_it(unset: Any, published: Claim) -> None:
    response = Client().get(f"/claims/{published.pk}/", HTTP_HOST="desk.attacker.example")
    assert response.status_code == 400
    assert b"desk.attacker.example/claims" not in response.content


def test_streamed_claimreview_export_links_to_the_request_address(
    unset: Any, published: Claim
) -> None:
    (review,) = api_export("claimreview", HTTP_HOST="127.0.0.1:8731")
    assert review["url"] == f"{SERVED}/claims/{published.pk}/"
    assert review["author"]["url"] == f"{SERVED}/"


def test_streamed_web_annotation_export_names_itself_by_the_request_address(
    unset: Any, published: Claim
) -> None:
    collection = api_export("webannotation", SERVER_NAME="127.0.0.1", SERVER_PORT="8731")
    assert collection["id"] == f"{SERVED}/api/export/?format=webannotation&status=approved"
    (annotation,) = collection["first"]["items"]
    assert annotation["id"] == f"{SERVED}/claims/{published.pk}/#annotation"
    assert annotation["creator"]["homepage"] == f"{SERVED}/"
    assert annotation["target"]["source"] == f"{SERVED}/articles/{published.article_id}/"


def test_the_request_address_does_not_outlive_the_request(unset: Any, published: Claim) -> None:
    page(published, HTTP_HOST="127.0.0.1:8731")
    api_export("claimreview", HTTP_HOST="127.0.0.1:8731")
    assert links.base_url() == links.DEFAULT_BASE_URL


def export_command(fmt: str) -> Any:
    out = StringIO()
    call_command("export_claims", "--format", fmt, stdout=out)
    return json.loads(out.getvalue())


def test_export_command_uses_the_documented_default_without_public_base_url(
    unset: Any, published: Claim
) -> None:
    (review,) = export_command("claimreview")
    assert links.DEFAULT_BASE_URL == "http://127.0.0.1:8000"
    assert review["url"] == f"http://127.0.0.1:8000/claims/{published.pk}/"
    assert review["author"]["url"] == "http://127.0.0.1:8000/"


def test_export_command_uses_public_base_url(unset: Any, published: Claim) -> None:
    unset.FACTCHECK_PUBLIC_BASE_URL = "https://desk.example.org"
    collection = export_command("webannotation")
    assert collection["id"].startswith("https://desk.example.org/api/export/?")
    (annotation,) = collection["first"]["items"]
    assert annotation["id"] == f"https://desk.example.org/claims/{published.pk}/#annotation"
