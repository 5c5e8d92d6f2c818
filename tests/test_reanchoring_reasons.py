"""Why a claim went where it did when its article changed: the record keeps a reason code and
its figures, and each reader gets the sentence in their language (the annotation page, the
API), while the claim's history is written once in the desk's."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from annotations.models import Article, Claim, Reanchoring, ReviewEvent
from annotations.reanchoring import REASONS, reason_text
from annotations.workflow import Action
from tests.factories import make_claim
from tests.test_revisions import EDITED, MOVED, ORPHANED, UNCHANGED, revise

pytestmark = pytest.mark.django_db

FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9,en;q=0.5"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def revised(article: Article, editor: Any) -> dict[str, Claim]:
    """One claim per outcome, all submitted (so each has the re-anchoring in its history),
    and the article's revision 2."""
    claims = {
        quote: make_claim(author=editor, article=article, quote=quote, status="submitted")
        for quote in (UNCHANGED, MOVED, EDITED, ORPHANED)
    }
    revise(article)
    return claims


def reason_of(claim: Claim) -> Reanchoring:
    return Reanchoring.objects.get(claim=claim)


def test_every_reason_reads_in_english_and_in_french_with_its_figures() -> None:
    figures = {"places": 3, "score": 72, "threshold": 80, "rival": 67}
    for code, template in REASONS.items():
        with translation.override("en"):
            names = re.findall(r"%\((\w+)\)d", str(template))
        values = {name: figures[name] for name in names}
        english = reason_text(code, values, language="en")
        french = reason_text(code, values, language="fr")
        assert english.endswith(".") and french.endswith("."), code
        assert french != english, f"{code} has no French sentence"
        for name in names:
            assert str(values[name]) in english and str(values[name]) in french, (code, name)


def test_a_reason_without_a_code_is_the_sentence_it_was_given() -> None:
    assert reason_text("", {}, "Moved by hand.") == "Moved by hand."


def test_each_outcome_records_a_code_and_the_figures_it_measured(
    revised: dict[str, Claim],
) -> None:
    assert reason_of(revised[UNCHANGED]).reason_code == "context_changed"
    assert reason_of(revised[MOVED]).reason_code == "moved_with_context"
    edited = reason_of(revised[EDITED])
    assert edited.reason_code == "words_edited"
    assert edited.score is not None and edited.reason_values == {"score": round(edited.score)}
    orphaned = reason_of(revised[ORPHANED])
    assert orphaned.reason_code == "passage_deleted"
    # The sentence is not stored: each reader's language writes it.
    assert {row.reason for row in Reanchoring.objects.all()} == {""}


def test_the_annotation_page_gives_the_reasons_in_the_readers_language(
    client: Client, editor: Any, article: Article, revised: dict[str, Claim]
) -> None:
    client.force_login(editor)
    url = reverse("article-detail", args=[article.pk])
    english = client.get(url, **ENGLISH).content.decode()
    french = client.get(url, **FRENCH).content.decode()
    for quote in (EDITED, ORPHANED):
        row = reason_of(revised[quote])
        assert escape(row.reason_sentence("en")) in english
        assert escape(row.reason_sentence("fr")) in french
        assert escape(row.reason_sentence("en")) not in french
    # The orphans' list names the reason too, in the reader's language.
    orphan = reason_of(revised[ORPHANED]).reason_sentence("fr")
    assert french.count(escape(orphan)) == 2
    # The lost quote is quoted as the language quotes.
    lost = revised[ORPHANED].pk
    assert f"affirmation n° {lost} : « {ORPHANED} »" in french
    assert f"claim #{lost}: “{ORPHANED}”" in english


def test_the_api_gives_the_reason_in_the_requests_language_with_its_code(
    client: Client, editor: Any, article: Article, revised: dict[str, Claim]
) -> None:
    client.force_login(editor)
    url = f"/api/articles/{article.pk}/revisions/2/"
    english = {row["claim"]: row for row in client.get(url, **ENGLISH).json()["reanchorings"]}
    french = {row["claim"]: row for row in client.get(url, **FRENCH).json()["reanchorings"]}
    edited = reason_of(revised[EDITED])
    row = french[edited.claim_id]
    assert (row["reason_code"], row["reason_values"]) == ("words_edited", edited.reason_values)
    assert row["reason"] == edited.reason_sentence("fr")
    assert row["reason"].startswith("Les mots mêmes de la citation ont été modifiés")
    assert english[edited.claim_id]["reason"].startswith("The quote's own words were edited")


def test_the_history_is_written_in_the_desks_language_whoever_asks(
    settings: Any, article: Article, editor: Any, admin_user: Any
) -> None:
    settings.LANGUAGE_CODE = "fr"
    edited = make_claim(author=editor, article=article, quote=EDITED, status="submitted")
    orphaned = make_claim(author=editor, article=article, quote=ORPHANED, status="submitted")
    with translation.override("en"):
        revise(article, actor=admin_user)
    line = ReviewEvent.objects.get(claim=edited, action=Action.REANCHOR).comment
    assert line.startswith("Révision 2 de l’article (")
    assert f"la citation « {EDITED} » se lit désormais « " in line
    assert line.endswith(reason_of(edited).reason_sentence("fr"))
    lost = ReviewEvent.objects.get(claim=orphaned, action=Action.REANCHOR).comment
    assert f"« {ORPHANED} » est introuvable dans le nouveau texte." in lost
    assert lost.endswith(reason_of(orphaned).reason_sentence("fr"))
