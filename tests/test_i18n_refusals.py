"""The refusals of the services, the API and the pages in the reader's language: a French
editor meets them in French on the pages and from the API calls of the pages' scripts (signed
in by session); programs (a token, or nobody signed in) get English whatever they ask; and
what the record stores is in the desk's language, whoever wrote it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from annotations import services
from annotations.models import Claim
from annotations.services.matching import claim_record_repeat
from annotations.services.preferences import display_settings_save
from annotations.tasks import match_article
from tests.api.conftest import Api, error_of, session_client, token_client
from tests.factories import make_claim

pytestmark = pytest.mark.django_db

FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9,en;q=0.5"}


@pytest.fixture(params=["browser", "setting"])
def french_page_client(request: pytest.FixtureRequest) -> Any:
    """The API as the desk's page scripts call it (annotations/static/annotations/api.js):
    signed in by session, asking in their page's language, for a reader whose browser asks
    for French or who chose French (their browser asking for English)."""

    def sign_in(user: Any) -> Api:
        api = session_client(user)
        if request.param == "browser":
            api.client.defaults.update(FRENCH)
        else:
            display_settings_save(user=user, time_zone="", language="fr")
            api.client.defaults.update(HTTP_ACCEPT_LANGUAGE="en")
        page = api.client.get(reverse("article-list")).content.decode()
        language = re.search(r'<html lang="([^"]+)">', page)
        assert language is not None and language.group(1) == "fr"
        api.client.defaults.update(HTTP_ACCEPT_LANGUAGE=language.group(1))
        return api

    return sign_in


def test_the_pages_scripts_meet_a_forbidden_write_in_french(
    french_page_client: Any, no_role_user: Any, article: Any
) -> None:
    answer = french_page_client(no_role_user).post(
        "/api/claims/", {"article": article.pk, "start": 0, "end": 3}
    )
    assert answer.status_code == 403
    assert error_of(answer)["message"] == (
        "Seuls les rédacteurs, les relecteurs et les administrateurs peuvent créer des "
        "affirmations."
    )


def test_the_pages_scripts_meet_a_conflict_and_an_invalid_input_in_french(
    french_page_client: Any, editor: Any, reviewer: Any, reviewer2: Any
) -> None:
    claim = make_claim(author=editor, status="submitted")
    assert services.review_next(reviewer=reviewer) == claim
    taken = french_page_client(reviewer2).post(
        f"/api/claims/{claim.pk}/approve/", {"version": claim.version}
    )
    assert taken.status_code == 409
    assert error_of(taken)["message"].startswith("Un autre relecteur a pris cette affirmation")
    empty = french_page_client(editor).patch(f"/api/claims/{claim.pk}/", {"version": 1})
    assert empty.status_code == 400
    assert error_of(empty)["message"] == (
        "Envoyez au moins un champ à modifier en plus de version."
    )


def test_an_invalid_import_from_the_pages_scripts_is_refused_in_french(
    french_page_client: Any, admin_user: Any
) -> None:
    answer = french_page_client(admin_user).post(
        "/api/articles/", {"url": "https://news.example.org/a", "body": "Some text."}
    )
    assert answer.status_code == 400
    assert error_of(answer)["fields"]["body"] == [
        "Envoyez soit url, pour récupérer la page, soit body, pas les deux."
    ]


def test_an_english_reader_gets_english(editor: Any, no_role_user: Any, article: Any) -> None:
    api = session_client(no_role_user)
    api.client.defaults.update(HTTP_ACCEPT_LANGUAGE="en")
    answer = api.post("/api/claims/", {"article": article.pk, "start": 0, "end": 3})
    assert error_of(answer)["message"] == ("Only editors, reviewers and admins can create claims.")


def test_a_program_gets_english_whatever_it_asks(no_role_user: Any, article: Any) -> None:
    # Even from a user who chose French: a token is a program's, and the API's messages are
    # its contract.
    display_settings_save(user=no_role_user, time_zone="", language="fr")
    api = token_client(no_role_user)
    api.client.defaults.update(FRENCH)
    answer = api.post("/api/claims/", {"article": article.pk, "start": 0, "end": 3})
    assert answer.status_code == 403
    assert error_of(answer)["message"] == ("Only editors, reviewers and admins can create claims.")


def test_the_api_keeps_its_times_in_utc_for_a_reader_in_another_zone(editor: Any) -> None:
    claim = make_claim(author=editor)
    display_settings_save(user=editor, time_zone="Europe/Paris", language="fr")
    api = session_client(editor)
    api.client.defaults.update(FRENCH)
    assert api.get(f"/api/claims/{claim.pk}/").json()["created_at"].endswith("Z")


@pytest.mark.parametrize("french", ["browser", "setting"])
def test_a_page_refuses_in_french(client: Client, editor: Any, french: str) -> None:
    client.force_login(editor)
    if french == "setting":
        display_settings_save(user=editor, time_zone="", language="fr")
        response = client.get(reverse("review-queue"), HTTP_ACCEPT_LANGUAGE="en")
    else:
        response = client.get(reverse("review-queue"), **FRENCH)
    assert response.status_code == 403
    assert "La file de relecture est réservée aux relecteurs et aux administrateurs." in (
        response.content.decode()
    )
    english = client.get(reverse("review-queue"), HTTP_ACCEPT_LANGUAGE="en")
    if french == "browser":
        assert "The review queue is for reviewers and admins." in english.content.decode()


EARLIER = "The mayor said unemployment had fallen by half since 2020.\n"
LATER = "Once more the mayor said unemployment had fallen by half since 2020, to applause.\n"


def test_a_repeat_is_recorded_in_the_desks_language_whoever_records_it(
    client: Client, editor: Any, editor2: Any, reviewer: Any
) -> None:
    first = services.article_import(title="Budget day", body=EARLIER, language="en").article
    earlier = make_claim(author=editor, reviewer=reviewer, article=first, status="approved")
    article = services.article_import(title="Later", body=LATER, language="en").article
    assert match_article.call(article.pk) == 1
    known = article.known_claims.get()
    display_settings_save(user=editor2, time_zone="", language="fr")
    client.force_login(editor2)
    page = client.post(
        reverse("known-claim-repeat", args=[article.pk, known.pk]), follow=True, **FRENCH
    ).content.decode()
    repeat = Claim.objects.get(repeat_of=earlier)
    assert f"Affirmation n° {repeat.pk} enregistrée comme reprise" in page
    assert repeat.rationale == f"Checked before: claim #{earlier.pk}."
    with translation.override("fr"):
        again = claim_record_repeat(known_claim_id=known.pk, author=editor)
    assert again.rationale == f"Checked before: claim #{earlier.pk}."


def test_the_search_and_claimant_pages_follow_the_language(client: Client, editor: Any) -> None:
    claim = make_claim(author=editor)
    client.force_login(editor)
    search = client.get(reverse("search"), {"q": "nothing-like-this"}, **FRENCH).content.decode()
    assert "Rien trouvé pour « nothing-like-this »" in search and "0 affirmation" in search
    claimant = client.get(
        reverse("claimant-page", args=[claim.claimant_id]), **FRENCH
    ).content.decode()
    assert "Aucune vérification de The mayor n’est encore publiée." in claimant
    english = client.get(reverse("search"), {"q": "nothing-like-this"}).content.decode()
    assert "Nothing found for “nothing-like-this”." in english and "0 claims" in english
