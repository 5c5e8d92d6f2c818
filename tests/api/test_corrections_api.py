"""Corrections through the API: the resubmission carries the correction note, and its
approval publishes it, keeping the first publication's date."""

from __future__ import annotations

import pytest

from annotations.models import Publication
from tests.factories import make_claim
from tests.test_publication import NOTE, _act

pytestmark = pytest.mark.django_db


def test_the_api_carries_the_correction_note_and_refuses_one_without(
    api, editor, reviewer, admin_user
):
    claim = make_claim(author=editor, status="approved", reviewer=reviewer)
    _act(claim, admin_user, "reopen", "Readers report the survey was revised.")
    claim = _act(claim, reviewer, "request_changes", "Please correct the figure.")
    author = api(editor)
    refused = author.post(f"/api/claims/{claim.pk}/submit/", {"version": claim.version})
    assert refused.status_code == 400
    assert "comment" in refused.json()["error"]["fields"]
    done = author.post(
        f"/api/claims/{claim.pk}/submit/", {"version": claim.version, "comment": NOTE}
    )
    assert done.status_code == 200, done.content
    approved = api(reviewer).post(
        f"/api/claims/{claim.pk}/approve/", {"version": done.json()["version"]}
    )
    assert approved.status_code == 200, approved.content
    assert approved.json()["published_at"] == done.json()["published_at"]
    assert Publication.objects.get(claim=claim, number=2).note == NOTE
