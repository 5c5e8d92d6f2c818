"""/api/notifications/: a user's own notices, listed and marked read, for tools."""

from __future__ import annotations

import pytest

from annotations import services
from annotations.models import Notification
from tests.factories import make_claim

pytestmark = pytest.mark.django_db

REASON = "Cite the survey's table, not the press release."


@pytest.fixture
def notice(editor, reviewer):  # type: ignore[no-untyped-def]
    claim = make_claim(author=editor, status="submitted")
    services.claim_transition(
        claim_id=claim.pk,
        actor=reviewer,
        action="request_changes",
        version=claim.version,
        comment=REASON,
    )
    return Notification.objects.get(recipient=editor)


def test_the_author_lists_their_notices(api, editor, notice):
    answer = api(editor).get("/api/notifications/")
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 1
    (item,) = body["results"]
    assert item["id"] == notice.pk and item["kind"] == "changes_requested"
    assert item["kind_label"] == "Changes requested"
    assert item["claim"] == notice.claim_id and item["actor"] == "rev"
    assert item["comment"] == REASON and item["read"] is False and item["read_at"] is None


def test_unread_filter_and_marking(api, editor, notice):
    client = api(editor, session=True)
    assert client.post(f"/api/notifications/{notice.pk}/read/").json()["read"] is True
    assert client.get("/api/notifications/", {"unread": "true"}).json()["count"] == 0
    assert client.post(f"/api/notifications/{notice.pk}/unread/").json()["read"] is False
    assert client.get("/api/notifications/", {"unread": "true"}).json()["count"] == 1
    assert client.post("/api/notifications/read-all/").json() == {"marked": 1}


def test_nobody_sees_or_marks_someone_elses_notice(api, editor2, notice):
    client = api(editor2)
    assert client.get("/api/notifications/").json()["count"] == 0
    answer = client.post(f"/api/notifications/{notice.pk}/read/")
    assert answer.status_code == 404
    assert answer.json()["error"]["message"] == "No such notification."
    assert client.post("/api/notifications/read-all/").json() == {"marked": 0}
    notice.refresh_from_db()
    assert notice.read_at is None


def test_an_unknown_parameter_is_refused(api, editor, notice):
    assert api(editor).get("/api/notifications/", {"unred": "true"}).status_code == 400


def test_signed_out_callers_get_401(client, notice):
    assert client.get("/api/notifications/").status_code == 401
