"""The desk's pages in the reader's language: their own choice, else their browser's
(Accept-Language), else English. French is complete; the API answers in English whatever
the client asks."""

from __future__ import annotations

import gettext
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from annotations.models import DisplaySettings
from annotations.services.preferences import display_settings_save
from tests.factories import make_claim

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "fr" / "LC_MESSAGES"
FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9,en;q=0.5"}


def test_a_french_browser_gets_the_pages_in_french(client: Client) -> None:
    html = client.get(reverse("login"), **FRENCH).content.decode()
    assert '<html lang="fr">' in html
    assert "<h1>Se connecter</h1>" in html
    assert "Mot de passe" in html


def test_a_browser_without_a_language_we_have_gets_english(client: Client) -> None:
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Sign in</h1>" in html


def test_the_readers_choice_wins_over_the_browser(client: Client, editor: Any) -> None:
    display_settings_save(user=editor, time_zone="", language="fr")
    client.force_login(editor)
    html = client.get(reverse("article-list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Se déconnecter" in html
    assert "Chercher dans les titres" in html


def test_dates_and_statuses_follow_the_language(client: Client, editor: Any, reviewer: Any) -> None:
    claim = make_claim(author=editor, status="approved", reviewer=reviewer)
    make_claim(author=editor, article=claim.article, status="changes_requested")
    client.force_login(editor)
    html = client.get(reverse("article-list"), **FRENCH).content.decode()
    assert "1 approuvée" in html and "1 modifications demandées" in html
    public = client.get(reverse("claim-public", args=[claim.pk]), **FRENCH).content.decode()
    assert "Vérification publiée le" in public
    assert re.search(
        r"\d+ (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) \d{4}",
        public,
    )


def test_the_claim_form_asks_for_a_new_claimants_kind_in_french(
    client: Client, editor: Any
) -> None:
    claim = make_claim(author=editor)
    client.force_login(editor)
    url = reverse("article-detail", args=[claim.article_id])
    html = client.get(url, **FRENCH).content.decode()
    assert "Le nouvel auteur de l’affirmation est" in html
    assert '<option value="Person">une personne</option>' in html
    assert '<option value="Organization">une organisation</option>' in html


def test_the_settings_page_saves_the_language_and_answers_in_it(
    client: Client, editor: Any
) -> None:
    client.force_login(editor)
    page = client.get(reverse("display-settings")).content.decode()
    assert '<option value="fr">Français</option>' in page
    response = client.post(
        reverse("display-settings"), {"language": "fr", "time_zone": "Europe/Paris"}, follow=True
    )
    html = response.content.decode()
    assert "Enregistré : les heures sont affichées en Europe/Paris" in html
    assert '<html lang="fr">' in html
    assert DisplaySettings.objects.get(user=editor).language == "fr"


def test_a_language_the_desk_does_not_have_is_refused(client: Client, editor: Any) -> None:
    client.force_login(editor)
    response = client.post(reverse("display-settings"), {"language": "tlh", "time_zone": ""})
    assert response.status_code == 400
    assert not DisplaySettings.objects.filter(user=editor).exists()


def test_error_pages_are_translated(client: Client, editor: Any) -> None:
    client.force_login(editor)
    html = client.get("/no/such/page/", **FRENCH).content.decode()
    assert "Erreur 404" in html and "Page introuvable" in html


def test_the_api_answers_in_english_whatever_the_client_asks(client: Client) -> None:
    body = client.get("/api/claims/", **FRENCH).json()
    assert body["error"]["message"] == "Authentication credentials were not provided."


def po_entries(po: str) -> list[tuple[str, str, str, list[str]]]:
    """(msgid, msgid_plural, msgstr, msgstr[n]...) of each entry of a .po file, the msgid with
    its context as gettext keys it; msgid_plural is "" for an entry without plural forms."""
    found = []

    def text(lines: str) -> str:
        return "".join(re.findall(r'"(.*)"', lines)).replace('\\"', '"').replace("\\\\", "\\")

    for entry in po.split("\n\n")[1:]:
        parts = re.search(
            r'^(?:msgctxt "(.*)"\n)?msgid ((?:".*"\n)+)(?:msgid_plural ((?:".*"\n)+))?'
            r"((?:msgstr(?:\[\d\])? (?:\".*\"\n?)+)+)",
            entry,
            re.M,
        )
        assert parts, entry
        key = text(parts.group(2))
        if parts.group(1):
            key = f"{parts.group(1)}\x04{key}"
        forms = [
            text(form) for form in re.split(r"^msgstr(?:\[\d\])? ", parts.group(4), flags=re.M)[1:]
        ]
        found.append((key, text(parts.group(3) or ""), forms[0], forms))
    return found


def test_the_french_catalogue_is_complete_and_compiled() -> None:
    entries = po_entries((CATALOGUE / "django.po").read_text(encoding="utf-8"))
    assert len(entries) > 100
    assert not [key for key, _, _, forms in entries if not all(forms)]
    with (CATALOGUE / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    stale = [
        key
        for key, plural, value, forms in entries
        if (
            catalogue.gettext(key) != value
            if not plural
            else [catalogue.ngettext(key, plural, n) for n in (1, 2)] != forms
        )
    ]
    assert not stale, f"run compilemessages: {stale[:3]}"


def test_the_french_catalogue_has_no_fuzzy_entry() -> None:
    # gettext skips a fuzzy entry: its English would show while the catalogue looks complete.
    po = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    fuzzy = [entry for entry in po.split("\n\n")[1:] if re.search(r"^#,.*\bfuzzy\b", entry, re.M)]
    assert not fuzzy, fuzzy[:3]
