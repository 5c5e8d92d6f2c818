"""The sentences the services send to people follow the reader's language on the pages and the
admin; the API keeps answering in English (docs/design.md), and what the record stores is
written in the desk's language whoever made the change."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from annotations.errors import StaleVersion, refusal_message
from annotations.models import ReviewEvent
from annotations.services.claimants import claimant_create, validate_claimant_name
from annotations.services.preferences import display_settings_save
from annotations.services.revisions import article_edit_text, describe_revision
from annotations.workflow import Action, Status, TransitionNotAllowed
from tests.api.conftest import error_of, token_client
from tests.factories import ArticleFactory, make_claim

pytestmark = pytest.mark.django_db

FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9,en;q=0.5"}
LOOPBACK_PAGE = "http://127.0.0.1:9/article"


def test_a_refusal_is_in_the_language_active_when_it_is_raised(no_role_user: Any) -> None:
    with translation.override("fr"):
        stale = StaleVersion(sent=3, current=5)
        with pytest.raises(PermissionDenied) as refused:
            claimant_create(name="Le maire", actor=no_role_user)
        moved = TransitionNotAllowed(Status.APPROVED, Action.APPROVE)
    assert stale.message.startswith("Cette affirmation a été modifiée par quelqu’un d’autre")
    assert "version 3" in stale.message and "version 5" in stale.message
    assert str(refused.value) == (
        "Seuls les rédacteurs, les relecteurs et les administrateurs peuvent ajouter des "
        "auteurs d’affirmations."
    )
    assert str(moved) == "Une affirmation à l’état « approuvée » ne peut pas être approuvée."
    assert str(TransitionNotAllowed(Status.APPROVED, Action.APPROVE)) == (
        "A claim that is approved cannot be approved."
    )


def test_a_validation_error_with_parameters_is_translated_when_shown() -> None:
    with translation.override("fr"):
        with pytest.raises(ValidationError) as refused:
            validate_claimant_name("x" * 1000)
        assert refusal_message(refused.value).startswith("Assurez-vous que cette valeur")


def test_the_workflow_labels_follow_the_language() -> None:
    with translation.override("fr"):
        assert str(Status.CHANGES_REQUESTED.label) == "Modifications demandées"
        assert str(Action.REQUEST_CHANGES.label) == "Demander des modifications"
    assert str(Status.CHANGES_REQUESTED.label) == "Changes requested"


def test_a_french_browser_meets_a_french_refusal_on_the_import_page(admin_user: Any) -> None:
    client = Client()
    client.force_login(admin_user)
    answer = client.post(reverse("article-import"), {"url": LOOPBACK_PAGE}, **FRENCH)
    assert answer.status_code == 400
    assert (
        f"{LOOPBACK_PAGE} est à une adresse de bouclage 127.0.0.1, ce qui n’est pas permis"
        in answer.content.decode()
    )
    english = client.post(reverse("article-import"), {"url": LOOPBACK_PAGE})
    assert (
        f"{LOOPBACK_PAGE} is at a loopback address 127.0.0.1, which is not allowed"
        in english.content.decode()
    )


def test_a_reviewer_who_chose_french_meets_french_refusals_in_the_admin(
    reviewer: Any, editor: Any, reviewer2: Any
) -> None:
    display_settings_save(user=reviewer, time_zone="", language="fr")
    decided = make_claim(author=editor, status="approved", reviewer=reviewer2)
    client = Client()
    client.force_login(reviewer)
    response = client.post(
        reverse("admin:annotations_claim_changelist"),
        {
            "action": "approve_claims",
            "confirm": "yes",
            "comment": "",
            ACTION_CHECKBOX_NAME: [decided.pk],
            f"version_{decided.pk}": decided.version,
        },
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    notes = "\n".join(str(note) for note in get_messages(response.wsgi_request))
    assert "Une affirmation à l’état « approuvée » ne peut pas être approuvée." in notes


@pytest.mark.parametrize("french_setting", [False, True])
def test_the_api_answers_a_french_client_in_english(editor: Any, french_setting: bool) -> None:
    if french_setting:
        display_settings_save(user=editor, time_zone="", language="fr")
    claim = make_claim(author=editor)
    api = token_client(editor)
    api.client.defaults.update(FRENCH)
    stale = api.patch(f"/api/claims/{claim.pk}/", {"version": claim.version + 5, "rationale": "x"})
    assert stale.status_code == 409
    assert error_of(stale)["message"].startswith("This claim was changed by someone else")
    forbidden = api.post("/api/articles/", {"title": "A", "body": "Some text."})
    assert forbidden.status_code == 403
    assert error_of(forbidden)["message"] == "Only admins can import articles."


def test_the_record_is_written_in_the_desks_language_whoever_asks(
    admin_user: Any, editor: Any, reviewer: Any
) -> None:
    comments = []
    for language in ("en", "fr"):
        article = ArticleFactory()
        claim = make_claim(author=editor, article=article, status="approved", reviewer=reviewer)
        changed = article.body.replace("fallen by half", "fallen by a third")
        with translation.override(language):
            outcome = article_edit_text(article_id=article.pk, body=changed, actor=admin_user)
            described = describe_revision(outcome)
        event = ReviewEvent.objects.filter(claim=claim).latest("id")
        assert event.action == Action.ARTICLE_CHANGED
        comments.append(event.comment.split("):", 1)[1])
        assert event.comment.startswith("The article changed after the verdict. Revision 2 ")
        if language == "fr":
            assert "1 affirmation publiée renvoyée en relecture" in described
    assert comments[0] == comments[1]


def test_how_a_revision_arrived_is_named_in_the_readers_language() -> None:
    from django.utils import translation

    from annotations.models.revisions import RevisionKind

    with translation.override("fr"):
        assert str(RevisionKind.FILE.label) == "Importée depuis un fichier"
    with translation.override("en"):
        assert str(RevisionKind.FILE.label) == "Imported from a file"
