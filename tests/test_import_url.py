"""Importing an article from its web address, every way in: the service, `import_articles`,
`POST /api/articles/` with `url`, and the "Import from URL" page. Pages come from a server on
127.0.0.1, which FETCH_ALLOWED_HOSTS lets through."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from annotations import services
from annotations.models import Article
from annotations.services.articles import article_import_from_url
from tests.api.conftest import error_of, token_client
from tests.page_server import PageServer, closed_port

pytestmark = pytest.mark.django_db

HARBOUR_TITLE = "Harbour traffic doubled last year, port authority says"


@pytest.fixture(scope="module")
def server() -> Iterator[PageServer]:
    with PageServer() as running:
        yield running


@pytest.fixture(autouse=True)
def _allow_the_test_server(settings: Any) -> None:
    settings.FACTCHECK_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- The service ----------------------------------------------------------------------------


def test_a_page_is_imported_with_its_metadata_and_address(
    server: PageServer, admin_user: Any
) -> None:
    outcome = article_import_from_url(url=server.url("/fr/budget"), imported_by=admin_user)
    assert outcome.created
    article = Article.objects.get()
    assert article.title == "Le conseil municipal adopte un budget en hausse de 10 %"
    assert article.byline == "Jeanne Martin"
    assert article.publisher == "La Gazette du Sud"
    assert str(article.published_on) == "2026-02-17"
    assert article.language == "fr"
    assert article.body.startswith("Le conseil municipal a adopté mardi soir un budget")
    assert article.imported_by == admin_user
    # Where the text was read, not the canonical link the page names for itself.
    assert article.source_url == server.url("/fr/budget")


def test_the_address_kept_is_the_one_after_redirects(server: PageServer) -> None:
    outcome = article_import_from_url(url=server.url("/hops/2"))
    assert outcome.article.source_url == server.url("/en/harbour-traffic")
    assert outcome.article.title == HARBOUR_TITLE


def test_the_same_address_twice_gives_the_existing_article(server: PageServer) -> None:
    first = article_import_from_url(url=server.url("/ru/schools"))
    again = article_import_from_url(url=server.url("/ru/schools"))
    assert first.created and not again.created
    assert again.article.pk == first.article.pk
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/big", "{url} is larger than 5 MB"),
        ("/image", "{url} is not a web page (image/png)"),
        ("/gone", "{url} answered 404"),
        ("/no-text", "{url}: no article text could be found in the HTML page"),
    ],
)
def test_a_page_that_cannot_be_imported_stores_nothing(
    server: PageServer, path: str, expected: str
) -> None:
    url = server.url(path)
    with pytest.raises(ValidationError) as refusal:
        article_import_from_url(url=url)
    assert refusal.value.message_dict == {"url": [expected.format(url=url)]}
    assert not Article.objects.exists()


def test_a_slow_page_stores_nothing(server: PageServer, settings: Any) -> None:
    settings.FACTCHECK_FETCH_TIMEOUT = 0.5
    url = server.url("/slow?seconds=3")
    with pytest.raises(ValidationError) as refusal:
        article_import_from_url(url=url)
    assert refusal.value.message_dict == {"url": [f"{url} took longer than 0.5 s"]}
    assert not Article.objects.exists()


def test_a_refused_connection_stores_nothing() -> None:
    url = f"http://127.0.0.1:{closed_port()}/article"
    with pytest.raises(ValidationError) as refusal:
        article_import_from_url(url=url)
    assert refusal.value.message_dict == {
        "url": [f"{url} could not be reached (connection refused)"]
    }
    assert not Article.objects.exists()


def test_other_text_from_an_address_already_imported_is_its_next_revision(
    server: PageServer,
) -> None:
    url = server.url("/en/harbour-traffic")
    services.article_import(title="Earlier", body="An earlier text.", source_url=url)
    outcome = article_import_from_url(url=url)
    assert not outcome.created and outcome.new_revision
    article = Article.objects.get()
    assert article.body.startswith("The port handled twice as many ships")
    assert list(article.revisions.values_list("number", "kind")) == [(1, "file"), (2, "fetch")]
    # The desk's title stays; the revision keeps the one the page gave.
    assert article.title == "Earlier"
    assert article.revisions.get(number=2).title == HARBOUR_TITLE


def test_an_editor_may_not_make_the_server_fetch(server: PageServer, editor: Any) -> None:
    served = len(server.requests)
    with pytest.raises(PermissionDenied):
        article_import_from_url(url=server.url("/en/harbour-traffic"), imported_by=editor)
    assert len(server.requests) == served
    assert not Article.objects.exists()


# --- The command ----------------------------------------------------------------------------


def test_the_command_imports_addresses_and_files_together(
    server: PageServer, tmp_path: Path
) -> None:
    article_file = tmp_path / "note.txt"
    article_file.write_text("---\ntitle: A note\n---\nThe council met on Tuesday.\n")
    good, bad = server.url("/en/harbour-traffic"), server.url("/gone")
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", good, bad, str(article_file), stdout=out, stderr=err)
    harbour = Article.objects.get(source_url=good)
    note = Article.objects.get(title="A note")
    assert out.getvalue().splitlines() == [
        f"imported: {good} -> article #{harbour.pk} {HARBOUR_TITLE!r}",
        f"imported: {article_file} -> article #{note.pk} 'A note'",
        "2 articles imported, 0 already here, 0 files refused, 1 address refused",
    ]
    assert err.getvalue().splitlines() == [f"error: {bad} answered 404"]
    assert Article.objects.count() == 2


def test_the_command_reports_an_address_already_imported(server: PageServer) -> None:
    url = server.url("/en/harbour-traffic")
    call_command("import_articles", url, stdout=StringIO())
    out = StringIO()
    call_command("import_articles", url, stdout=out)
    article = Article.objects.get()
    assert f"unchanged: {url} is already article #{article.pk}" in out.getvalue()


def test_the_command_refuses_other_schemes(tmp_path: Path) -> None:
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", "ftp://example.org/a.html", stdout=StringIO(), stderr=err)
    assert err.getvalue().strip() == (
        "error: ftp://example.org/a.html is not an http or https address"
    )


# --- The API --------------------------------------------------------------------------------


def test_the_api_imports_from_an_address_then_finds_it_again(
    server: PageServer, admin_user: Any
) -> None:
    client = token_client(admin_user)
    first = client.post("/api/articles/", {"url": server.url("/en/harbour-traffic")})
    assert first.status_code == 201, first.content
    assert first.json()["title"] == HARBOUR_TITLE
    assert first.json()["source_url"] == server.url("/en/harbour-traffic")
    assert first.json()["language"] == "en-GB"
    again = client.post("/api/articles/", {"url": server.url("/en/harbour-traffic")})
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]


def test_the_api_answers_a_refused_page_with_a_400_naming_url(
    server: PageServer, admin_user: Any
) -> None:
    start = server.url(f"/redirect?to={quote('http://10.0.0.1/', safe='')}")
    answer = token_client(admin_user).post("/api/articles/", {"url": start})
    assert answer.status_code == 400
    assert error_of(answer)["fields"] == {
        "url": [
            f"{start} redirects to http://10.0.0.1/, at a private address 10.0.0.1, which is "
            "not allowed"
        ]
    }
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "file:///etc/passwd"}, "url"),
        ({"url": ""}, "url"),
        ({"url": "https://x.example/" + "a" * 2000}, "url"),
        ({"url": "https://x.example/", "body": "Text."}, "body"),
        ({"url": "https://x.example/", "title": "Mine"}, "title"),
    ],
)
def test_the_api_refuses_bad_address_input(
    admin_user: Any, body: dict[str, str], field: str
) -> None:
    answer = token_client(admin_user).post("/api/articles/", body)
    assert answer.status_code == 400, answer.content
    assert field in error_of(answer)["fields"]


def test_the_api_keeps_the_import_for_admins(server: PageServer, editor: Any) -> None:
    served = len(server.requests)
    answer = token_client(editor).post("/api/articles/", {"url": server.url("/en/harbour-traffic")})
    assert answer.status_code == 403
    assert len(server.requests) == served
    assert not Article.objects.exists()


def test_the_schema_documents_both_ways_to_import(client: Client) -> None:
    schema = client.get("/api/schema/", {"format": "json"}).json()
    request = schema["paths"]["/api/articles/"]["post"]["requestBody"]["content"]
    proxy = request["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    refs = {option["$ref"] for option in schema["components"]["schemas"][proxy]["oneOf"]}
    assert refs == {
        "#/components/schemas/ArticleCreateInputRequest",
        "#/components/schemas/ArticleFromUrlInputRequest",
    }
    by_url = schema["components"]["schemas"]["ArticleFromUrlInputRequest"]
    assert by_url["required"] == ["url"]


# --- The page -------------------------------------------------------------------------------


def test_the_article_list_links_to_the_import_page_for_admins_only(
    admin_user: Any, editor: Any
) -> None:
    link = f'href="{reverse("article-import")}"'
    assert link in signed_in(admin_user).get(reverse("article-list")).content.decode()
    assert link not in signed_in(editor).get(reverse("article-list")).content.decode()


def test_an_admin_imports_from_the_page_and_lands_on_the_article(
    server: PageServer, admin_user: Any
) -> None:
    client = signed_in(admin_user)
    assert client.get(reverse("article-import")).status_code == 200
    url = server.url("/en/harbour-traffic")
    answer = client.post(reverse("article-import"), {"url": url}, follow=True)
    article = Article.objects.get()
    assert answer.redirect_chain == [(reverse("article-detail", args=[article.pk]), 302)]
    assert f"Imported article #{article.pk} from {url}." in answer.content.decode()
    again = client.post(reverse("article-import"), {"url": url}, follow=True)
    assert f"This page is already article #{article.pk}" in again.content.decode()


def test_a_refusal_is_shown_on_the_form(server: PageServer, admin_user: Any) -> None:
    url = server.url("/image")
    answer = signed_in(admin_user).post(reverse("article-import"), {"url": url})
    assert answer.status_code == 400
    content = answer.content.decode()
    assert f"{url} is not a web page (image/png)" in content
    assert 'aria-invalid="true"' in content
    assert f'value="{url}"' in content
    assert not Article.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("role", ["editor", "reviewer", "no_role_user"])
def test_the_import_page_is_403_for_everyone_but_admins(
    server: PageServer, request: pytest.FixtureRequest, role: str, method: str
) -> None:
    served = len(server.requests)
    client = signed_in(request.getfixturevalue(role))
    answer = getattr(client, method)(
        reverse("article-import"), {"url": server.url("/en/harbour-traffic")}
    )
    assert answer.status_code == 403
    assert len(server.requests) == served
    assert not Article.objects.exists()


def test_the_import_page_sends_the_signed_out_to_sign_in() -> None:
    answer = Client().get(reverse("article-import"))
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("login"))
