"""Checking articles for a new text, every way in: `refresh_articles`, the "Check for changes"
button, and the API (`POST /api/articles/{id}/check/`, the revisions, re-attaching an
orphan); the pages that show revisions, their comparison and the orphans; and the public
page's notice. Pages come from a server on 127.0.0.1 that a test rewrites, which
FETCH_ALLOWED_HOSTS lets through."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from annotations.models import Article, Claim, Reanchoring, ReviewEvent
from annotations.services.articles import article_import_from_url
from annotations.workflow import Action, Status
from tests.api.conftest import error_of, token_client
from tests.factories import ArticleFactory, make_claim
from tests.page_server import PageServer, closed_port
from tests.test_views_articles import page_data

pytestmark = pytest.mark.django_db

TITLE = "Harbour fees rise by 12 percent"
BEFORE = [
    "The harbour board raised mooring fees by 12 percent on Monday, its chair said.",
    "Fishermen said the rise would cost them 3,000 euros a year each.",
    "The board said the money would pay for a new breakwater.",
    "A vote on the breakwater is expected in May.",
]
# The fishermen's figure edited, the breakwater sentence gone, a paragraph first.
AFTER = [
    "Update: the board published its accounts on Tuesday.",
    "The harbour board raised mooring fees by 12 percent on Monday, its chair said.",
    "Fishermen said the rise would cost them 2,500 euros a year each.",
    "A vote on the breakwater is expected in May.",
]
KEPT = "raised mooring fees by 12 percent"
EDITED = "the rise would cost them 3,000 euros a year each"
LOST = "the money would pay for a new breakwater"


@pytest.fixture(scope="module")
def server() -> Iterator[PageServer]:
    with PageServer() as running:
        yield running


@pytest.fixture(autouse=True)
def _allow_the_test_server(settings: Any) -> None:
    settings.FACTCHECK_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]


_pages = iter(range(10**6))


@pytest.fixture
def page(server: PageServer) -> str:
    """The address of a fresh page holding BEFORE."""
    return server.publish(f"harbour-{next(_pages)}", TITLE, BEFORE)


def imported(url: str) -> Article:
    return article_import_from_url(url=url).article


def run(*args: str) -> tuple[str, str, int]:
    out, err = StringIO(), StringIO()
    try:
        call_command("refresh_articles", *args, stdout=out, stderr=err)
    except CommandError:
        return out.getvalue(), err.getvalue(), 1
    return out.getvalue(), err.getvalue(), 0


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- The command ----------------------------------------------------------------------------


def test_the_command_records_a_changed_page_and_reports_each_article(
    server: PageServer, page: str, editor: Any, reviewer: Any
) -> None:
    article = imported(page)
    approved = make_claim(author=editor, article=article, quote=EDITED, status="approved")
    make_claim(author=editor, article=article, quote=KEPT, status="approved")
    make_claim(author=editor, article=article, quote=LOST, status="submitted")
    from_file = ArticleFactory(source_url="")
    steady = imported(server.publish("steady", "Steady", [*BEFORE[:1], "Nothing changes."]))

    server.publish(page.rsplit("/", 1)[1], TITLE, AFTER)
    out, err, code = run()
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"revised: article #{article.pk}, revision 2: 3 claims: 1 unchanged, 1 edited, "
        "1 orphaned; 1 published claim back to review",
        f"unchanged: article #{steady.pk}: no change (revision 1)",
        "2 articles checked: 1 revised, 1 unchanged, 0 failed",
    ]
    assert from_file.revisions.count() == 1
    approved.refresh_from_db()
    assert approved.status == Status.SUBMITTED
    assert approved.quote == "the rise would cost them 2,500 euros a year each"
    # Again: nothing new.
    out, _, code = run("--article", str(article.pk))
    assert code == 0
    assert out.splitlines() == [
        f"unchanged: article #{article.pk}: no change (revision 2)",
        "1 article checked: 0 revised, 1 unchanged, 0 failed",
    ]
    assert article.revisions.count() == 2


def test_a_failed_fetch_is_reported_and_the_others_are_still_checked(
    server: PageServer, page: str
) -> None:
    gone = imported(server.publish("soon-gone", "Soon gone", ["A page that will vanish soon."]))
    article = imported(page)
    del server.live["/live/soon-gone"]
    server.publish(page.rsplit("/", 1)[1], TITLE, AFTER)
    no_address = ArticleFactory(source_url="")
    out, err, code = run(
        "--article",
        str(gone.pk),
        "--article",
        str(no_address.pk),
        "--article",
        "999999",
        "--article",
        str(article.pk),
    )
    assert code == 1
    assert err.splitlines() == [
        f"error: article #{gone.pk}: {gone.source_url} answered 404",
        f"error: article #{no_address.pk}: Article #{no_address.pk} has no address to check: "
        "it came from a file.",
        "error: article #999999: no such article",
    ]
    assert out.splitlines()[-1] == "4 articles checked: 1 revised, 0 unchanged, 3 failed"
    assert gone.revisions.count() == 1 and article.revisions.count() == 2


def test_each_fetch_is_bounded_in_time(server: PageServer, page: str) -> None:
    article = imported(page)
    Article.objects.filter(pk=article.pk).update(source_url=server.url("/slow?seconds=3"))
    out, err, code = run("--timeout", "0.5")
    assert code == 1
    assert err.strip() == (
        f"error: article #{article.pk}: {server.url('/slow?seconds=3')} took longer than 0.5 s"
    )
    with pytest.raises(CommandError, match="--timeout must be a positive number"):
        call_command("refresh_articles", "--timeout", "0", stdout=StringIO())


def test_a_refused_connection_is_one_failure(page: str) -> None:
    article = imported(page)
    url = f"http://127.0.0.1:{closed_port()}/article"
    Article.objects.filter(pk=article.pk).update(source_url=url)
    _, err, code = run()
    assert code == 1
    assert (
        err.strip()
        == f"error: article #{article.pk}: {url} could not be reached (connection refused)"
    )


# --- The button -----------------------------------------------------------------------------


def test_the_button_records_a_change_for_an_editor(
    server: PageServer, page: str, editor: Any
) -> None:
    article = imported(page)
    client = signed_in(editor)
    answer = client.get(reverse("article-detail", args=[article.pk]))
    assert b'id="check-for-changes"' in answer.content
    assert b"Revision <strong>1</strong> of 1" in answer.content
    answer = client.post(reverse("article-check", args=[article.pk]), follow=True)
    assert b"No change: the page&#x27;s text is the one already here (revision 1)." in (
        answer.content
    )
    server.publish(page.rsplit("/", 1)[1], TITLE, AFTER)
    answer = client.post(reverse("article-check", args=[article.pk]), follow=True)
    assert answer.status_code == 200
    assert f"The article changed: article #{article.pk}, revision 2".encode() in answer.content
    assert b"Revision <strong>2</strong> of 2" in answer.content
    assert article.revisions.get(number=2).created_by == editor


def test_a_failed_check_says_why_and_stores_nothing(
    server: PageServer, page: str, editor: Any
) -> None:
    article = imported(page)
    del server.live[f"/live/{page.rsplit('/', 1)[1]}"]
    answer = signed_in(editor).post(reverse("article-check", args=[article.pk]), follow=True)
    assert f"Nothing was recorded: {page} answered 404".encode() in answer.content
    assert article.revisions.count() == 1


def test_only_the_desk_may_check_and_only_articles_with_an_address(
    page: str, no_role_user: Any, editor: Any
) -> None:
    article = imported(page)
    served_to_reader = signed_in(no_role_user).post(reverse("article-check", args=[article.pk]))
    assert served_to_reader.status_code == 403
    assert b'id="check-for-changes"' not in (
        signed_in(no_role_user).get(reverse("article-detail", args=[article.pk])).content
    )
    from_file = ArticleFactory(source_url="")
    page_of_file = signed_in(editor).get(reverse("article-detail", args=[from_file.pk]))
    assert b'id="check-for-changes"' not in page_of_file.content
    answer = signed_in(editor).post(reverse("article-check", args=[from_file.pk]), follow=True)
    assert b"has no address to check" in answer.content
    assert Client().post(reverse("article-check", args=[article.pk])).status_code == 302
    assert signed_in(editor).get(reverse("article-check", args=[article.pk])).status_code == 405


# --- The pages ------------------------------------------------------------------------------


def changed_article(server: PageServer, page: str, editor: Any) -> tuple[Article, dict[str, Claim]]:
    article = imported(page)
    claims = {
        quote: make_claim(author=editor, article=article, quote=quote, status=status)
        for quote, status in [(KEPT, "approved"), (EDITED, "approved"), (LOST, "submitted")]
    }
    server.publish(page.rsplit("/", 1)[1], TITLE, AFTER)
    signed_in(editor).post(reverse("article-check", args=[article.pk]))
    article.refresh_from_db()
    return article, claims


def test_the_annotation_page_shows_outcomes_and_lists_orphans_apart(
    server: PageServer, page: str, editor: Any, editor2: Any
) -> None:
    article, claims = changed_article(server, page, editor)
    answer = signed_in(editor).get(reverse("article-detail", args=[article.pk]))
    html = answer.content.decode()
    assert "When revision 2 arrived" in html
    assert html.count('class="outcome outcome-') == 3
    assert f'id="orphan-{claims[LOST].pk}"' in html
    assert f'data-claim="{claims[LOST].pk}"' in html  # the author may re-attach
    assert "reattach.js" in html
    # The orphan is not among the claims the page highlights.
    data = page_data(answer)
    assert claims[LOST].pk not in [c["id"] for c in data["claims"]]
    assert {c["revision"] for c in data["claims"]} == {2}
    other = signed_in(editor2).get(reverse("article-detail", args=[article.pk])).content.decode()
    assert f'id="orphan-{claims[LOST].pk}"' in other
    assert f'data-claim="{claims[LOST].pk}"' not in other


def test_an_earlier_revision_reads_with_its_claims_where_they_stood(
    server: PageServer, page: str, editor: Any
) -> None:
    article, claims = changed_article(server, page, editor)
    client = signed_in(editor)
    first = client.get(reverse("article-revision", args=[article.pk, 1])).content.decode()
    assert "You are reading <strong>revision 1</strong>, an earlier text" in first
    # Every claim stood in revision 1, the orphan too, each marked on its old words.
    assert first.count('<mark class="claim-mark read-only') == 3
    assert f">{LOST}</mark>" in first and f">{EDITED}</mark>" in first
    second = client.get(reverse("article-revision", args=[article.pk, 2])).content.decode()
    assert second.count('<mark class="claim-mark read-only') == 2
    assert "1 other never stood in it" in second
    assert client.get(reverse("article-revision", args=[article.pk, 3])).status_code == 404


def test_two_revisions_compare_with_marks_and_escaped_text(server: PageServer, editor: Any) -> None:
    url = server.publish("escaping", "Escaping", ["Tags <b>stay</b> text.", "Second line."])
    article = imported(url)
    server.publish(
        "escaping", "Escaping", ["Tags <b>stay</b> text, <i>always</i>.", "Second line."]
    )
    signed_in(editor).post(reverse("article-check", args=[article.pk]))
    answer = signed_in(editor).get(reverse("article-compare", args=[article.pk]))
    html = answer.content.decode()
    assert "<ins>" in html and "<del>" in html
    assert "&lt;i&gt;always&lt;/i&gt;" in html and "<i>always</i>" not in html
    same = signed_in(editor).get(reverse("article-compare", args=[article.pk]), {"from": 2})
    assert b"These are the same revision." in same.content
    assert (
        signed_in(editor)
        .get(reverse("article-compare", args=[article.pk]), {"from": "x"})
        .status_code
        == 404
    )
    assert (
        signed_in(editor)
        .get(reverse("article-compare", args=[article.pk]), {"from": 9})
        .status_code
        == 404
    )


def test_the_public_page_says_the_article_changed_and_shows_the_quote_as_checked(
    server: PageServer, page: str, editor: Any
) -> None:
    article, claims = changed_article(server, page, editor)
    edited = Client().get(reverse("claim-public", args=[claims[EDITED].pk])).content.decode()
    assert "The article was updated after this fact-check." in edited
    assert "changed the words this fact-check is about" in edited
    assert f'<mark class="quote">{EDITED}</mark>' in edited
    assert "Under correction" not in edited
    kept = Client().get(reverse("claim-public", args=[claims[KEPT].pk])).content.decode()
    assert "The article was updated" not in kept


# --- The API --------------------------------------------------------------------------------


def test_the_api_checks_and_lists_and_reads_revisions(
    server: PageServer, page: str, editor: Any, reviewer: Any
) -> None:
    article = imported(page)
    claim = make_claim(author=editor, article=article, quote=EDITED, status="approved")
    client = token_client(editor)
    same = client.post(f"/api/articles/{article.pk}/check/")
    assert same.status_code == 200, same.content
    assert same.json() == {
        "article": article.pk,
        "changed": False,
        "revision": 1,
        "outcomes": {"unchanged": 0, "moved": 0, "edited": 0, "orphaned": 0},
        "back_to_review": [],
    }
    server.publish(page.rsplit("/", 1)[1], TITLE, AFTER)
    changed = client.post(f"/api/articles/{article.pk}/check/").json()
    assert (changed["changed"], changed["revision"], changed["back_to_review"]) == (
        True,
        2,
        [claim.pk],
    )
    listed = client.get(f"/api/articles/{article.pk}/revisions/").json()
    assert [(r["number"], r["kind"], r["current"], r["created_by"]) for r in listed] == [
        (1, "fetch", False, None),
        (2, "fetch", True, "ed"),
    ]
    assert "body" not in listed[0]
    second = client.get(f"/api/articles/{article.pk}/revisions/2/").json()
    assert second["body"].startswith("Update: the board published")
    (row,) = second["reanchorings"]
    assert (row["claim"], row["outcome"], row["from_revision"], row["old_quote"]) == (
        claim.pk,
        "edited",
        1,
        EDITED,
    )
    assert row["new_quote"] == "the rise would cost them 2,500 euros a year each"
    assert client.get(f"/api/articles/{article.pk}/revisions/7/").status_code == 404
    history = client.get(f"/api/claims/{claim.pk}/history/").json()
    assert history[-1]["action"] == Action.ARTICLE_CHANGED
    assert history[-1]["actor"] == "ed"
    claim_answer = client.get(f"/api/claims/{claim.pk}/").json()
    assert (claim_answer["revision"], claim_answer["status"]) == (2, "submitted")


def test_the_api_refuses_checks_it_cannot_make(
    server: PageServer, page: str, no_role_user: Any, editor: Any
) -> None:
    article = imported(page)
    assert token_client(no_role_user).post(f"/api/articles/{article.pk}/check/").status_code == 403
    from_file = ArticleFactory(source_url="")
    refused = token_client(editor).post(f"/api/articles/{from_file.pk}/check/")
    assert refused.status_code == 400
    assert error_of(refused)["fields"] == {
        "url": [f"Article #{from_file.pk} has no address to check: it came from a file."]
    }
    assert token_client(editor).post("/api/articles/999999/check/").status_code == 404


def test_the_api_reattaches_an_orphan_for_its_author_only(
    server: PageServer, page: str, editor: Any, editor2: Any, reviewer: Any, admin_user: Any
) -> None:
    article, claims = changed_article(server, page, editor)
    orphan = Claim.objects.get(pk=claims[LOST].pk)
    body = Article.objects.get(pk=article.pk).body
    passage = "A vote on the breakwater is expected in May"
    start = body.index(passage)
    payload = {"version": orphan.version, "start": start, "end": start + len(passage)}
    path = f"/api/claims/{orphan.pk}/reattach/"
    for outsider in (editor2, reviewer):
        assert token_client(outsider).post(path, payload).status_code == 403
    stale = token_client(editor).post(path, {**payload, "version": orphan.version - 1})
    assert stale.status_code == 409
    bad = token_client(editor).post(path, {**payload, "end": start})
    assert bad.status_code == 400 and "end" in error_of(bad)["fields"]
    wrong = token_client(editor).post(path, {**payload, "quote": "Not this"})
    assert wrong.status_code == 400 and "quote" in error_of(wrong)["fields"]
    unknown = token_client(editor).post(path, {**payload, "colour": "red"})
    assert unknown.status_code == 400
    done = token_client(editor).post(path, payload)
    assert done.status_code == 200, done.content
    assert (done.json()["quote"], done.json()["revision"]) == (passage, 2)
    again = token_client(editor).post(path, {**payload, "version": done.json()["version"]})
    assert again.status_code == 409
    assert ReviewEvent.objects.filter(claim=orphan, action=Action.REATTACH).count() == 1
    assert Reanchoring.objects.filter(claim=orphan).count() == 1


def test_the_revision_list_takes_a_fixed_number_of_queries(
    django_assert_num_queries: Any, server: PageServer, page: str, editor: Any
) -> None:
    article = imported(page)
    client = token_client(editor)
    for number in range(3):
        server.publish(page.rsplit("/", 1)[1], TITLE, [*BEFORE, f"Addendum {number}."])
        client.post(f"/api/articles/{article.pk}/check/")
    # The token with its user, the article, the revisions with who brought each.
    with django_assert_num_queries(3):
        listed = client.get(f"/api/articles/{article.pk}/revisions/")
    assert len(listed.json()) == 4
