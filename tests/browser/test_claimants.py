"""The claim form's claimant field in a real Chromium: suggestions from the desk's claimants
as the editor types, a known one picked by name, a new one added with its kind."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from annotations import services
from annotations.models import Claim, Claimant
from annotations.roles import Role
from annotations.services.preferences import display_settings_save
from tests.browser.selecting import select_phrase_with_mouse
from tests.factories import ArticleFactory, make_user

PHRASE = "unemployment had fallen by half since 2020"


def type_kreml_in_a_new_claim(
    page: Any, article: Any, new_claim: str, claimant_label: str
) -> tuple[Any, Any]:
    """Select PHRASE, open the claim form (its button named `new_claim`) and type "kreml" in
    its claimant field (labelled `claimant_label`): the field, and its two suggestions."""
    select_phrase_with_mouse(page, article.body, PHRASE)
    page.get_by_role("button", name=new_claim).click()
    claimant = page.get_by_label(claimant_label, exact=True)
    claimant.press_sequentially("kreml")
    options = page.locator("#claimant-options option")
    expect(options).to_have_count(2)
    return claimant, options


def test_editor_picks_a_known_claimant_and_adds_a_new_organisation(
    open_page: Any, verdict_scale: None
) -> None:
    editor = make_user(Role.EDITOR, "ed")
    kremlin = services.claimant_create(actor=editor, name="Kremlin", kind="Organization")
    services.claimant_create(actor=editor, name="Kremlin Press Office", kind="Organization")
    article = ArticleFactory()
    page = open_page(editor, f"/articles/{article.pk}/")

    # The suggestions: every claimant whose name holds what was typed, best first.
    claimant, options = type_kreml_in_a_new_claim(page, article, "New claim", "Claimant")
    assert options.evaluate_all("(all) => all.map((o) => o.value)") == [
        "Kremlin",
        "Kremlin Press Office",
    ]
    claimant.fill("Kremlin")
    expect(page.locator("#claimant-hint")).to_have_text("Known claimant (organisation).")
    expect(page.get_by_label("The new claimant is")).to_be_hidden()
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#claim-form")).to_be_hidden()
    assert Claim.objects.get().claimant == kremlin

    select_phrase_with_mouse(
        page, article.body, "Critics noted that the figures came from a report"
    )
    page.get_by_role("button", name="New claim").click()
    expect(page.locator("#claimant-hint")).to_have_text("")
    claimant.press_sequentially("Ministry of Finance")
    expect(page.locator("#claimant-hint")).to_have_text(
        "New claimant: it is added when the claim is saved."
    )
    kind = page.get_by_label("The new claimant is")
    expect(kind).to_be_visible()
    kind.select_option(label="an organisation")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#claim-form")).to_be_hidden()
    ministry = Claimant.objects.get(name="Ministry of Finance")
    assert (ministry.kind, ministry.kind_unconfirmed) == ("Organization", False)
    assert Claim.objects.filter(claimant=ministry).count() == 1


def test_the_claimant_field_speaks_the_readers_language(
    open_page: Any, verdict_scale: None
) -> None:
    editor = make_user(Role.EDITOR, "red")
    display_settings_save(user=editor, time_zone="", language="fr")
    services.claimant_create(actor=editor, name="Kremlin", kind="Organization")
    services.claimant_create(actor=editor, name="Kremlin Watcher", kind="Person")
    article = ArticleFactory()
    page = open_page(editor, f"/articles/{article.pk}/")

    claimant, options = type_kreml_in_a_new_claim(
        page, article, "Nouvelle affirmation", "Auteur de l’affirmation"
    )
    assert options.evaluate_all("(all) => all.map((o) => o.label)") == [
        "Kremlin (organisation)",
        "Kremlin Watcher (personne)",
    ]
    claimant.fill("Kremlin")
    expect(page.locator("#claimant-hint")).to_have_text("Auteur connu (organisation).")
    claimant.fill("")
    claimant.press_sequentially("Ministère des Finances")
    expect(page.locator("#claimant-hint")).to_have_text(
        "Nouvel auteur : il est ajouté quand l’affirmation est enregistrée."
    )
    kind = page.get_by_label("Le nouvel auteur de l’affirmation est")
    expect(kind).to_be_visible()
    kind.select_option(label="une organisation")
