"""The author's desk through real requests: "My claims", the notices and their settings, the
counts in the navigation; and the desk dashboard (reviewers and admins)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations import services
from annotations.models import Notification, NotificationSettings
from annotations.roles import Role
from tests.factories import make_claim, make_user

pytestmark = pytest.mark.django_db

MY_CLAIMS = reverse("my-claims")
NOTIFICATIONS = reverse("notifications")
SETTINGS = reverse("notification-settings")
DASHBOARD = reverse("desk-dashboard")
REASON = "The survey says 12%: correct the figure and cite table 3."


def send_back(claim, reviewer, comment=REASON):  # type: ignore[no-untyped-def]
    return services.claim_transition(
        claim_id=claim.pk,
        actor=reviewer,
        action="request_changes",
        version=claim.version,
        comment=comment,
    )


@pytest.mark.parametrize("url", [MY_CLAIMS, NOTIFICATIONS, SETTINGS, DASHBOARD])
def test_signed_out_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_my_claims_shows_the_reason_who_and_the_way_back(client, editor, reviewer):
    returned = send_back(make_claim(author=editor, status="submitted"), reviewer)
    make_claim(author=editor, status="approved", reviewer=reviewer)
    make_claim(author=editor)  # a draft
    client.force_login(editor)
    html = client.get(MY_CLAIMS).content.decode()
    card = re.search(rf'<li class="my-claim[^"]*" id="my-claim-{returned.pk}">.*?</li>', html, re.S)
    assert card, "the returned claim is listed"
    card_html = card.group(0)
    assert "Changes requested" in card_html and "by rev" in card_html and REASON in card_html
    assert f"/articles/{returned.article_id}/#claim-{returned.pk}" in card_html
    # Those needing the author come first.
    assert html.index(f'id="my-claim-{returned.pk}"') < html.index("Draft</span>")


def test_my_claims_by_status_and_nobody_elses(client, editor, editor2, reviewer):
    mine = make_claim(author=editor, status="approved", reviewer=reviewer)
    theirs = make_claim(author=editor2, status="approved", reviewer=reviewer)
    client.force_login(editor)
    response = client.get(MY_CLAIMS, {"status": "approved"})
    ids = [row["claim"].pk for row in response.context["rows"]]
    assert ids == [mine.pk] and theirs.pk not in ids
    assert client.get(MY_CLAIMS, {"status": "rejected"}).context["rows"] == []
    assert (
        "None of your claims is rejected"
        in client.get(MY_CLAIMS, {"status": "rejected"}).content.decode()
    )


def test_my_claims_runs_the_same_queries_however_many_claims(client, editor, reviewer):
    client.force_login(editor)
    counts = []
    for more in (1, 6):
        for _ in range(more):
            send_back(make_claim(author=editor, status="submitted"), reviewer)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(MY_CLAIMS).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


def test_the_navigation_counts_unread_notices_and_returned_claims(client, editor, reviewer):
    send_back(make_claim(author=editor, status="submitted"), reviewer)
    send_back(make_claim(author=editor, status="submitted"), reviewer)
    client.force_login(editor)
    html = client.get(reverse("article-list")).content.decode()
    assert re.search(r"My claims <span class=\"count\"[^>]*>2<", html)
    assert re.search(r"Notifications <span class=\"count\">2<", html)
    client.post(reverse("notifications-read-all"))
    html = client.get(reverse("article-list")).content.decode()
    assert not re.search(r"Notifications <span class=\"count\">", html)


def test_notifications_list_open_and_mark(client, editor, reviewer):
    claim = send_back(make_claim(author=editor, status="submitted"), reviewer)
    notice = Notification.objects.get()
    client.force_login(editor)
    html = client.get(NOTIFICATIONS).content.decode()
    assert "Changes requested" in html and REASON in html and "by rev" in html
    # Opening goes where the claim is edited, and marks it read.
    response = client.get(reverse("notification-open", args=[notice.pk]))
    assert response["Location"] == f"/articles/{claim.article_id}/#claim-{claim.pk}"
    notice.refresh_from_db()
    assert notice.is_read
    mark = reverse("notification-mark", args=[notice.pk])
    assert client.post(mark, {"read": "0", "next": NOTIFICATIONS})["Location"] == NOTIFICATIONS
    notice.refresh_from_db()
    assert not notice.is_read
    # The unread filter.
    assert client.get(NOTIFICATIONS, {"show": "unread"}).context["page"].object_list
    client.post(mark, {"read": "1"})
    assert not client.get(NOTIFICATIONS, {"show": "unread"}).context["page"].object_list


def test_nobody_opens_or_marks_someone_elses_notice(client, editor, editor2, reviewer):
    send_back(make_claim(author=editor, status="submitted"), reviewer)
    notice = Notification.objects.get()
    client.force_login(editor2)
    assert client.get(reverse("notification-open", args=[notice.pk])).status_code == 404
    mark = reverse("notification-mark", args=[notice.pk])
    assert client.post(mark, {"read": "1"}).status_code == 404
    assert list(client.get(NOTIFICATIONS).context["page"].object_list) == []
    notice.refresh_from_db()
    assert notice.read_at is None


def test_marking_refuses_a_malformed_post_and_an_outside_next(client, editor, reviewer):
    send_back(make_claim(author=editor, status="submitted"), reviewer)
    notice = Notification.objects.get()
    client.force_login(editor)
    mark = reverse("notification-mark", args=[notice.pk])
    response = client.post(mark, {"read": "maybe"}, follow=True)
    assert "Say whether to mark it read or unread." in response.content.decode()
    response = client.post(mark, {"read": "1", "next": "https://evil.example/"})
    assert response["Location"] == NOTIFICATIONS
    assert client.get(reverse("notification-open", args=[2**63])).status_code == 404


def test_email_can_be_turned_off_and_on(client, editor):
    editor.email = "ed@example.org"
    editor.save()
    client.force_login(editor)
    html = client.get(SETTINGS).content.decode()
    assert 'name="email"' in html and "checked" in html and "ed@example.org" in html
    response = client.post(SETTINGS, {}, follow=True)
    assert "no more e-mails" in response.content.decode()
    assert NotificationSettings.objects.get(user=editor).email is False
    client.post(SETTINGS, {"email": "on"})
    assert NotificationSettings.objects.get(user=editor).email is True


@pytest.mark.parametrize("role", [Role.EDITOR, None])
def test_the_dashboard_is_for_reviewers_and_admins(client, role):
    client.force_login(make_user(role, "outsider"))
    assert client.get(DASHBOARD).status_code == 403


def test_the_dashboard_draws_every_chart_beside_its_table(client, editor, reviewer, reviewer2):
    make_claim(author=editor, status="approved", reviewer=reviewer)
    make_claim(author=editor, status="changes_requested", reviewer=reviewer2)
    make_claim(author=editor, status="rejected", reviewer=reviewer)
    make_claim(author=editor, status="submitted")
    client.force_login(reviewer)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    for chart in ("queue", "wait", "reviewer", "verdict", "returned"):
        assert f'aria-labelledby="{chart}-chart-title {chart}-chart-desc"' in html, chart
    assert html.count("<table") == 5 and html.count('<svg class="chart"') == 5
    assert "<style" not in html and "style=" not in html
    assert not re.search(r"https?://(?!testserver)", html.split("<main")[1].split("</main>")[0])
    figures = response.context["figures"]
    assert figures.queue_now == 1 and figures.decided == 3 and figures.returned == 1
    assert {r.reviewer: r.total for r in figures.reviewers} == {"rev": 2, "rev2": 1}
    assert [(v.label, v.count) for v in figures.verdicts] == [("False", 1)]


def test_the_dashboard_runs_the_same_queries_however_long_the_record(client, editor, reviewer):
    client.force_login(reviewer)
    counts = []
    for more in (1, 8):
        for number in range(more):
            status = ("approved", "changes_requested", "rejected", "submitted")[number % 4]
            make_claim(author=editor, status=status, reviewer=reviewer)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(DASHBOARD, {"weeks": "4"}).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


def test_the_dashboard_takes_only_its_periods(client, reviewer):
    client.force_login(reviewer)
    assert client.get(DASHBOARD, {"weeks": "26"}).context["weeks"] == 26
    assert client.get(DASHBOARD, {"weeks": "1000"}).context["weeks"] == 12
    assert client.get(DASHBOARD, {"weeks": "x"}).context["weeks"] == 12


def test_a_claim_sent_back_by_an_article_change_opens_on_its_article(client, editor, reviewer):
    from annotations.services.notifications import notify

    claim = make_claim(author=editor, status="approved", reviewer=reviewer)
    notice = notify(
        recipient=editor, kind="article_changed", claim=claim, comment="The quote moved."
    )
    assert notice is not None
    client.force_login(editor)
    html = client.get(NOTIFICATIONS).content.decode()
    assert "Sent back to review: the article changed" in html and "by the desk" in html
    assert "The article&#x27;s text changed: check the claim in it." in html
    response = client.get(reverse("notification-open", args=[notice.pk]))
    assert response["Location"] == f"/articles/{claim.article_id}/#claim-{claim.pk}"


def test_notifications_run_the_same_queries_however_many(client, editor, reviewer):
    client.force_login(editor)
    counts = []
    for more in (1, 6):
        for _ in range(more):
            send_back(make_claim(author=editor, status="submitted"), reviewer)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(NOTIFICATIONS).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
