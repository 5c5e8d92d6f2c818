"""The review queue and the review screen, through real requests on the real database."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from annotations import services
from annotations.models import Claim, ReviewEvent
from annotations.roles import Role
from tests.factories import ArticleFactory, make_claim, make_user, verdict

pytestmark = pytest.mark.django_db

QUEUE = reverse("review-queue")
NEXT = reverse("review-next")


def _screen(claim: Claim) -> str:
    return reverse("review-claim", args=[claim.pk])


def _act(client, claim, action, *, version=None, comment=""):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("review-act", args=[claim.pk]),
        {
            "action": action,
            "version": claim.version if version is None else version,
            "comment": comment,
        },
    )


def _submitted_in_order(author, count, **fields):  # type: ignore[no-untyped-def]
    """`count` submitted claims whose submission times increase with their position."""
    claims = [make_claim(author=author, status="submitted", **fields) for _ in range(count)]
    base = timezone.now() - timedelta(hours=1)
    for offset, claim in enumerate(claims):
        Claim.objects.filter(pk=claim.pk).update(submitted_at=base + timedelta(minutes=offset))
        claim.refresh_from_db()
    return claims


# --- Who gets in -----------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", [Role.EDITOR, None])
def test_non_reviewers_get_403_on_the_queue_and_review_next(client, role):
    client.force_login(make_user(role, "outsider"))
    assert client.get(QUEUE).status_code == 403
    assert client.post(NEXT).status_code == 403


def test_users_without_a_role_cannot_open_a_review_screen(client, editor, no_role_user):
    claim = make_claim(author=editor, status="approved")
    client.force_login(no_role_user)
    assert client.get(_screen(claim)).status_code == 403


def test_a_draft_is_not_found_for_anyone_but_its_author(client, editor, reviewer):
    draft = make_claim(author=editor)
    client.force_login(reviewer)
    assert client.get(_screen(draft)).status_code == 404
    assert _act(client, draft, "submit").status_code == 404
    client.force_login(editor)
    assert client.get(_screen(draft)).status_code == 200


# --- The queue -------------------------------------------------------------------------------


def test_queue_lists_submitted_claims_oldest_first_with_counts(client, editor, reviewer):
    older, newer = _submitted_in_order(editor, 2)
    make_claim(author=editor)  # a draft: not in the queue
    make_claim(author=editor, status="approved")
    client.force_login(reviewer)
    response = client.get(QUEUE)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(f'id="claim-{older.pk}"') < html.index(f'id="claim-{newer.pk}"')
    assert html.count('<tr id="claim-') == 2
    counts = response.context["counts"]
    assert (counts.submitted, counts.unassigned, counts.held_by_me) == (2, 2, 0)
    assert counts.decided_today == 1  # the approval make_claim made


def test_queue_shows_who_holds_each_claim(client, editor, reviewer, reviewer2):
    first, second = _submitted_in_order(editor, 2)
    services.review_next(reviewer=reviewer2)
    client.force_login(reviewer)
    html = client.get(QUEUE).content.decode()
    row = re.search(rf'<tr id="claim-{first.pk}">.*?</tr>', html, re.S)
    assert row and "held by rev2" in row.group(0)
    row = re.search(rf'<tr id="claim-{second.pk}">.*?</tr>', html, re.S)
    assert row and "unassigned" in row.group(0)


def test_queue_filters_by_article_verdict_and_author(client, editor, editor2, reviewer):
    article = ArticleFactory()
    on_article = make_claim(author=editor, article=article, status="submitted")
    misleading = make_claim(author=editor, status="submitted", verdict=verdict("misleading"))
    by_editor2 = make_claim(author=editor2, status="submitted")
    client.force_login(reviewer)

    def listed(**query):  # type: ignore[no-untyped-def]
        response = client.get(QUEUE, query)
        assert response.status_code == 200
        return {claim.pk for claim in response.context["page"].object_list}

    assert listed(article=article.pk) == {on_article.pk}
    assert listed(verdict=verdict("misleading").pk) == {misleading.pk}
    assert listed(author=editor2.pk) == {by_editor2.pk}
    assert listed() == {on_article.pk, misleading.pk, by_editor2.pk}


def test_queue_ignores_a_filter_value_that_does_not_exist(client, editor, reviewer):
    claim = make_claim(author=editor, status="submitted")
    client.force_login(reviewer)
    response = client.get(QUEUE, {"article": "999999", "verdict": "not-a-number"})
    assert response.status_code == 200
    assert [c.pk for c in response.context["page"].object_list] == [claim.pk]
    assert response.context["filter"].form.errors


def test_queue_query_count_does_not_grow_with_the_queue(client, editor, reviewer):
    client.force_login(reviewer)
    counts = []
    for more in (2, 10):
        _submitted_in_order(editor, more)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(QUEUE).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


def test_review_next_takes_the_oldest_unassigned_claim_never_ones_own(client, editor, reviewer):
    own = make_claim(author=reviewer, status="submitted")
    Claim.objects.filter(pk=own.pk).update(submitted_at=timezone.now() - timedelta(days=1))
    older, newer = _submitted_in_order(editor, 2)
    client.force_login(reviewer)
    response = client.post(NEXT)
    assert response.status_code == 302
    assert response["Location"] == _screen(older)
    older.refresh_from_db()
    assert older.reviewer == reviewer and older.assigned_at is not None
    # Asking again gives back the claim already held, not a second one.
    assert client.post(NEXT)["Location"] == _screen(older)
    newer.refresh_from_db()
    assert newer.reviewer is None


def test_review_next_honours_the_queue_filters(client, editor, editor2, reviewer):
    _submitted_in_order(editor, 1)
    wanted = make_claim(author=editor2, status="submitted")
    client.force_login(reviewer)
    response = client.post(NEXT, {"author": editor2.pk})
    assert response["Location"] == _screen(wanted)


def _next_says(client) -> str:  # type: ignore[no-untyped-def]
    response = client.post(NEXT, follow=True)
    assert response.redirect_chain[-1][0].startswith(QUEUE)
    return " ".join(str(m) for m in response.context["messages"])


def test_review_next_with_nothing_submitted_says_nothing_is_waiting(client, reviewer):
    client.force_login(reviewer)
    assert _next_says(client) == "Nothing to review: no claim is waiting in the queue."


def test_review_next_with_only_ones_own_claims_waiting_says_so(client, reviewer):
    make_claim(author=reviewer, status="submitted")
    client.force_login(reviewer)
    assert "The only claims waiting are your own" in _next_says(client)


def test_review_next_with_everything_held_by_others_says_so(client, editor, reviewer, reviewer2):
    make_claim(author=editor, status="submitted")
    services.review_next(reviewer=reviewer2)
    client.force_login(reviewer)
    assert "Every waiting claim is held by another reviewer" in _next_says(client)


def test_review_next_refuses_get(client, reviewer):
    client.force_login(reviewer)
    assert client.get(NEXT).status_code == 405


# --- The review screen -----------------------------------------------------------------------


def test_review_screen_shows_the_claim_in_its_paragraph_with_sources_and_history(
    client, editor, reviewer
):
    claim = make_claim(author=editor, status="submitted")
    client.force_login(reviewer)
    response = client.get(_screen(claim))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The mayor said <mark>unemployment had fallen by half since 2020</mark>." in html, (
        "the quote is marked inside its own line of the article"
    )
    assert "4.2 million" not in html.split("<mark>")[0].split("in-context")[-1]
    assert (
        '<a href="https://stats.example.org/unemployment" rel="noopener noreferrer nofollow" '
        'target="_blank">Labour survey</a>'
    ) in html
    assert "Official statistics show a 12% fall" in html
    assert "False" in html  # the verdict
    assert "Submit for review" in html and "Create" in html  # the history so far
    assert f'name="version" value="{claim.version}"' in html


def test_review_screen_escapes_user_text(client, editor, reviewer):
    claim = make_claim(
        author=editor,
        status="submitted",
        claimant='<script>alert("x")</script>',
        rationale="<img src=x onerror=alert(1)>",
    )
    client.force_login(reviewer)
    html = client.get(_screen(claim)).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert" in html


def test_review_pages_have_no_inline_script_or_style(client, editor, reviewer):
    claim = make_claim(author=editor, status="submitted")
    client.force_login(reviewer)
    for url in (QUEUE, _screen(claim)):
        html = client.get(url).content.decode()
        scripts = re.findall(r"<script[^>]*>", html)
        assert all(" src=" in tag for tag in scripts), scripts
        assert "style=" not in html and "<style" not in html
        assert not re.search(r"\son[a-z]+=", html)


def _choices(html: str) -> list[str]:
    return re.findall(r'<input type="radio" name="action" value="([a-z_]+)"', html)


def test_reviewer_sees_decisions_but_not_withdraw(client, editor, reviewer):
    claim = make_claim(author=editor, status="submitted")
    client.force_login(reviewer)
    html = client.get(_screen(claim)).content.decode()
    assert _choices(html) == ["approve", "request_changes", "reject"]
    assert html.count(f'action="/review/{claim.pk}/act/"') == 1, "one decision form"
    assert html.count("<textarea") == 1, "one comment box"


def test_the_review_screen_shows_no_version_to_people(client, editor, reviewer):
    claim = make_claim(author=editor, status="submitted")
    client.force_login(reviewer)
    html = client.get(_screen(claim)).content.decode()
    assert "Version" not in html
    assert f'<input type="hidden" name="version" value="{claim.version}">' in html


def test_the_review_screen_shows_the_verdict_with_its_colour_and_description(
    client, editor, reviewer
):
    claim = make_claim(author=editor, status="submitted")
    client.force_login(reviewer)
    html = client.get(_screen(claim)).content.decode()
    colour = claim.verdict.colour
    assert f'<span class="verdict-badge" data-verdict-colour="{colour}">False</span>' in html
    assert claim.verdict.description and claim.verdict.description in html


def test_a_claim_held_by_another_reviewer_is_read_only_and_names_the_holder(
    client, editor, reviewer, reviewer2
):
    claim = make_claim(author=editor, status="submitted")
    services.review_next(reviewer=reviewer2)
    client.force_login(reviewer)
    html = client.get(_screen(claim)).content.decode()
    assert "rev2 is reviewing this claim" in html
    assert _choices(html) == [] and "<textarea" not in html
    assert "Review next" in html  # the way on stays


def test_the_history_shows_decisions_with_their_comments(client, editor, reviewer, reviewer2):
    claim = make_claim(author=editor, status="changes_requested", reviewer=reviewer)
    client.force_login(reviewer2)
    html = client.get(_screen(claim)).content.decode()
    history = html.split('id="history"')[1]
    assert "Request changes" in history and "Checked." in history


def test_a_refused_decision_keeps_the_choice_and_the_comment(client, editor, reviewer):
    claim = make_claim(author=editor, status="submitted")
    client.force_login(reviewer)
    response = _act(client, claim, "reject", comment="")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="reject" checked' in html


def test_author_sees_withdraw_but_no_decisions(client, editor):
    claim = make_claim(author=editor, status="submitted")
    client.force_login(editor)
    html = client.get(_screen(claim)).content.decode()
    assert _choices(html) == ["withdraw"]


# --- Decisions -------------------------------------------------------------------------------


def test_approving_redirects_and_records_one_event(client, editor, reviewer):
    claim = make_claim(author=editor, status="submitted")
    client.force_login(reviewer)
    response = _act(client, claim, "approve", comment="Checked against the survey.")
    assert response.status_code == 302 and response["Location"] == _screen(claim)
    claim.refresh_from_db()
    assert claim.status == "approved" and claim.is_published and claim.reviewer == reviewer
    event = claim.events.get(action="approve")
    assert (event.actor, event.from_status, event.to_status) == (reviewer, "submitted", "approved")
    assert event.comment == "Checked against the survey."
    assert "approve done" in client.get(_screen(claim)).content.decode().lower()


def test_a_stale_version_shows_a_conflict_and_changes_nothing(client, editor, reviewer, reviewer2):
    claim = make_claim(author=editor, status="submitted")
    seen = claim.version
    services.claim_transition(
        claim_id=claim.pk,
        actor=reviewer2,
        action="request_changes",
        version=seen,
        comment="Cite it.",
    )
    client.force_login(reviewer)
    response = _act(client, claim, "approve", version=seen, comment="Fine by me.")
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone changed this claim while you were deciding" in html
    assert "Fine by me." in html, "the comment typed is kept"
    claim.refresh_from_db()
    assert claim.status == "changes_requested"
    assert not claim.events.filter(action="approve").exists()


def test_a_stale_decision_keeps_the_choice_and_comment_on_the_claim_as_it_now_is(
    client, editor, reviewer
):
    claim = make_claim(author=editor, status="submitted")
    seen = claim.version
    # The author takes it back and sends it again meanwhile.
    again = services.claim_transition(
        claim_id=claim.pk, actor=editor, action="withdraw", version=seen
    )
    again = services.claim_transition(
        claim_id=claim.pk, actor=editor, action="submit", version=again.version
    )
    client.force_login(reviewer)
    response = _act(client, claim, "reject", version=seen, comment="Unsupported figure.")
    assert response.status_code == 409
    html = response.content.decode()
    assert 'value="reject" checked' in html and "Unsupported figure." in html
    assert f'<input type="hidden" name="version" value="{again.version}">' in html
    assert "version" not in re.sub(r"<[^>]+>", "", html).lower()
    assert _act(client, again, "reject", comment="Unsupported figure.").status_code == 302


def test_rejecting_without_a_comment_is_refused_with_the_reason(client, editor, reviewer):
    claim = make_claim(author=editor, status="submitted")
    client.force_login(reviewer)
    response = _act(client, claim, "reject", comment="   ")
    assert response.status_code == 400
    assert "A comment is required" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == "submitted"


def test_reviewer_cannot_approve_own_claim_on_the_page(client, reviewer):
    claim = make_claim(author=reviewer, status="submitted")
    client.force_login(reviewer)
    response = _act(client, claim, "approve")
    assert response.status_code == 403
    assert "Nobody reviews their own claim" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == "submitted"


def test_a_decision_on_a_claim_held_by_another_reviewer_is_refused(
    client, editor, reviewer, reviewer2
):
    claim = make_claim(author=editor, status="submitted")
    services.review_next(reviewer=reviewer2)
    client.force_login(reviewer)
    response = _act(client, claim, "approve")
    assert response.status_code == 409
    assert "Another reviewer has taken this claim" in response.content.decode()


def test_a_decision_after_the_lease_ran_out_is_allowed(client, editor, reviewer, reviewer2):
    claim = make_claim(author=editor, status="submitted")
    services.review_next(reviewer=reviewer2)
    Claim.objects.filter(pk=claim.pk).update(assigned_at=timezone.now() - timedelta(minutes=31))
    client.force_login(reviewer)
    assert _act(client, claim, "approve").status_code == 302


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("version", "abc", "version"), ("action", "publish", "action"), ("version", "", "version")],
)
def test_malformed_posts_are_refused(client, editor, reviewer, field, value, message):
    claim = make_claim(author=editor, status="submitted")
    client.force_login(reviewer)
    data = {"action": "approve", "version": claim.version, "comment": ""}
    data[field] = value
    response = client.post(reverse("review-act", args=[claim.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == "submitted"


def test_a_comment_with_a_nul_character_is_refused(client, editor, reviewer):
    claim = make_claim(author=editor, status="submitted")
    client.force_login(reviewer)
    response = _act(client, claim, "reject", comment="bad\x00text")
    assert response.status_code == 400
    assert not claim.events.filter(action="reject").exists()


def test_release_hands_the_claim_back_to_the_queue(client, editor, reviewer):
    claim = make_claim(author=editor, status="submitted")
    client.force_login(reviewer)
    client.post(NEXT)
    assert "Release" in client.get(_screen(claim)).content.decode()
    response = client.post(reverse("review-release", args=[claim.pk]), follow=True)
    assert "back in the queue" in response.content.decode()
    claim.refresh_from_db()
    assert claim.reviewer is None and claim.assigned_at is None


def test_release_of_a_claim_someone_else_holds_changes_nothing(client, editor, reviewer, reviewer2):
    claim = make_claim(author=editor, status="submitted")
    services.review_next(reviewer=reviewer2)
    client.force_login(reviewer)
    response = client.post(reverse("review-release", args=[claim.pk]), follow=True)
    assert "nothing to release" in response.content.decode()
    claim.refresh_from_db()
    assert claim.reviewer == reviewer2


def test_author_withdraws_a_submitted_claim(client, editor):
    claim = make_claim(author=editor, status="submitted")
    client.force_login(editor)
    assert _act(client, claim, "withdraw").status_code == 302
    claim.refresh_from_db()
    assert claim.status == "draft"


def test_admin_reopens_an_approved_claim_with_a_reason(client, editor, admin_user):
    claim = make_claim(author=editor, status="approved")
    client.force_login(admin_user)
    assert _act(client, claim, "reopen").status_code == 400
    assert _act(client, claim, "reopen", comment="The survey was revised.").status_code == 302
    claim.refresh_from_db()
    assert claim.status == "submitted" and not claim.is_published
    html = client.get(_screen(claim)).content.decode()
    assert "Reopen for correction" in html and "The survey was revised." in html


def test_reviewer_cannot_reopen(client, editor, reviewer):
    claim = make_claim(author=editor, status="approved")
    client.force_login(reviewer)
    response = _act(client, claim, "reopen", comment="Why not.")
    assert response.status_code == 403
    assert "Only admins can reopen" in response.content.decode()
    assert ReviewEvent.objects.filter(claim=claim, action="reopen").count() == 0
