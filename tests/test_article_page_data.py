"""The annotation page's data for each claim: what the viewer may do with it (the server's
answer, for every role and state), its status's label and the last decision taken on it; and
the page's endpoint that gives one claim's row again after a write."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from annotations import services
from annotations.page_texts import PAGE_TEXTS, page_texts
from annotations.roles import Role
from tests.factories import ArticleFactory, make_claim, make_user
from tests.test_views_articles import page_data, signed_in

pytestmark = pytest.mark.django_db

FLAGS = ("can_edit", "can_submit", "can_withdraw", "can_delete", "can_review", "can_correct")


def flags(row: dict[str, Any]) -> set[str]:
    return {name for name in FLAGS if row[name]}


@pytest.fixture
def people() -> dict[str, Any]:
    return {
        "author": make_user(Role.EDITOR, "author"),
        "editor": make_user(Role.EDITOR, "other-editor"),
        "reviewer": make_user(Role.REVIEWER, "reviewer"),
        "admin": make_user(Role.ADMIN, "admin"),
    }


@pytest.fixture
def claims(people: dict[str, Any]) -> dict[str, Any]:
    article = ArticleFactory()
    author = people["author"]
    reviewer = people["reviewer"]
    withdrawn = make_claim(author=author, article=article, quote="on Tuesday", status="submitted")
    withdrawn = services.claim_transition(
        claim_id=withdrawn.pk, actor=author, action="withdraw", version=withdrawn.version
    )
    return {
        "article": article,
        "draft": make_claim(author=author, article=article, quote="The city council"),
        "withdrawn": withdrawn,
        "submitted": make_claim(author=author, article=article, quote="The mayor said"),
        "changes": make_claim(
            author=author,
            article=article,
            quote="Critics noted",
            status="changes_requested",
            reviewer=reviewer,
        ),
        "approved": make_claim(
            author=author, article=article, quote="4.2 million", status="approved"
        ),
    }


def rows_for(user: Any, article: Any) -> dict[int, dict[str, Any]]:
    data = page_data(signed_in(user).get(reverse("article-detail", args=[article.pk])))
    return {row["id"]: row for row in data["claims"]}


def test_the_author_may_edit_submit_withdraw_and_delete_by_state(
    people: dict[str, Any], claims: dict[str, Any]
) -> None:
    services.claim_transition(
        claim_id=claims["submitted"].pk,
        actor=people["author"],
        action="submit",
        version=claims["submitted"].version,
    )
    rows = rows_for(people["author"], claims["article"])
    assert flags(rows[claims["draft"].pk]) == {"can_edit", "can_submit", "can_delete"}
    # Once submitted, a claim is never deleted, even when back to draft.
    assert flags(rows[claims["withdrawn"].pk]) == {"can_edit", "can_submit"}
    assert flags(rows[claims["submitted"].pk]) == {"can_withdraw"}
    assert flags(rows[claims["changes"].pk]) == {"can_edit", "can_submit"}
    assert flags(rows[claims["approved"].pk]) == set()


@pytest.mark.parametrize(
    ("who", "submitted", "changes", "approved"),
    [
        ("editor", set(), set(), set()),
        ("reviewer", {"can_review"}, set(), set()),
        # An admin also reopens or retracts what was submitted once.
        ("admin", {"can_review", "can_correct"}, {"can_correct"}, {"can_correct"}),
    ],
)
def test_other_people_may_only_review_and_never_withdraw(
    people: dict[str, Any],
    claims: dict[str, Any],
    who: str,
    submitted: set[str],
    changes: set[str],
    approved: set[str],
) -> None:
    claim = claims["submitted"]
    services.claim_transition(
        claim_id=claim.pk, actor=people["author"], action="submit", version=claim.version
    )
    rows = rows_for(people[who], claims["article"])
    assert flags(rows[claim.pk]) == submitted
    assert flags(rows[claims["changes"].pk]) == changes
    assert flags(rows[claims["approved"].pk]) == approved
    # Nobody sees another person's drafts.
    assert claims["draft"].pk not in rows and claims["withdrawn"].pk not in rows


def test_each_row_carries_its_status_label_and_last_decision(
    people: dict[str, Any], claims: dict[str, Any]
) -> None:
    rows = rows_for(people["author"], claims["article"])
    changes = rows[claims["changes"].pk]
    assert changes["status_label"] == "Changes requested"
    assert changes["last_decision"]["action"] == "request_changes"
    assert changes["last_decision"]["label"] == "Changes requested"
    assert changes["last_decision"]["actor"] == "reviewer"
    assert changes["last_decision"]["comment"] == "Checked."
    assert changes["last_decision"]["at"]
    assert rows[claims["approved"].pk]["last_decision"]["label"] == "Approved"
    # Submitting and withdrawing are the author's own steps, not decisions.
    assert rows[claims["draft"].pk]["last_decision"] is None
    assert rows[claims["withdrawn"].pk]["last_decision"] is None


def test_the_page_names_the_time_zone_its_script_writes_times_in(
    people: dict[str, Any], claims: dict[str, Any]
) -> None:
    url = reverse("article-detail", args=[claims["article"].pk])
    # The zone active for the request (the site's, unless the reader's is activated).
    assert page_data(signed_in(people["author"]).get(url))["time_zone"] == "UTC"


def test_the_last_decision_is_the_latest_one(
    people: dict[str, Any], claims: dict[str, Any]
) -> None:
    claim = claims["changes"]
    author = people["author"]
    claim = services.claim_transition(
        claim_id=claim.pk, actor=author, action="submit", version=claim.version
    )
    services.claim_transition(
        claim_id=claim.pk,
        actor=people["admin"],
        action="reject",
        version=claim.version,
        comment="The report does exist: page 4.",
    )
    decision = rows_for(author, claims["article"])[claim.pk]["last_decision"]
    assert (decision["label"], decision["actor"], decision["comment"]) == (
        "Rejected",
        "admin",
        "The report does exist: page 4.",
    )


def test_one_claims_row_is_the_same_as_in_the_page(
    people: dict[str, Any], claims: dict[str, Any]
) -> None:
    article = claims["article"]
    for who in ("author", "reviewer"):
        page_rows = rows_for(people[who], article)
        claim = claims["changes"]
        url = reverse("article-claim-row", args=[article.pk, claim.pk])
        answer = signed_in(people[who]).get(url)
        assert answer.status_code == 200
        row = answer.json()
        expected = page_rows[claim.pk]
        assert {k: row[k] for k in (*FLAGS, "status", "version", "claim_text")} == {
            k: expected[k] for k in (*FLAGS, "status", "version", "claim_text")
        }
        assert row["last_decision"]["comment"] == "Checked."


def test_a_claim_the_viewer_may_not_see_or_of_another_article_is_a_404(
    people: dict[str, Any], claims: dict[str, Any]
) -> None:
    article = claims["article"]
    draft = claims["draft"]
    other_article = ArticleFactory()
    client = signed_in(people["editor"])
    assert client.get(reverse("article-claim-row", args=[article.pk, draft.pk])).status_code == 404
    assert (
        signed_in(people["author"])
        .get(reverse("article-claim-row", args=[other_article.pk, draft.pk]))
        .status_code
        == 404
    )
    assert (
        signed_in(people["author"])
        .get(reverse("article-claim-row", args=[article.pk, 999999]))
        .status_code
        == 404
    )


def test_a_claims_row_needs_a_signed_in_user(claims: dict[str, Any]) -> None:
    from django.test import Client

    url = reverse("article-claim-row", args=[claims["article"].pk, claims["approved"].pk])
    answer = Client().get(url)
    assert answer.status_code == 302 and "/login" in answer["Location"]


def test_the_last_decisions_cost_one_query_however_many_claims(people: dict[str, Any]) -> None:
    def counted(number: int) -> int:
        article = ArticleFactory(body=" ".join(f"w{n:03d}-{number}" for n in range(40)))
        for start in range(number):
            claim = make_claim(
                author=people["author"],
                article=article,
                quote=f"w{start:03d}-{number}",
                status="changes_requested",
                reviewer=people["reviewer"],
            )
            assert claim.status == "changes_requested"
        client = signed_in(people["author"])
        client.get(reverse("article-detail", args=[article.pk]))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("article-detail", args=[article.pk]))
        rows = page_data(response)["claims"]
        assert len(rows) == number
        assert all(row["last_decision"]["comment"] == "Checked." for row in rows)
        return len(queries)

    assert counted(2) == counted(12)


STATIC = Path(__file__).resolve().parents[1] / "annotations" / "static" / "annotations"


def test_every_sentence_the_pages_scripts_show_is_listed_for_translation() -> None:
    written: set[str] = set()
    for module in STATIC.glob("*.js"):
        written |= set(re.findall(r'\bt\(\s*"((?:[^"\\]|\\.)*)"', module.read_text("utf-8")))
    assert written, "the scripts write their sentences with t()"
    assert written <= set(PAGE_TEXTS), sorted(written - set(PAGE_TEXTS))


def test_the_page_carries_its_scripts_sentences_in_the_readers_language(
    people: dict[str, Any], claims: dict[str, Any]
) -> None:
    url = reverse("article-detail", args=[claims["article"].pk])
    client = signed_in(people["author"])
    # In English nothing needs carrying: the scripts' own words are shown.
    assert page_data(client.get(url))["texts"] == {}
    french = page_data(client.get(url, headers={"accept-language": "fr"}))["texts"]
    with translation.override("fr"):
        assert french == page_texts()
        # Whatever the French catalogue translates reaches the page, and nothing else.
        assert all(gettext(english) == words for english, words in french.items())


def test_the_article_text_is_sent_once(people: dict[str, Any], claims: dict[str, Any]) -> None:
    """The scripts read the text from #article-text; the page data names the article only."""
    article = claims["article"]
    response = signed_in(people["author"]).get(reverse("article-detail", args=[article.pk]))
    assert page_data(response)["article"] == {"id": article.pk}
    last_line = article.body.strip().splitlines()[-1]
    assert response.content.decode().count(last_line) == 1
