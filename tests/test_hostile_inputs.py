"""Hostile input, one row each, across the API, the HTML forms and the article import.

Every row sends one thing an attacker (or a broken client) would send and asserts three
things: the status code, that the answer names the field at fault or says what is wrong,
and that the database is exactly as it was. One control row at the end sends awkward but
honest text (Cyrillic, emoji) and must be accepted, so the table cannot pass by refusing
everything.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.test import APIClient

from annotations.importers import ArticleFileError, import_file
from annotations.models import Article, Claim, ReviewEvent, Source
from annotations.roles import Role
from tests.api.conftest import token_client
from tests.factories import ARTICLE_BODY, ArticleFactory, make_claim, make_user

pytestmark = pytest.mark.django_db

EMOJI_LINE = "Fans cheered \U0001f389 at the stadium.\n"
BODY = ARTICLE_BODY + EMOJI_LINE
QUOTE = "unemployment had fallen by half since 2020"
FREE_QUOTE = "The city council approved a budget"
# The importer's answer is not HTTP; these stand for "the file was refused / imported".
REFUSED = "refused"
IMPORTED = "imported"


@dataclass
class World:
    editor: Any
    editor2: Any
    reviewer: Any
    admin: Any
    article: Article
    own_draft: Claim
    other_draft: Claim
    submitted: Claim
    tmp_path: Path


@dataclass(frozen=True)
class Answer:
    status: int | str
    text: str


Send = Callable[[World], Answer]


@pytest.fixture
def world(db, tmp_path) -> World:  # type: ignore[no-untyped-def]
    editor = make_user(Role.EDITOR, "ed")
    editor2 = make_user(Role.EDITOR, "ed2")
    reviewer = make_user(Role.REVIEWER, "rev")
    admin = make_user(Role.ADMIN, "boss")
    article = ArticleFactory(body=BODY)
    return World(
        editor=editor,
        editor2=editor2,
        reviewer=reviewer,
        admin=admin,
        article=article,
        own_draft=make_claim(author=editor, article=article),
        other_draft=make_claim(author=editor2, article=article, quote="Critics noted"),
        submitted=make_claim(
            author=editor2, article=article, quote="the figures came from", status="submitted"
        ),
        tmp_path=tmp_path,
    )


def snapshot() -> dict[str, Any]:
    """Everything a hostile request might change: row counts, every claim's rule fields and
    content, every source, every user's privileges, every article's text."""
    user_model = get_user_model()
    return {
        "counts": {
            model.__name__: model.objects.count()
            for model in (Article, Claim, Source, ReviewEvent, user_model)
        },
        "claims": list(
            Claim.objects.order_by("pk").values_list(
                "pk",
                "status",
                "author_id",
                "reviewer_id",
                "version",
                "start",
                "end",
                "claim_text",
                "claimant",
                "rationale",
                "verdict_id",
            )
        ),
        "sources": list(Source.objects.order_by("pk").values_list("pk", "url", "title")),
        "users": list(
            user_model.objects.order_by("pk").values_list(
                "pk", "username", "is_staff", "is_superuser", "is_active"
            )
        ),
        "articles": list(
            Article.objects.order_by("pk").values_list("pk", "title", "body", "source_url")
        ),
    }


# --- How each channel is spoken to ----------------------------------------------------------


def _api_answer(response: Any) -> Answer:
    if response["Content-Type"].startswith("application/json"):
        body = response.json()
        if "error" in body:
            error = body["error"]
            assert error["status"] == response.status_code
            assert error["message"]
        return Answer(response.status_code, json.dumps(body, ensure_ascii=False))
    return Answer(response.status_code, response.content.decode())


def _as(world: World, who: str) -> APIClient:
    return token_client(getattr(world, who)).client


def api_post(path: str | Callable[[World], str], body: Any, *, who: str = "editor") -> Send:
    def send(world: World) -> Answer:
        url = path(world) if callable(path) else path
        data = body(world) if callable(body) else body
        return _api_answer(_as(world, who).post(url, data, format="json"))

    return send


def api_raw(
    path: str, raw: bytes | Callable[[World], bytes], content_type: str, *, who: str = "editor"
) -> Send:
    def send(world: World) -> Answer:
        data = raw(world) if callable(raw) else raw
        return _api_answer(_as(world, who).generic("POST", path, data, content_type))

    return send


def api_patch(body: Callable[[World], Any], *, claim: str = "own_draft") -> Send:
    def send(world: World) -> Answer:
        target = getattr(world, claim)
        return _api_answer(
            _as(world, "editor").patch(f"/api/claims/{target.pk}/", body(world), format="json")
        )

    return send


def api_get(path: str | Callable[[World], str], *, who: str = "editor") -> Send:
    def send(world: World) -> Answer:
        url = path(world) if callable(path) else path
        return _api_answer(_as(world, who).get(url))

    return send


def page_post(
    path: Callable[[World], str], data: Callable[[World], dict[str, Any]], who: str
) -> Send:
    def send(world: World) -> Answer:
        client = Client()
        client.force_login(getattr(world, who))
        response = client.post(path(world), data(world))
        return Answer(response.status_code, html.unescape(response.content.decode()))

    return send


def page_get(path: str, who: str) -> Send:
    def send(world: World) -> Answer:
        client = Client()
        client.force_login(getattr(world, who))
        response = client.get(path)
        return Answer(response.status_code, html.unescape(response.content.decode()))

    return send


def login(username: str, password: str) -> Send:
    def send(world: World) -> Answer:
        response = Client().post("/login/", {"username": username, "password": password})
        return Answer(response.status_code, html.unescape(response.content.decode()))

    return send


def import_as_file(name: str, content: bytes) -> Send:
    def send(world: World) -> Answer:
        path = world.tmp_path / name
        path.write_bytes(content)
        try:
            import_file(path, imported_by=world.admin)
        except ArticleFileError as error:
            return Answer(REFUSED, str(error))
        return Answer(IMPORTED, "")

    return send


# --- What is sent ---------------------------------------------------------------------------


def new_claim(**changes: Any) -> Callable[[World], dict[str, Any]]:
    """A valid claim on the article's free sentence, with `changes` applied."""

    def body(world: World) -> dict[str, Any]:
        start = world.article.body.index(FREE_QUOTE)
        data: dict[str, Any] = {
            "article": world.article.pk,
            "start": start,
            "end": start + len(FREE_QUOTE),
            "claim_text": "The budget was approved.",
            "claimant": "The council",
            "verdict": "true",
            "rationale": "The minutes say so.",
            "sources": [{"url": "https://council.example.org/minutes", "title": "Minutes"}],
        }
        data.update(changes)
        return data

    return body


def with_source(**source: Any) -> Callable[[World], dict[str, Any]]:
    return new_claim(sources=[{"url": "https://ok.example.org/", **source}])


def span_of(text: str, **changes: Any) -> Callable[[World], dict[str, Any]]:
    """A claim whose offsets and quote are computed from `text`'s place in the body."""

    def body(world: World) -> dict[str, Any]:
        data = new_claim()(world)
        start = world.article.body.index(text)
        data.update(start=start, end=start + len(text), quote=text)
        data.update(changes)
        return data

    return body


def half_emoji(world: World) -> bytes:
    # A client that splits the emoji can only send its first half as a lone \ud83c escape;
    # that is no character at all, so it cannot be stored or compared.
    emoji_at = world.article.body.index("\U0001f389")
    data = new_claim(start=emoji_at, end=emoji_at + 1, quote="\ud83c")(world)
    return json.dumps(data).encode()


def counted_in_utf16_units(world: World) -> dict[str, Any]:
    # A browser counts the emoji as two units; sent unconverted, the span ends one code point
    # too far and the quote no longer matches the text there.
    emoji_at = world.article.body.index("\U0001f389")
    return new_claim(start=emoji_at, end=emoji_at + 2, quote="\U0001f389")(world)


def decision(
    action: str, comment: str = "", version: Any = None
) -> Callable[[World], dict[str, Any]]:
    def data(world: World) -> dict[str, Any]:
        return {
            "action": action,
            "version": world.submitted.version if version is None else version,
            "comment": comment,
        }

    return data


def article_import(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "A new article",
        "body": "Something happened on Monday.\nPeople talked about it.\n",
        "source_url": "https://news.example.org/new",
    }
    body.update(changes)
    return body


def review_act(world: World) -> str:
    return f"/review/{world.submitted.pk}/act/"


def transition(name: str, claim: str = "submitted") -> Callable[[World], str]:
    return lambda world: f"/api/claims/{getattr(world, claim).pk}/{name}/"


NUL = "bad\x00text"
OVERSIZED = 7 * 1024 * 1024  # past the default 6 MiB request limit

ROWS = [
    # Source URLs: only http(s), written plainly.
    (
        "source-url-javascript-upper",
        api_post("/api/claims/", with_source(url="JAVASCRIPT:alert(1)")),
        400,
        ["sources", "http"],
    ),
    (
        "source-url-leading-space",
        api_post("/api/claims/", with_source(url=" http://x.example.org/")),
        400,
        ["sources", "white space"],
    ),
    (
        "source-url-data",
        api_post("/api/claims/", with_source(url="data:text/html,<script>alert(1)</script>")),
        400,
        ["sources", "http"],
    ),
    (
        "source-url-javascript-comment",
        api_post("/api/claims/", with_source(url="javascript://%0aalert(1)")),
        400,
        ["sources", "http"],
    ),
    (
        "source-url-ftp",
        api_post("/api/claims/", with_source(url="ftp://files.example.org/x")),
        400,
        ["sources", "http"],
    ),
    (
        "source-url-no-host",
        api_post("/api/claims/", with_source(url="http://")),
        400,
        ["sources", "url"],
    ),
    (
        "source-archive-url-javascript",
        api_post("/api/claims/", with_source(archive_url="javascript:alert(1)")),
        400,
        ["sources", "archive_url"],
    ),
    # Offsets and quotes.
    ("offset-negative", api_post("/api/claims/", new_claim(start=-1)), 400, ["start"]),
    (
        "offset-reversed",
        api_post("/api/claims/", new_claim(start=20, end=10)),
        400,
        ["end", "greater than start"],
    ),
    (
        "offset-past-end",
        api_post("/api/claims/", new_claim(end=len(BODY) + 1)),
        400,
        ["end", "past the end"],
    ),
    ("offset-huge", api_post("/api/claims/", new_claim(start=10**18)), 400, ["start"]),
    (
        "offset-not-integer",
        api_post("/api/claims/", new_claim(start="3.5")),
        400,
        ["start", "integer"],
    ),
    (
        "offset-boolean-like-string",
        api_post("/api/claims/", new_claim(end="ten")),
        400,
        ["end", "integer"],
    ),
    (
        "quote-mismatch",
        api_post("/api/claims/", new_claim(quote="The council rejected")),
        400,
        ["quote", "does not match"],
    ),
    (
        "quote-half-of-an-emoji",
        api_raw("/api/claims/", half_emoji, "application/json"),
        400,
        ["surrogate", "in quote"],
    ),
    (
        "offsets-counted-in-utf16-units",
        api_post("/api/claims/", counted_in_utf16_units),
        400,
        ["quote", "does not match"],
    ),
    # NUL and unpaired surrogates in text.
    (
        "nul-claim-text",
        api_post("/api/claims/", new_claim(claim_text=NUL)),
        400,
        ["claim_text", "null"],
    ),
    (
        "nul-rationale",
        api_post("/api/claims/", new_claim(rationale=NUL)),
        400,
        ["rationale", "null"],
    ),
    ("nul-claimant", api_post("/api/claims/", new_claim(claimant=NUL)), 400, ["claimant", "null"]),
    (
        "nul-source-title",
        api_post("/api/claims/", with_source(title=NUL)),
        400,
        ["sources", "title", "null"],
    ),
    (
        "nul-comment-api",
        api_post(
            transition("reject"),
            lambda w: {"version": w.submitted.version, "comment": NUL},
            who="reviewer",
        ),
        400,
        ["comment", "null"],
    ),
    (
        "nul-article-title-api",
        api_post("/api/articles/", article_import(title=NUL), who="admin"),
        400,
        ["title", "null"],
    ),
    (
        "nul-patch-claim-text",
        api_patch(lambda w: {"version": w.own_draft.version, "claim_text": NUL}),
        400,
        ["claim_text", "null"],
    ),
    (
        "unpaired-surrogate-raw-json",
        api_raw(
            "/api/claims/",
            b'{"claim_text": "\\ud800", "article": 1, "start": 0, "end": 3}',
            "application/json",
        ),
        400,
        ["surrogate"],
    ),
    # Length limits.
    (
        "over-long-claimant",
        api_post("/api/claims/", new_claim(claimant="x" * 301)),
        400,
        ["claimant", "300"],
    ),
    (
        "over-long-comment-api",
        api_post(
            transition("reject"),
            lambda w: {"version": w.submitted.version, "comment": "x" * 10_001},
            who="reviewer",
        ),
        400,
        ["comment", "10000"],
    ),
    (
        "over-long-source-title",
        api_post("/api/claims/", with_source(title="t" * 501)),
        400,
        ["sources", "title", "500"],
    ),
    # The body itself.
    (
        "oversized-body",
        api_raw("/api/claims/", b"x" * OVERSIZED, "application/json"),
        413,
        ["limit"],
    ),
    (
        "form-encoded-to-api",
        api_raw("/api/claims/", b"article=1&start=0&end=3", "application/x-www-form-urlencoded"),
        415,
        ["application/x-www-form-urlencoded"],
    ),
    ("text-plain-to-api", api_raw("/api/claims/", b"claim", "text/plain"), 415, ["text/plain"]),
    (
        "malformed-json",
        api_raw("/api/claims/", b'{"article": 1,', "application/json"),
        400,
        ["Malformed JSON"],
    ),
    (
        "deeply-nested-json",
        api_raw("/api/claims/", b"[" * 5000 + b"]" * 5000, "application/json"),
        400,
        ["nested deeper"],
    ),
    (
        "json-array-instead-of-object",
        api_raw("/api/claims/", b"[1, 2, 3]", "application/json"),
        400,
        ["dictionary"],
    ),
    ("json-nan", api_raw("/api/claims/", b'{"start": NaN}', "application/json"), 400, ["NaN"]),
    # Fields the rules rely on cannot be written.
    (
        "create-sets-status",
        api_post("/api/claims/", new_claim(status="approved")),
        400,
        ["status", "cannot be written"],
    ),
    (
        "create-sets-author",
        api_post("/api/claims/", new_claim(author="ed2")),
        400,
        ["author", "cannot be written"],
    ),
    (
        "create-sets-reviewer-and-version",
        api_post("/api/claims/", new_claim(reviewer="rev", version=7)),
        400,
        ["reviewer", "version"],
    ),
    (
        "patch-sets-status",
        api_patch(lambda w: {"version": w.own_draft.version, "status": "approved"}),
        400,
        ["status", "cannot be written"],
    ),
    (
        "patch-sets-author",
        api_patch(lambda w: {"version": w.own_draft.version, "author": w.editor2.pk}),
        400,
        ["author", "cannot be written"],
    ),
    (
        "patch-sets-is-staff",
        api_patch(lambda w: {"version": w.own_draft.version, "is_staff": True}),
        400,
        ["is_staff", "cannot be written"],
    ),
    (
        "patch-source-sets-claim",
        api_patch(
            lambda w: {
                "version": w.own_draft.version,
                "sources": [{"url": "https://a.example.org/", "claim": w.other_draft.pk}],
            }
        ),
        400,
        ["sources", "claim"],
    ),
    (
        "token-sets-role",
        api_post("/api/auth/token/", {"username": "ed", "password": "x", "role": "admin"}),
        400,
        ["role"],
    ),
    # Filters and ordering: listed fields only.
    (
        "ordering-into-password",
        api_get("/api/claims/?ordering=author__password"),
        400,
        ["ordering"],
    ),
    (
        "ordering-into-article-body",
        api_get("/api/articles/?ordering=claims__author__password"),
        400,
        ["ordering"],
    ),
    ("nul-in-search", api_get("/api/articles/?search=bud%00get"), 400, ["NUL"]),
    ("nul-in-filter", api_get("/api/claims/?author=e%00d"), 400, ["NUL"]),
    ("nul-in-page-query", page_get("/review/?author=1%00", "reviewer"), 400, ["NUL"]),
    ("filter-id-not-a-number", api_get("/api/claims/?article=1%20or%201=1"), 400, ["article"]),
    (
        "nul-in-verdict-slug",
        api_post("/api/claims/", new_claim(verdict="fal\x00se")),
        400,
        ["verdict"],
    ),
    (
        "nul-in-review-next-filters",
        api_post(
            "/api/review-queue/next/", {"author": "e\x00d", "verdict": "tr\x00ue"}, who="reviewer"
        ),
        400,
        ["author", "verdict"],
    ),
    (
        "nul-in-token-username",
        api_post("/api/auth/token/", {"username": "e\x00d", "password": "x"}),
        400,
        ["username", "null"],
    ),
    (
        "admin-filter-into-password",
        page_get("/admin/annotations/claim/?author__password__startswith=md5", "admin"),
        400,
        [],
    ),
    (
        "admin-user-filter-into-password",
        page_get("/admin/auth/user/?password__startswith=md5", "admin"),
        400,
        [],
    ),
    (
        "admin-claim-change-sets-status",
        page_post(
            lambda w: f"/admin/annotations/claim/{w.submitted.pk}/change/",
            lambda w: {"status": "approved", "version": 99, "author": w.admin.pk},
            "admin",
        ),
        403,
        [],
    ),
    (
        "admin-user-change-sets-superuser",
        page_post(
            lambda w: f"/admin/auth/user/{w.editor.pk}/change/",
            lambda w: {
                "username": "ed",
                "role": "editor",
                "is_active": "on",
                "is_staff": "on",
                "is_superuser": "on",
            },
            "admin",
        ),
        302,
        [],
    ),
    # References that name nothing, or something not yours.
    (
        "unknown-verdict-slug",
        api_post("/api/claims/", new_claim(verdict="pants-on-fire")),
        400,
        ["verdict", "pants-on-fire"],
    ),
    (
        "claim-on-missing-article",
        api_post("/api/claims/", new_claim(article=987654)),
        400,
        ["article", "No such article"],
    ),
    (
        "read-other-users-draft",
        api_get(lambda w: f"/api/claims/{w.other_draft.pk}/"),
        404,
        ["not_found"],
    ),
    (
        "patch-other-users-draft",
        lambda w: _api_answer(
            _as(w, "editor").patch(
                f"/api/claims/{w.other_draft.pk}/",
                {"version": 1, "claim_text": "mine now"},
                format="json",
            )
        ),
        404,
        ["not_found"],
    ),
    (
        "submit-other-users-draft",
        api_post(transition("submit", "other_draft"), {"version": 1}),
        404,
        ["not_found"],
    ),
    (
        "approve-own-claim-by-author-form",
        page_post(review_act, decision("approve"), "editor2"),
        403,
        ["own claim"],
    ),
    # The review decision form.
    (
        "form-nul-comment",
        page_post(review_act, decision("reject", comment=NUL), "reviewer"),
        400,
        ["comment", "Null characters"],
    ),
    (
        "form-over-long-comment",
        page_post(review_act, decision("reject", comment="x" * 10_001), "reviewer"),
        400,
        ["comment", "at most 10000"],
    ),
    (
        "form-unknown-action",
        page_post(review_act, decision("publish"), "reviewer"),
        400,
        ["action", "not one of the available choices"],
    ),
    (
        "form-version-not-a-number",
        page_post(review_act, decision("approve", version="1 OR 1=1"), "reviewer"),
        400,
        ["version", "whole number"],
    ),
    (
        "form-decide-other-users-draft",
        page_post(
            lambda w: f"/review/{w.other_draft.pk}/act/", decision("submit", version=1), "editor"
        ),
        404,
        [],
    ),
    ("login-nul-username", login("e\x00d", "whatever"), 200, ["Null characters"]),
    ("login-over-long-password", login("ed", "p" * 5000), 200, ["correct username and password"]),
    (
        "admin-article-title-nul",
        page_post(
            lambda w: f"/admin/annotations/article/{w.article.pk}/change/",
            lambda w: {
                "title": NUL,
                "source_url": w.article.source_url,
                "publisher": "",
                "byline": "",
                "language": "en",
            },
            "admin",
        ),
        200,
        ["Null characters"],
    ),
    (
        "admin-article-source-url-javascript",
        page_post(
            lambda w: f"/admin/annotations/article/{w.article.pk}/change/",
            lambda w: {
                "title": "T",
                "source_url": "javascript:alert(1)",
                "publisher": "",
                "byline": "",
                "language": "en",
            },
            "admin",
        ),
        200,
        ["Enter a valid URL"],
    ),
    ("admin-search-nul", page_get("/admin/annotations/claim/?q=%00", "admin"), 400, ["NUL"]),
    # Article import over the API.
    (
        "import-api-source-url-javascript",
        api_post("/api/articles/", article_import(source_url="javascript:alert(1)"), who="admin"),
        400,
        ["source_url"],
    ),
    (
        "import-api-empty-body",
        api_post("/api/articles/", article_import(body="   \n  "), who="admin"),
        400,
        ["body"],
    ),
    (
        "import-api-bad-date",
        api_post("/api/articles/", article_import(published_on="2024-13-45"), who="admin"),
        400,
        ["published_on"],
    ),
    (
        "import-api-by-editor",
        api_post("/api/articles/", article_import(), who="editor"),
        403,
        ["Only admins"],
    ),
    # Article import from files.
    (
        "import-file-nul",
        import_as_file("nul.txt", b"Some text\x00 with a NUL.\n"),
        REFUSED,
        ["NUL"],
    ),
    (
        "import-file-not-utf8",
        import_as_file("latin.txt", "Caf\xe9 society.\n".encode("latin-1")),
        REFUSED,
        ["UTF-8"],
    ),
    (
        "import-file-json-javascript-url",
        import_as_file(
            "a.json", json.dumps({"body": "Text.\n", "source_url": "javascript:alert(1)"}).encode()
        ),
        REFUSED,
        ["source_url"],
    ),
    (
        "import-file-json-surrogate",
        import_as_file("s.json", b'{"body": "Text \\ud800 here.\\n"}'),
        REFUSED,
        ["surrogate"],
    ),
    (
        "import-file-json-deeply-nested",
        import_as_file("deep.json", b"[" * 100_000 + b"]" * 100_000),
        REFUSED,
        ["nested"],
    ),
    (
        "import-file-json-not-object",
        import_as_file("list.json", b'["just text"]'),
        REFUSED,
        ["object"],
    ),
    (
        "import-file-front-matter-unknown-field",
        import_as_file("fm.md", b"---\nis_staff: true\n---\nBody text.\n"),
        REFUSED,
        ["is_staff"],
    ),
    (
        "import-file-unsupported-type",
        import_as_file("run.exe", b"MZ binary"),
        REFUSED,
        ["unsupported"],
    ),
]


@pytest.mark.parametrize(
    ("send", "status", "says"),
    [pytest.param(send, status, says, id=name) for name, send, status, says in ROWS],
)
def test_hostile_input_is_refused_with_a_clear_answer_and_changes_nothing(
    world: World, send: Send, status: int | str, says: list[str]
) -> None:
    before = snapshot()
    answer = send(world)
    assert answer.status == status, answer.text[:2000]
    for words in says:
        assert words.lower() in answer.text.lower(), (words, answer.text[:2000])
    assert snapshot() == before


def test_the_table_is_big_enough_to_mean_something() -> None:
    assert len(ROWS) >= 30
    assert len({name for name, *_ in ROWS}) == len(ROWS)


def test_cyrillic_and_emoji_text_is_accepted_as_written(world: World) -> None:
    before = snapshot()["counts"]
    text = "Мэр заявил, что безработица упала вдвое \U0001f389"
    answer = api_post(
        "/api/claims/",
        span_of(
            "Fans cheered \U0001f389",
            claim_text=text,
            claimant="Мэр \U0001f3db",
            rationale="Статистика: −12 %, не −50 % \U0001f4c9",
            sources=[{"url": "https://stats.example.org/ru", "title": "Росстат \U0001f4ca"}],
        ),
    )(world)
    assert answer.status == 201, answer.text
    stored = Claim.objects.get(pk=json.loads(answer.text)["id"])
    assert stored.claim_text == text
    assert stored.quote == "Fans cheered \U0001f389"
    assert stored.sources.get().title == "Росстат \U0001f4ca"
    after = snapshot()["counts"]
    assert after["Claim"] == before["Claim"] + 1
    assert after["Source"] == before["Source"] + 1
    assert after["ReviewEvent"] == before["ReviewEvent"] + 1
