"""Search: what it finds (every field, any case and accents, in the article's language), for
whom (the visibility rule), in what order, with which snippets, kept up to date by the
services; the page and the API's `?search=`, and their refusals."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from annotations import search, services
from annotations.models import Article, Claim
from annotations.roles import Role
from annotations.services.search import search_reindex
from tests.factories import make_claim, make_user

pytestmark = pytest.mark.django_db

RU_BODY = (
    "Ещё в 2020 году Москва потратила на метро 500 миллиардов рублей.\n"
    "Всё это время цены на проезд не менялись.\n"
)
FR_BODY = (
    "Le ministre de l'Économie a déclaré que la dette dépasse 3 000 milliards d'euros.\n"
    "Élisabeth Borne répond que le déficit s'est réduit.\n"
)
EN_BODY = (
    "The city council approved a budget of 4.2 million euros on Tuesday.\n"
    "The mayor said unemployment had fallen by half since 2020.\n"
)


def imported(title: str, body: str, language: str) -> Article:
    return services.article_import(title=title, body=body, language=language).article


@pytest.fixture
def articles() -> dict[str, Article]:
    return {
        "ru": imported("Метро и цены", RU_BODY, "ru"),
        "fr": imported("La dette et l'Économie", FR_BODY, "fr"),
        "en": imported("Council approves budget", EN_BODY, "en"),
    }


def found(query: str, user=None) -> list[str]:  # type: ignore[no-untyped-def]
    claims = Claim.objects.visible_to(user) if user else Claim.objects.all()
    return [claim.claim_text for claim in search.search_claims(claims, query)]


def test_every_field_of_a_claim_is_searched(editor, articles) -> None:  # type: ignore[no-untyped-def]
    make_claim(
        author=editor,
        article=articles["en"],
        quote="The city council approved a budget of 4.2 million euros on Tuesday",
        claim_text="Council budget reached 4.2 million",
        rationale="The minutes of the session list a different amount.",
        sources=[{"url": "https://example.org/minutes", "title": "Session minutes (Tuesday)"}],
    )
    assert found("budget") == ["Council budget reached 4.2 million"]  # restated claim
    assert found("approved") == ["Council budget reached 4.2 million"]  # quote
    assert found("mayor") == ["Council budget reached 4.2 million"]  # claimant
    assert found("different amount") == ["Council budget reached 4.2 million"]  # rationale
    assert found("session minutes") == ["Council budget reached 4.2 million"]  # a source
    assert found("parliament") == []


def test_case_and_accents_do_not_matter_in_any_language(editor, articles) -> None:  # type: ignore[no-untyped-def]
    make_claim(
        author=editor,
        article=articles["ru"],
        quote="Ещё в 2020 году Москва потратила на метро 500 миллиардов рублей",
        claim_text="Ещё в 2020 году Москва потратила на метро 500 миллиардов рублей",
        claimant="",
    )
    make_claim(
        author=editor,
        article=articles["fr"],
        quote="la dette dépasse 3 000 milliards d'euros",
        claim_text="La dette dépasse 3 000 milliards d'euros, selon le ministre de l'Économie",
        claimant="",
    )
    ru = ["Ещё в 2020 году Москва потратила на метро 500 миллиардов рублей"]
    assert found("еще москва") == ru
    assert found("ЕЩЁ МОСКВА") == ru
    assert found("Москве") == []  # another form of the word is another word
    fr = ["La dette dépasse 3 000 milliards d'euros, selon le ministre de l'Économie"]
    assert found("economie depasse") == fr
    assert found("ÉCONOMIE DÉPASSE") == fr
    assert found("dépa") == []
    assert found("dépa*") == fr  # the words that start with it


def test_articles_are_found_by_title_and_text_in_their_language(articles) -> None:  # type: ignore[no-untyped-def]
    every = Article.objects.all()

    def titles(query: str) -> list[str]:
        return [a.title for a in search.search_articles(every, query)]

    assert titles("метро") == ["Метро и цены"]
    assert titles("всe время") == []  # a Latin e is not a Cyrillic е
    assert titles("все время") == ["Метро и цены"]
    assert titles("elisabeth borne") == ["La dette et l'Économie"]
    assert titles("economie") == ["La dette et l'Économie"]
    assert titles("unemployment") == ["Council approves budget"]


def test_search_shows_only_what_the_user_may_see(
    editor, editor2, reviewer, no_role_user, articles
) -> None:  # type: ignore[no-untyped-def]
    quote = "The mayor said unemployment had fallen by half since 2020"
    make_claim(author=editor, article=articles["en"], quote=quote, claim_text="Draft of ed")
    make_claim(author=editor2, article=articles["en"], quote=quote, claim_text="Draft of ed2")
    make_claim(
        author=editor2,
        reviewer=reviewer,
        article=articles["en"],
        quote=quote,
        claim_text="Published of ed2",
        status="approved",
    )
    assert sorted(found("of", editor)) == ["Draft of ed", "Published of ed2"]
    assert found("of", no_role_user) == ["Published of ed2"]


def test_better_matches_come_first(editor, articles) -> None:  # type: ignore[no-untyped-def]
    quote = "The mayor said unemployment had fallen by half since 2020"
    make_claim(
        author=editor,
        article=articles["en"],
        quote=quote,
        claim_text="Unemployment fell",
        rationale="Unemployment data: unemployment by district shows unemployment fell.",
    )
    make_claim(author=editor, article=articles["en"], quote=quote, claim_text="Budget grew")
    assert found("unemployment") == ["Unemployment fell", "Budget grew"]


def test_beyond_the_ranked_number_of_matches_the_newest_come_first(
    editor, articles, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    quote = "The mayor said unemployment had fallen by half since 2020"
    make_claim(
        author=editor,
        article=articles["en"],
        quote=quote,
        claim_text="Unemployment fell",
        rationale="Unemployment data: unemployment by district shows unemployment fell.",
    )
    make_claim(author=editor, article=articles["en"], quote=quote, claim_text="Budget grew")
    monkeypatch.setattr(search, "RANKED", 0)
    assert found("unemployment") == ["Budget grew", "Unemployment fell"]


def test_the_index_follows_every_edit(editor, articles) -> None:  # type: ignore[no-untyped-def]
    claim = make_claim(
        author=editor,
        article=articles["en"],
        quote="The mayor said unemployment had fallen by half since 2020",
        claim_text="Jobs vanished",
    )
    services.claim_update(
        claim_id=claim.pk,
        actor=editor,
        version=claim.version,
        changes={
            "claim_text": "Joblessness halved",
            "sources": [{"url": "https://example.org/s", "title": "Regional report"}],
        },
    )
    assert found("joblessness") == ["Joblessness halved"]
    assert found("vanished") == []
    assert found("labour survey") == []  # the source it had before
    assert found("regional report") == ["Joblessness halved"]
    article = articles["en"]
    services.article_update(
        article=article, actor=make_user(Role.ADMIN), changes={"title": "Städtischer Haushalt"}
    )
    assert [a.pk for a in search.search_articles(Article.objects.all(), "stadtischer")] == [
        article.pk
    ]
    assert search_reindex() == (1, 3)
    assert found("joblessness") == ["Joblessness halved"]


def test_search_reindex_writes_again_what_was_changed_behind_the_services(editor, articles) -> None:  # type: ignore[no-untyped-def]
    claim = make_claim(
        author=editor,
        article=articles["en"],
        quote="The mayor said unemployment had fallen by half since 2020",
        claim_text="Jobs vanished",
    )
    Claim.objects.filter(pk=claim.pk).update(claim_text="Factories closed")  # no service
    assert found("factories") == []
    out = StringIO()
    call_command("search_reindex", stdout=out)
    assert out.getvalue().strip() == "Indexed 1 claims and 3 articles."
    assert found("factories") == ["Factories closed"]
    assert found("vanished") == []


def test_snippets_escape_the_text_and_mark_only_the_words_found() -> None:
    text = "<b>Ça</b> coûte <script>alert(1)</script> — ça coûte cher & c'est tout"
    snippet = search.highlight(text, "ca cou*")
    assert "<script>" not in snippet and "<b>" not in snippet
    assert snippet.count("<mark>") == 4
    assert "<mark>Ça</mark>" in snippet and "<mark>coûte</mark>" in snippet
    assert "&amp;" in snippet and "&lt;script&gt;" in snippet
    long = "word " * 200 + "needle " + "word " * 200
    cut = search.highlight(long, "needle")
    assert cut.startswith("…") and cut.endswith("…") and "<mark>needle</mark>" in cut
    assert len(cut) < 400


# --- The page --------------------------------------------------------------------------------


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_search_page_lists_claims_with_filters_and_snippets(editor, reviewer, articles) -> None:  # type: ignore[no-untyped-def]
    quote = "The mayor said unemployment had fallen by half since 2020"
    make_claim(
        author=editor,
        reviewer=reviewer,
        article=articles["en"],
        quote=quote,
        claim_text="Unemployment halved <since 2020>",
        status="approved",
    )
    make_claim(author=editor, article=articles["en"], quote=quote, claim_text="Unemployment draft")
    client = signed_in(editor)
    page = client.get("/search/", {"q": "unemployment"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "2 claims for “unemployment”" in html
    assert "<mark>Unemployment</mark> halved &lt;since 2020&gt;" in html
    approved = client.get("/search/", {"q": "unemployment", "status": "approved"})
    assert "1 claim for" in approved.content.decode()
    by_claimant = client.get("/search/", {"q": "halved", "claimant": "the MAYOR"})
    assert "1 claim for" in by_claimant.content.decode()
    other = client.get("/search/", {"q": "halved", "claimant": "The minister"})
    assert "0 claims for" in other.content.decode()
    in_quote = client.get("/search/", {"q": "mayor"}).content.decode()
    assert "Quote:" in in_quote and "The <mark>mayor</mark> said" in in_quote
    articles_page = client.get("/search/", {"q": "council", "kind": "articles"})
    assert "<mark>Council</mark> approves budget" in articles_page.content.decode()
    assert 'href="/search/"' in client.get("/").content.decode()


def test_search_page_refuses_bad_filters_and_needs_a_sign_in(editor) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(editor)
    assert client.get("/search/", {"status": "nonsense"}).status_code == 400
    page = client.get("/search/", {"since": "2026-02-01", "until": "2026-01-01"})
    assert page.status_code == 400 and "is after" in page.content.decode()
    assert client.get("/search/?q=a&q=b").status_code == 400
    assert client.get("/search/", {"q": "x" * 201}).status_code == 400
    assert Client().get("/search/").status_code == 302


# --- The API ---------------------------------------------------------------------------------


def test_api_claims_and_articles_take_search(editor, reviewer, articles) -> None:  # type: ignore[no-untyped-def]
    make_claim(
        author=editor,
        reviewer=reviewer,
        article=articles["ru"],
        quote="Ещё в 2020 году Москва потратила на метро 500 миллиардов рублей",
        claim_text="Москва потратила на метро 500 миллиардов рублей",
        status="approved",
    )
    client = signed_in(editor)
    claims = client.get("/api/claims/", {"search": "МОСКВА метро"}).json()
    assert [c["claim_text"] for c in claims["results"]] == [
        "Москва потратила на метро 500 миллиардов рублей"
    ]
    assert client.get("/api/claims/", {"search": "metro"}).json()["count"] == 0
    found_articles = client.get("/api/articles/", {"search": "еще"}).json()
    assert [a["title"] for a in found_articles["results"]] == ["Метро и цены"]
    too_long = client.get("/api/claims/", {"search": "x" * 201})
    assert too_long.status_code == 400
    assert "search" in too_long.json()["error"]["fields"]
    repeated = client.get("/api/claims/?search=a&search=b")
    assert repeated.status_code == 400 and "search" in repeated.json()["error"]["fields"]
