"""The admin under the desk's name and in the reader's language: the factcheck header with a
way back to the desk, the desk's stylesheet, no dark theme, and French model names, columns,
actions and decision screen for a French reader (their browser or their own setting)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from annotations.services.preferences import display_settings_save
from tests.factories import make_claim

pytestmark = pytest.mark.django_db

FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9,en;q=0.5"}


def test_the_admin_carries_the_desks_name_style_and_a_way_back(
    client: Client, admin_user: Any
) -> None:
    client.force_login(admin_user)
    html = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<div id="site-name"><a href="/admin/">factcheck</a></div>' in html
    assert "<title>Administration of the desk | factcheck</title>" in html
    assert f'<a class="desk-link" href="{reverse("article-list")}">Back to the desk</a>' in html
    assert "annotations/admin.css" in html
    # Light only, as the desk: neither Django's dark theme nor its toggle.
    assert "dark_mode.css" not in html and "theme-toggle" not in html
    assert "Django administration" not in html


def test_a_french_browser_gets_the_admin_index_in_french(client: Client, admin_user: Any) -> None:
    client.force_login(admin_user)
    html = client.get(reverse("admin:index"), **FRENCH).content.decode()
    assert '<html lang="fr"' in html
    assert "<h1>Administration de la rédaction</h1>" in html
    assert "Vérification des faits" in html
    for name in ("Affirmations", "Auteurs d’affirmations", "Verdicts", "Étapes de relecture"):
        assert f">{name}</a>" in html, name
    assert "Retour à la rédaction" in html


def test_the_claims_list_follows_the_readers_own_language(
    client: Client, reviewer: Any, editor: Any
) -> None:
    make_claim(author=editor, status="submitted")
    display_settings_save(user=reviewer, time_zone="", language="fr")
    client.force_login(reviewer)
    html = client.get(
        reverse("admin:annotations_claim_changelist"), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Sélectionnez l’objet affirmation à afficher" in html
    assert "Approuver les affirmations sélectionnées" in html
    assert ">État</a>" in html and 'field-status_shown">Soumise</td>' in html
    assert "Cherche dans l’affirmation, la citation" in html
    # The status filter names the statuses as the column does.
    assert "Modifications demandées</a>" in html and "Changes requested" not in html


def test_the_decision_screen_is_in_french(client: Client, reviewer: Any, editor: Any) -> None:
    claim = make_claim(author=editor, status="submitted")
    client.force_login(reviewer)
    response = client.post(
        reverse("admin:annotations_claim_changelist"),
        {"action": "reject_claims", ACTION_CHECKBOX_NAME: [claim.pk]},
        **FRENCH,
    )
    html = response.content.decode()
    assert "<h1>Rejeter : 1 affirmation</h1>" in html
    assert "Chaque affirmation est décidée telle que vous la voyez ici" in html
    assert "Commentaire (obligatoire)" in html
    assert 'value="Rejeter" class="default"' in html
    assert "annotations/admin.css" in html
