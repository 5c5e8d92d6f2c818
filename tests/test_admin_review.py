"""Review in Django's admin: the claim list, the decision actions through the service, users
and their roles, articles and the verdict scale."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from annotations import permissions, services
from annotations.models import Claim, ReviewEvent, Verdict
from annotations.roles import Role
from tests.factories import TEST_PASSWORD, ArticleFactory, make_claim

pytestmark = pytest.mark.django_db

User = get_user_model()
CHANGELIST = reverse("admin:annotations_claim_changelist")


def _choose(client, action, claims):  # type: ignore[no-untyped-def]
    """Pick an action on the changelist: the first step, which shows the decision page."""
    return client.post(
        CHANGELIST,
        {"action": action, "index": "0", ACTION_CHECKBOX_NAME: [c.pk for c in claims]},
    )


def _confirm(client, action, claims, comment="", versions=None):  # type: ignore[no-untyped-def]
    """Post the decision page, as the browser would, with the versions it showed."""
    data: dict[str, object] = {
        "action": action,
        "confirm": "yes",
        "comment": comment,
        ACTION_CHECKBOX_NAME: [c.pk for c in claims],
    }
    for claim in claims:
        data[f"version_{claim.pk}"] = (versions or {}).get(claim.pk, claim.version)
    return client.post(CHANGELIST, data, follow=True)


def _messages(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- Who gets in -----------------------------------------------------------------------------


def test_editors_and_users_without_a_role_are_kept_out_of_the_admin(client, editor, no_role_user):
    for user in (editor, no_role_user):
        client.force_login(user)
        response = client.get(CHANGELIST)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_reviewer_lists_claims_with_filters_and_search(client, editor, editor2, reviewer):
    wanted = make_claim(author=editor, status="submitted", claimant="The finance minister")
    other = make_claim(author=editor2, status="approved")
    draft = make_claim(author=editor)
    client.force_login(reviewer)

    def listed(**query):  # type: ignore[no-untyped-def]
        response = client.get(CHANGELIST, query)
        assert response.status_code == 200
        return {claim.pk for claim in response.context["cl"].result_list}

    assert listed() == {wanted.pk, other.pk}, "drafts stay with their author"
    assert draft.pk not in listed()
    assert listed(status__exact="submitted") == {wanted.pk}
    assert listed(author__id__exact=editor2.pk) == {other.pk}
    assert listed(article__id__exact=wanted.article_id) == {wanted.pk}
    assert listed(verdict__id__exact=wanted.verdict_id) == {wanted.pk, other.pk}
    assert listed(reviewer__isnull="True") == {wanted.pk}
    assert listed(q="finance minister") == {wanted.pk}


def test_claims_cannot_be_added_changed_or_deleted_in_the_admin(client, editor, admin_user):
    claim = make_claim(author=editor, status="submitted")
    client.force_login(admin_user)
    change_url = reverse("admin:annotations_claim_change", args=[claim.pk])
    page = client.get(change_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="_save"' not in html, "the claim page is read-only"
    assert "Labour survey" in html and "Submit for review" in html  # sources and history
    response = client.post(
        change_url, {"status": "approved", "version": 99, "claim_text": "changed"}
    )
    assert response.status_code == 403
    assert client.get(reverse("admin:annotations_claim_add")).status_code == 403
    delete_url = reverse("admin:annotations_claim_delete", args=[claim.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    claim.refresh_from_db()
    assert (claim.status, claim.version, claim.claim_text) == (
        "submitted",
        2,
        "unemployment had fallen by half since 2020",
    )


def test_the_history_cannot_be_edited_in_the_admin(client, editor, admin_user):
    claim = make_claim(author=editor, status="submitted")
    event = claim.events.first()
    assert event is not None
    client.force_login(admin_user)
    url = reverse("admin:annotations_reviewevent_change", args=[event.pk])
    assert client.post(url, {"comment": "rewritten"}).status_code == 403
    assert (
        client.post(
            reverse("admin:annotations_reviewevent_delete", args=[event.pk]), {"post": "yes"}
        ).status_code
        == 403
    )


# --- Decision actions ------------------------------------------------------------------------


def test_approve_action_shows_the_claims_then_approves_through_the_service(
    client, editor, reviewer
):
    claims = [make_claim(author=editor, status="submitted") for _ in range(2)]
    client.force_login(reviewer)
    page = _choose(client, "approve_claims", claims)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'name="version_{claims[0].pk}" value="{claims[0].version}"' in html
    assert Claim.objects.filter(status="approved").count() == 0, "choosing decides nothing"

    response = _confirm(client, "approve_claims", claims, comment="Both check out.")
    assert response.status_code == 200
    notes = _messages(response)
    assert {f"Claim #{c.pk}: approve done." for c in claims} <= set(notes)
    for claim in claims:
        claim.refresh_from_db()
        assert claim.status == "approved" and claim.reviewer == reviewer
        event = claim.events.get(action="approve")
        assert event.actor == reviewer and event.comment == "Both check out."


def test_reject_action_needs_a_comment_and_changes_nothing_without_one(client, editor, reviewer):
    claim = make_claim(author=editor, status="submitted")
    client.force_login(reviewer)
    response = _confirm(client, "reject_claims", [claim], comment="")
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == "submitted"
    _confirm(client, "reject_claims", [claim], comment="The survey says otherwise.")
    claim.refresh_from_db()
    assert claim.status == "rejected"


def test_actions_report_each_refusal_and_carry_on(client, editor, admin_user, reviewer2):
    own = make_claim(author=admin_user, status="submitted")
    stale = make_claim(author=editor, status="submitted")
    seen = stale.version
    services.claim_transition(
        claim_id=stale.pk,
        actor=reviewer2,
        action="request_changes",
        version=seen,
        comment="Cite it.",
    )
    decided = make_claim(author=editor, status="approved")
    fine = make_claim(author=editor, status="submitted")
    held = make_claim(author=editor, status="submitted")
    Claim.objects.filter(pk=held.pk).update(reviewer=reviewer2, assigned_at=timezone.now())

    client.force_login(admin_user)
    response = _confirm(
        client,
        "approve_claims",
        [own, stale, decided, fine, held],
        versions={stale.pk: seen},
    )
    notes = "\n".join(_messages(response))
    assert f"Claim #{own.pk}: refused (approve). Nobody reviews their own claim" in notes
    assert f"Claim #{stale.pk}: refused (approve). This claim was changed by someone" in notes
    assert f"Claim #{decided.pk}: refused (approve). A claim that is approved cannot" in notes
    assert f"Claim #{held.pk}: refused (approve). Another reviewer has taken" in notes
    assert f"Claim #{fine.pk}: approve done." in notes
    statuses = dict(Claim.objects.values_list("pk", "status"))
    assert statuses[own.pk] == "submitted" and statuses[held.pk] == "submitted"
    assert statuses[stale.pk] == "changes_requested" and statuses[fine.pk] == "approved"
    assert ReviewEvent.objects.filter(action="approve", actor=admin_user).count() == 1


def test_a_missing_version_refuses_that_claim(client, editor, reviewer):
    claim = make_claim(author=editor, status="submitted")
    client.force_login(reviewer)
    response = client.post(
        CHANGELIST,
        {"action": "approve_claims", "confirm": "yes", ACTION_CHECKBOX_NAME: [claim.pk]},
        follow=True,
    )
    assert f"Claim #{claim.pk}: no version was sent" in "\n".join(_messages(response))
    claim.refresh_from_db()
    assert claim.status == "submitted"


def test_reopen_action_is_for_admins_only(client, editor, reviewer, admin_user):
    claim = make_claim(author=editor, status="approved")
    client.force_login(reviewer)
    page = client.get(CHANGELIST)
    assert "reopen_claims" not in page.content.decode()
    _confirm(client, "reopen_claims", [claim], comment="Correction.")
    claim.refresh_from_db()
    assert claim.status == "approved"

    client.force_login(admin_user)
    assert "reopen_claims" in client.get(CHANGELIST).content.decode()
    response = _confirm(client, "reopen_claims", [claim], comment="The survey was revised.")
    assert f"Claim #{claim.pk}: reopen for correction done." in _messages(response)
    claim.refresh_from_db()
    assert claim.status == "submitted"
    assert claim.events.get(action="reopen").comment == "The survey was revised."


# --- Users and roles -------------------------------------------------------------------------


def test_reviewers_cannot_see_or_edit_users(client, reviewer, editor):
    client.force_login(reviewer)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    url = reverse("admin:auth_user_change", args=[editor.pk])
    assert client.post(url, {"username": "ed", "role": "admin"}).status_code == 403
    assert permissions.role_of(User.objects.get(pk=editor.pk)) == Role.EDITOR


def _user_form(user, **changes):  # type: ignore[no-untyped-def]
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "role": "",
        "is_active": "on",
    }
    data.update(changes)
    return data


def test_admin_sets_a_role_through_the_service(client, admin_user, editor):
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[editor.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="groups"' not in html and 'name="is_superuser"' not in html
    response = client.post(url, _user_form(editor, role="reviewer"))
    assert response.status_code == 302
    promoted = User.objects.get(pk=editor.pk)
    assert permissions.role_of(promoted) == Role.REVIEWER and promoted.is_staff
    assert list(promoted.groups.values_list("name", flat=True)) == ["reviewer"]

    client.post(url, _user_form(editor, role=""))
    demoted = User.objects.get(pk=editor.pk)
    assert permissions.role_of(demoted) is None and not demoted.is_staff


def test_admin_cannot_make_someone_superuser_through_the_form(client, admin_user, editor):
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[editor.pk])
    client.post(url, _user_form(editor, role="editor", is_superuser="on", is_staff="on"))
    editor = User.objects.get(pk=editor.pk)
    assert not editor.is_superuser and not editor.is_staff


def test_admin_adds_a_user_with_a_role(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "newcomer",
            "usable_password": "true",
            "password1": TEST_PASSWORD,
            "password2": TEST_PASSWORD,
            "role": "editor",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    newcomer = User.objects.get(username="newcomer")
    assert permissions.role_of(newcomer) == Role.EDITOR and not newcomer.is_staff


def test_only_a_superuser_changes_a_superuser(client, admin_user):
    root = User.objects.create_superuser("root", password=TEST_PASSWORD)
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[root.pk])
    assert client.post(url, _user_form(root, role="editor")).status_code == 403
    password_url = reverse("admin:auth_user_password_change", args=[root.pk])
    assert client.get(password_url).status_code == 403


def test_users_are_not_deleted_in_the_admin(client, admin_user, editor):
    client.force_login(admin_user)
    url = reverse("admin:auth_user_delete", args=[editor.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=editor.pk).exists()


# --- Articles and verdicts -------------------------------------------------------------------


def test_a_verdict_in_use_cannot_be_deleted_and_says_why(client, editor, admin_user):
    make_claim(author=editor)
    used = Verdict.objects.get(slug="false")
    client.force_login(admin_user)
    url = reverse("admin:annotations_verdict_delete", args=[used.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cannot delete verdict" in html and "protected related objects" in html
    assert Verdict.objects.filter(pk=used.pk).exists()
    bulk = client.post(
        reverse("admin:annotations_verdict_changelist"),
        {"action": "delete_selected", "index": "0", ACTION_CHECKBOX_NAME: [used.pk], "post": "yes"},
    )
    assert bulk.status_code == 200
    assert Verdict.objects.filter(pk=used.pk).exists()


def test_an_unused_verdict_can_be_deleted_by_an_admin_only(client, reviewer, admin_user):
    unused = Verdict.objects.create(label="Unproven", slug="unproven")
    url = reverse("admin:annotations_verdict_delete", args=[unused.pk])
    client.force_login(reviewer)
    assert client.post(url, {"post": "yes"}).status_code == 403
    client.force_login(admin_user)
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Verdict.objects.filter(pk=unused.pk).exists()


def test_an_article_body_changes_in_the_admin_only_as_a_new_revision(client, admin_user, article):
    client.force_login(admin_user)
    assert client.get(reverse("admin:annotations_article_add")).status_code == 403
    url = reverse("admin:annotations_article_change", args=[article.pk])
    response = client.post(
        url,
        {
            "title": "A better title",
            "body": "Entirely different text.",
            "source_url": article.source_url,
            "publisher": article.publisher,
            "byline": article.byline,
            "published_on": "",
            "language": "en",
        },
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "A better title"
    assert article.body == "Entirely different text."
    assert list(article.revisions.values_list("number", "kind", "created_by")) == [
        (1, "file", None),
        (2, "edit", admin_user.pk),
    ]
    assert article.revisions.get(number=1).body.startswith("The city council approved")


def test_a_source_url_another_article_holds_is_refused_in_the_admin_in_words(client, admin_user):
    taken = ArticleFactory(source_url="https://news.example.org/taken")
    article = ArticleFactory(source_url="https://news.example.org/free")
    client.force_login(admin_user)
    url = reverse("admin:annotations_article_change", args=[article.pk])
    response = client.post(
        url,
        {
            "title": article.title,
            "source_url": taken.source_url,
            "publisher": "",
            "byline": "",
            "published_on": "",
            "language": "en",
        },
    )
    # The form checks the constraint itself now that it names no field the form leaves out.
    assert response.status_code == 200
    assert "An article from this source URL is already imported." in response.content.decode()
    article.refresh_from_db()
    assert article.source_url == "https://news.example.org/free"
