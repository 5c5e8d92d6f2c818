"""/api/claims/: create, read, change, delete, the transitions' refusals, history, filters."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.api.pagination import CappedCountPagination
from annotations.models import Claim, ReviewEvent
from annotations.roles import Role
from tests.api.conftest import error_of
from tests.factories import ArticleFactory, make_claim, make_user

pytestmark = pytest.mark.django_db

QUOTE = "unemployment had fallen by half since 2020"

CLAIM_FIELDS = {
    "id",
    "article",
    "start",
    "end",
    "quote",
    "prefix",
    "suffix",
    "claim_text",
    "claimant",
    "verdict",
    "rationale",
    "sources",
    "status",
    "author",
    "reviewer",
    "version",
    "created_at",
    "updated_at",
}


def new_claim_body(article, quote: str = QUOTE, **fields):  # type: ignore[no-untyped-def]
    start = article.body.index(quote)
    return {"article": article.pk, "start": start, "end": start + len(quote), **fields}


# --- create ---------------------------------------------------------------------------------


def test_editor_creates_claim_with_sources_and_the_answer_has_the_contract_fields(
    api, editor, article
):
    body = new_claim_body(
        article,
        quote=QUOTE,
        claim_text="Unemployment halved since 2020.",
        claimant="The mayor",
        verdict="false",
        rationale="The survey shows a 12% fall.",
        sources=[
            {
                "url": "https://stats.example.org/labour",
                "title": "Labour survey",
                "publisher": "Statistics office",
                "accessed_on": "2024-03-01",
                "archive_url": "https://archive.example.org/labour",
                "passage": "Unemployment fell by 12%.",
                "kind": "dataset",
            }
        ],
    )
    answer = api(editor).post("/api/claims/", body)
    assert answer.status_code == 201, answer.content
    claim = answer.json()
    assert set(claim) >= CLAIM_FIELDS
    assert claim["quote"] == QUOTE == article.body[claim["start"] : claim["end"]]
    assert claim["prefix"] == article.body[claim["start"] - 32 : claim["start"]]
    assert claim["verdict"] == "false"
    assert claim["author"] == "ed"
    assert claim["reviewer"] is None
    assert claim["status"] == "draft"
    assert claim["version"] == 1
    assert claim["article"] == article.pk
    assert claim["sources"] == [
        {
            "id": Claim.objects.get(pk=claim["id"]).sources.get().pk,
            "url": "https://stats.example.org/labour",
            "title": "Labour survey",
            "publisher": "Statistics office",
            "published_on": None,
            "accessed_on": "2024-03-01",
            "archive_url": "https://archive.example.org/labour",
            "passage": "Unemployment fell by 12%.",
            "kind": "dataset",
        }
    ]
    assert Claim.objects.get(pk=claim["id"]).author == editor


def test_offsets_count_code_points_not_utf16_units(api, editor, admin_user):
    article = ArticleFactory(body="Emoji 😀 first. Then the claim that matters.\n")
    start = article.body.index("the claim")
    answer = api(editor).post(
        "/api/claims/", {"article": article.pk, "start": start, "end": start + 9}
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["quote"] == "the claim"


def test_quote_given_must_match_the_body(api, editor, article):
    body = {**new_claim_body(article), "quote": "unemployment had risen by half since 2020"}
    answer = api(editor).post("/api/claims/", body)
    assert answer.status_code == 400
    assert "quote" in error_of(answer)["fields"]
    assert not Claim.objects.exists()


def test_create_with_submit_true_sends_the_claim_to_review(api, editor, article):
    body = new_claim_body(article, verdict="false", rationale="Survey says 12%.", submit=True)
    answer = api(editor).post("/api/claims/", body)
    assert answer.status_code == 201, answer.content
    assert answer.json()["status"] == "submitted"
    assert answer.json()["version"] == 2


def test_create_with_submit_but_no_verdict_is_refused_and_stores_nothing(api, editor, article):
    answer = api(editor).post("/api/claims/", new_claim_body(article, submit=True))
    assert answer.status_code == 400
    assert set(error_of(answer)["fields"]) == {"verdict", "rationale"}
    assert not Claim.objects.exists()
    assert not ReviewEvent.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start": -1}, "start"),
        ({"start": "ten"}, "start"),
        ({"end": 10**9}, "end"),
        ({"end": 1, "start": 5}, "end"),
        ({"article": 10**30}, "article"),
        ({"article": 987654}, "article"),
        ({"verdict": "no-such-verdict"}, "verdict"),
        ({"sources": [{"url": "javascript:alert(1)"}]}, "sources"),
        ({"sources": [{"title": "no url"}]}, "sources"),
        ({"sources": "https://example.org"}, "sources"),
        ({"claimant": "x" * 301}, "claimant"),
        ({"rationale": "nul \x00 byte"}, "rationale"),
        ({"status": "approved"}, "status"),
        ({"author": "rev"}, "author"),
        ({"version": 7}, "version"),
    ],
)
def test_bad_claim_input_is_a_400_naming_the_field(api, editor, article, change, field):
    body = {**new_claim_body(article), **change}
    answer = api(editor).post("/api/claims/", body)
    assert answer.status_code == 400, answer.content
    error = error_of(answer)
    assert error["code"] == "invalid"
    assert field in error["fields"]
    assert all(isinstance(m, str) for m in error["fields"][field])
    assert not Claim.objects.exists()


def test_body_that_is_not_an_object_is_a_400(api, editor):
    answer = api(editor).post("/api/claims/", [1, 2, 3])
    assert answer.status_code == 400
    assert "non_field_errors" in error_of(answer)["fields"]


def test_malformed_json_is_a_400(api, editor):
    answer = api(editor).client.post(
        "/api/claims/", data="{not json", content_type="application/json"
    )
    assert answer.status_code == 400
    assert error_of(answer)["code"] == "parse_error"


def test_form_encoded_body_is_a_415(api, editor):
    answer = api(editor).client.post("/api/claims/", {"article": 1}, format="multipart")
    assert answer.status_code == 415
    assert error_of(answer)["code"] == "unsupported_media_type"


def test_user_without_role_cannot_create_claims(api, no_role_user, article):
    answer = api(no_role_user).post("/api/claims/", new_claim_body(article))
    assert answer.status_code == 403
    assert error_of(answer)["code"] == "permission_denied"
    assert not Claim.objects.exists()


def test_anonymous_request_is_a_401_with_a_token_challenge(client, article):
    answer = client.post("/api/claims/", new_claim_body(article), content_type="application/json")
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"] == "Token"
    assert error_of(answer)["code"] == "not_authenticated"


def test_bad_token_is_a_401(client):
    answer = client.get("/api/claims/", HTTP_AUTHORIZATION="Token not-a-real-token")
    assert answer.status_code == 401
    assert error_of(answer)["code"] == "authentication_failed"


def test_session_create_works_with_csrf_header(api, editor, article):
    answer = api(editor, session=True).post("/api/claims/", new_claim_body(article))
    assert answer.status_code == 201, answer.content


def test_session_write_without_csrf_header_is_refused(api, editor, article):
    client = api(editor, session=True).client
    client.credentials()
    answer = client.post("/api/claims/", new_claim_body(article), format="json")
    assert answer.status_code == 403
    assert "CSRF" in error_of(answer)["message"]
    assert not Claim.objects.exists()


# --- read -----------------------------------------------------------------------------------


def test_author_reads_own_draft(api, editor):
    claim = make_claim(author=editor)
    answer = api(editor).get(f"/api/claims/{claim.pk}/")
    assert answer.status_code == 200
    assert answer.json()["id"] == claim.pk


def test_someone_elses_draft_is_a_404(api, editor, editor2, reviewer):
    claim = make_claim(author=editor)
    for user in (editor2, reviewer):
        answer = api(user).get(f"/api/claims/{claim.pk}/")
        assert answer.status_code == 404
        assert error_of(answer)["code"] == "not_found"


def test_user_without_role_sees_only_published_claims(api, editor, reviewer, no_role_user):
    published = make_claim(author=editor, status="approved", reviewer=reviewer)
    submitted = make_claim(author=editor, status="submitted")
    client = api(no_role_user)
    assert client.get(f"/api/claims/{published.pk}/").status_code == 200
    assert client.get(f"/api/claims/{submitted.pk}/").status_code == 404
    assert [c["id"] for c in client.get("/api/claims/").json()["results"]] == [published.pk]


def test_unknown_and_out_of_range_ids_are_404s(api, editor):
    client = api(editor)
    for path in ("/api/claims/999999/", f"/api/claims/{10**30}/", "/api/claims/abc/"):
        answer = client.get(path)
        assert answer.status_code == 404, path
        error_of(answer)


# --- list and filters -----------------------------------------------------------------------


def test_list_is_scoped_and_filtered(api, editor, editor2, reviewer):
    article = ArticleFactory()
    mine = make_claim(author=editor, article=article)
    others_draft = make_claim(author=editor2, article=article, quote="The city council")
    others_submitted = make_claim(author=editor2, status="submitted", quote="Critics noted")
    client = api(editor)

    def ids(params):  # type: ignore[no-untyped-def]
        answer = client.get("/api/claims/", params)
        assert answer.status_code == 200, answer.content
        return {c["id"] for c in answer.json()["results"]}

    assert ids({}) == {mine.pk, others_submitted.pk}
    assert others_draft.pk not in ids({"author": "ed2"})
    assert ids({"author": "ed2"}) == {others_submitted.pk}
    assert ids({"article": article.pk}) == {mine.pk}
    assert ids({"status": "submitted"}) == {others_submitted.pk}
    assert ids({"verdict": "false"}) == {mine.pk, others_submitted.pk}
    assert ids({"verdict": "true"}) == set()


@pytest.mark.parametrize(
    "params",
    [
        {"status": "published"},
        {"article": "one"},
        {"article": str(10**30)},
        {"ordering": "author__password"},
        {"page": "99"},
    ],
)
def test_bad_list_parameters_are_errors_not_500s(api, editor, params):
    make_claim(author=editor)
    answer = api(editor).get("/api/claims/", params)
    assert answer.status_code in (400, 404), answer.content
    error_of(answer)


def test_lookups_that_are_not_listed_are_refused(api, editor):
    make_claim(author=editor)
    answer = api(editor).get("/api/claims/", {"author__username__startswith": "zzz"})
    assert answer.status_code == 400
    error = error_of(answer)
    assert list(error["fields"]) == ["author__username__startswith"]
    assert "Unknown parameter" in error["fields"]["author__username__startswith"][0]


@pytest.mark.parametrize("path", ["/api/claims/", "/api/articles/"])
def test_a_misspelt_filter_is_a_400_naming_it_not_an_unfiltered_list(api, editor, path):
    make_claim(author=editor)
    answer = api(editor).get(path, {"stauts": "draft"})
    assert answer.status_code == 400
    message = error_of(answer)["fields"]["stauts"][0]
    assert message.startswith("Unknown parameter. This endpoint takes:")


@pytest.mark.parametrize(
    ("path", "name", "values"),
    [
        ("/api/claims/", "status", ["draft", "approved"]),
        ("/api/claims/", "page", ["1", "2"]),
        ("/api/articles/", "search", ["council", "mayor"]),
        ("/api/export/", "status", ["approved", "approved"]),
        ("/api/export/", "format", ["native", "claimreview"]),
    ],
)
def test_a_parameter_given_twice_is_a_400_naming_it(api, reviewer, editor, path, name, values):
    """Not the last value silently: the request asked two things at once."""
    make_claim(author=editor, status="approved")
    answer = api(reviewer).get(f"{path}?" + "&".join(f"{name}={value}" for value in values))
    assert answer.status_code == 400, answer.content
    assert list(error_of(answer)["fields"]) == [name]
    assert "more than once" in error_of(answer)["fields"][name][0]
    # Once is fine.
    assert api(reviewer).get(path, {name: values[0]}).status_code == 200


def test_every_listed_parameter_is_still_taken(api, editor):
    claim = make_claim(author=editor)
    params = {
        "article": claim.article_id,
        "status": "draft",
        "verdict": claim.verdict.slug,
        "author": editor.username,
        "ordering": "-created_at",
        "page": 1,
        "page_size": 10,
        "format": "json",
    }
    answer = api(editor).get("/api/claims/", params)
    assert answer.status_code == 200, answer.content
    assert [c["id"] for c in answer.json()["results"]] == [claim.pk]
    answer = api(editor).get("/api/articles/", {"search": "x", "ordering": "title", "page": 1})
    assert answer.status_code == 200, answer.content


def test_page_size_is_capped(api, editor):
    make_claim(author=editor)
    answer = api(editor).get("/api/claims/", {"page_size": 100000})
    assert answer.status_code == 200
    assert answer.json()["count"] == 1


def test_list_count_stops_at_its_cap_and_every_page_stays_reachable(api, editor, monkeypatch):
    for _ in range(3):
        make_claim(author=editor)
    client = api(editor)
    everything = client.get("/api/claims/").json()
    assert (everything["count"], everything["count_capped"]) == (3, False)

    monkeypatch.setattr(CappedCountPagination, "COUNT_CAP", 2)
    first = client.get("/api/claims/", {"page_size": 1}).json()
    assert (first["count"], first["count_capped"]) == (2, True)
    assert first["previous"] is None
    assert first["next"].endswith("page=2&page_size=1")
    last = client.get("/api/claims/", {"page_size": 1, "page": 3}).json()
    assert (last["count"], last["count_capped"]) == (2, True)
    assert last["next"] is None
    assert last["previous"].endswith("page=2&page_size=1")
    pages = [first, client.get(first["next"]).json(), last]
    assert [c["id"] for page in pages for c in page["results"]] == [
        c["id"] for c in everything["results"]
    ]
    second = client.get("/api/claims/", {"page_size": 1, "page": 2}).json()
    assert "page=" not in second["previous"]


@pytest.mark.parametrize("page", ["4", "0", "-1", "two", str(10**30)])
def test_a_page_past_the_end_or_not_a_page_is_a_404(api, editor, page):
    for _ in range(3):
        make_claim(author=editor)
    answer = api(editor).get("/api/claims/", {"page_size": 1, "page": page})
    assert answer.status_code == 404, answer.content
    error_of(answer)
    assert api(editor).get("/api/claims/", {"status": "rejected"}).json()["count"] == 0


# --- change ---------------------------------------------------------------------------------


def test_author_patches_a_draft_and_the_version_moves(api, editor):
    claim = make_claim(author=editor)
    answer = api(editor).patch(
        f"/api/claims/{claim.pk}/",
        {"version": claim.version, "rationale": "Better sourced now.", "verdict": "half-true"},
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["rationale"] == "Better sourced now."
    assert answer.json()["verdict"] == "half-true"
    assert answer.json()["version"] == claim.version + 1


def test_writes_that_keep_the_span_never_read_the_article(api, editor, reviewer):
    """An article's body may be megabytes: changing, deciding, deleting a claim or reading
    its history must not fetch it (only moving the span needs it)."""
    draft = make_claim(author=editor)
    submitted = make_claim(author=editor, status="submitted")
    requests = [
        lambda: api(editor).patch(
            f"/api/claims/{draft.pk}/", {"version": draft.version, "rationale": "Sourced."}
        ),
        lambda: api(reviewer).post(
            f"/api/claims/{submitted.pk}/reject/",
            {"version": submitted.version, "comment": "Not what the source says."},
        ),
        lambda: api(reviewer).get(f"/api/claims/{submitted.pk}/history/"),
        lambda: api(reviewer).get(f"/api/claims/{submitted.pk}/"),
        lambda: api(editor).delete(f"/api/claims/{draft.pk}/?version={draft.version + 1}"),
    ]
    for request in requests:
        with CaptureQueriesContext(connection) as captured:
            answer = request()
        assert answer.status_code in (200, 204), answer.content
        assert not [q["sql"] for q in captured if '"annotations_article"' in q["sql"]]


def test_writes_read_the_claim_once_under_the_lock(api, editor, reviewer):
    """A write hands the id to its service, which reads the claim (and whether the user may
    see it) once, under its row lock; the history reads the claim once, without a lock."""
    draft = make_claim(author=editor)
    submitted = make_claim(author=editor, status="submitted")
    requests = [
        (
            lambda: api(editor).patch(
                f"/api/claims/{draft.pk}/", {"version": draft.version, "rationale": "Sourced."}
            ),
            True,
        ),
        (
            lambda: api(reviewer).post(
                f"/api/claims/{submitted.pk}/reject/",
                {"version": submitted.version, "comment": "Not what the source says."},
            ),
            True,
        ),
        (lambda: api(reviewer).get(f"/api/claims/{submitted.pk}/history/"), False),
        (
            # The change above raised the draft's version by one.
            lambda: api(editor).delete(f"/api/claims/{draft.pk}/?version={draft.version + 1}"),
            True,
        ),
    ]
    for request, locks in requests:
        with CaptureQueriesContext(connection) as captured:
            answer = request()
        assert answer.status_code in (200, 204), answer.content
        claim_reads = [
            q["sql"]
            for q in captured
            if q["sql"].startswith("SELECT ") and 'FROM "annotations_claim"' in q["sql"]
        ]
        assert len(claim_reads) == 1, claim_reads
        if locks:
            assert "FOR UPDATE" in claim_reads[0] or connection.vendor == "sqlite"


def test_claim_answers_never_read_the_password_hash_of_authors_or_reviewers(api, editor, reviewer):
    """An answer shows the author's and the reviewer's usernames: nothing else of their user
    rows is read. The one query that reads a password hash is the requester's own token
    lookup (DRF's TokenAuthentication)."""
    make_claim(author=editor, status="submitted")
    client = api(reviewer)
    taken = client.post("/api/review-queue/next/")
    assert taken.status_code == 200, taken.content
    claim = taken.json()
    requests = [
        lambda: client.post("/api/review-queue/next/"),
        lambda: client.post(
            f"/api/claims/{claim['id']}/reject/",
            {"version": claim["version"], "comment": "Not what the source says."},
        ),
    ]
    for request in requests:
        with CaptureQueriesContext(connection) as captured:
            answer = request()
        assert answer.status_code == 200, answer.content
        assert answer.json()["author"] == editor.username
        reading_passwords = [q["sql"] for q in captured if '"password"' in q["sql"]]
        assert len(reading_passwords) == 1, reading_passwords
        assert 'FROM "authtoken_token"' in reading_passwords[0]


def test_patch_can_move_the_span_and_replace_sources(api, editor):
    claim = make_claim(author=editor)
    article = claim.article
    start = article.body.index("The mayor said")
    answer = api(editor).patch(
        f"/api/claims/{claim.pk}/",
        {
            "version": claim.version,
            "start": start,
            "end": start + len("The mayor said"),
            "sources": [],
        },
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["quote"] == "The mayor said"
    assert answer.json()["sources"] == []


def test_patch_with_stale_version_is_a_409_with_the_current_version(api, editor):
    claim = make_claim(author=editor)
    answer = api(editor).patch(
        f"/api/claims/{claim.pk}/", {"version": claim.version + 5, "rationale": "x"}
    )
    assert answer.status_code == 409
    error = error_of(answer)
    assert error["code"] == "stale_version"
    assert error["current_version"] == claim.version
    claim.refresh_from_db()
    assert claim.rationale != "x"


def test_patch_without_version_is_a_400(api, editor):
    claim = make_claim(author=editor)
    answer = api(editor).patch(f"/api/claims/{claim.pk}/", {"rationale": "x"})
    assert answer.status_code == 400
    assert "version" in error_of(answer)["fields"]


def test_patch_cannot_write_status_or_author(api, editor):
    claim = make_claim(author=editor)
    answer = api(editor).patch(
        f"/api/claims/{claim.pk}/", {"version": claim.version, "status": "approved"}
    )
    assert answer.status_code == 400
    assert "status" in error_of(answer)["fields"]
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("draft", 1)


def test_patch_with_nothing_to_change_is_a_400(api, editor):
    claim = make_claim(author=editor)
    answer = api(editor).patch(f"/api/claims/{claim.pk}/", {"version": claim.version})
    assert answer.status_code == 400
    claim.refresh_from_db()
    assert claim.version == 1


def test_reviewer_cannot_patch_someone_elses_submitted_claim(api, editor, reviewer):
    claim = make_claim(author=editor, status="submitted")
    answer = api(reviewer).patch(
        f"/api/claims/{claim.pk}/", {"version": claim.version, "rationale": "mine now"}
    )
    assert answer.status_code == 403
    claim.refresh_from_db()
    assert claim.rationale != "mine now"


def test_author_cannot_patch_a_submitted_claim(api, editor):
    claim = make_claim(author=editor, status="submitted")
    answer = api(editor).patch(
        f"/api/claims/{claim.pk}/", {"version": claim.version, "rationale": "sneaky"}
    )
    assert answer.status_code == 403


# --- delete ---------------------------------------------------------------------------------


def test_author_deletes_a_draft_with_version_in_the_query(api, editor):
    claim = make_claim(author=editor)
    answer = api(editor).delete(f"/api/claims/{claim.pk}/?version={claim.version}")
    assert answer.status_code == 204
    assert not Claim.objects.filter(pk=claim.pk).exists()


def test_author_deletes_a_draft_with_version_in_the_body(api, editor):
    claim = make_claim(author=editor)
    answer = api(editor, session=True).delete(
        f"/api/claims/{claim.pk}/", {"version": claim.version}
    )
    assert answer.status_code == 204
    assert not Claim.objects.filter(pk=claim.pk).exists()


def test_delete_needs_the_current_version(api, editor):
    claim = make_claim(author=editor)
    client = api(editor)
    missing = client.delete(f"/api/claims/{claim.pk}/")
    assert missing.status_code == 400
    assert "version" in error_of(missing)["fields"]
    stale = client.delete(f"/api/claims/{claim.pk}/?version=9")
    assert stale.status_code == 409
    assert error_of(stale)["current_version"] == 1
    garbage = client.delete(f"/api/claims/{claim.pk}/?version=abc")
    assert garbage.status_code == 400
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_submitted_claim_cannot_be_deleted(api, editor):
    claim = make_claim(author=editor, status="submitted")
    answer = api(editor).delete(f"/api/claims/{claim.pk}/?version={claim.version}")
    assert answer.status_code == 403
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_put_is_not_allowed(api, editor):
    claim = make_claim(author=editor)
    answer = api(editor).client.put(f"/api/claims/{claim.pk}/", {}, format="json")
    assert answer.status_code == 405
    assert error_of(answer)["code"] == "method_not_allowed"


# --- transitions ----------------------------------------------------------------------------


def test_reviewer_cannot_approve_own_claim(api, reviewer):
    claim = make_claim(author=reviewer, status="submitted")
    answer = api(reviewer).post(f"/api/claims/{claim.pk}/approve/", {"version": claim.version})
    assert answer.status_code == 403
    assert "own claim" in error_of(answer)["message"]


def test_approving_an_approved_claim_is_a_409(api, editor, reviewer):
    claim = make_claim(author=editor, status="approved", reviewer=reviewer)
    answer = api(reviewer).post(f"/api/claims/{claim.pk}/approve/", {"version": claim.version})
    assert answer.status_code == 409
    assert error_of(answer)["code"] == "invalid_transition"
    assert error_of(answer)["current_version"] == claim.version


def test_second_decision_on_the_same_version_is_a_409(api, editor, reviewer, reviewer2):
    claim = make_claim(author=editor, status="submitted")
    first = api(reviewer).post(f"/api/claims/{claim.pk}/approve/", {"version": claim.version})
    assert first.status_code == 200
    second = api(reviewer2).post(
        f"/api/claims/{claim.pk}/reject/", {"version": claim.version, "comment": "No."}
    )
    assert second.status_code == 409
    assert error_of(second)["code"] == "stale_version"


def test_reject_needs_a_comment(api, editor, reviewer):
    claim = make_claim(author=editor, status="submitted")
    answer = api(reviewer).post(f"/api/claims/{claim.pk}/reject/", {"version": claim.version})
    assert answer.status_code == 400
    assert "comment" in error_of(answer)["fields"]
    claim.refresh_from_db()
    assert claim.status == "submitted"


def test_transition_without_version_is_a_400(api, editor):
    claim = make_claim(author=editor)
    answer = api(editor).post(f"/api/claims/{claim.pk}/submit/", {})
    assert answer.status_code == 400
    assert "version" in error_of(answer)["fields"]


def test_request_changes_then_resubmit_round_trip(api, editor, reviewer):
    claim = make_claim(author=editor, status="submitted")
    sent_back = api(reviewer).post(
        f"/api/claims/{claim.pk}/request-changes/",
        {"version": claim.version, "comment": "Cite the survey."},
    )
    assert sent_back.status_code == 200, sent_back.content
    assert sent_back.json()["status"] == "changes_requested"
    assert sent_back.json()["reviewer"] == "rev"
    again = api(editor).post(
        f"/api/claims/{claim.pk}/submit/", {"version": sent_back.json()["version"]}
    )
    assert again.status_code == 200
    assert again.json()["status"] == "submitted"


# --- history and review queue --------------------------------------------------------------


def test_history_lists_every_step_in_order(api, editor, reviewer):
    claim = make_claim(author=editor, status="approved", reviewer=reviewer)
    answer = api(editor).get(f"/api/claims/{claim.pk}/history/")
    assert answer.status_code == 200
    steps = [
        (
            e["kind"],
            e["action"] or f"edit {e['edit']}",
            e["from_status"],
            e["to_status"],
            e["actor"],
        )
        for e in answer.json()
    ]
    assert steps == [
        ("edit", "edit 1", None, None, "ed"),
        ("decision", "create", "", "draft", "ed"),
        ("decision", "submit", "draft", "submitted", "ed"),
        ("decision", "approve", "submitted", "approved", "rev"),
    ]


def test_history_of_an_invisible_claim_is_a_404(api, editor, editor2):
    claim = make_claim(author=editor)
    assert api(editor2).get(f"/api/claims/{claim.pk}/history/").status_code == 404


def test_review_next_assigns_the_oldest_claim_then_answers_204(api, editor, reviewer):
    first = make_claim(author=editor, status="submitted")
    client = api(reviewer)
    answer = client.post("/api/review-queue/next/")
    assert answer.status_code == 200
    assert answer.json()["id"] == first.pk
    assert answer.json()["reviewer"] == "rev"
    # Asking again returns the claim already held, not a second one.
    assert client.post("/api/review-queue/next/").json()["id"] == first.pk
    approved = client.post(f"/api/claims/{first.pk}/approve/", {"version": first.version})
    assert approved.status_code == 200
    empty = client.post("/api/review-queue/next/")
    assert empty.status_code == 204
    assert empty.content == b""


def test_review_next_skips_own_claims_and_honours_filters(api, editor, reviewer):
    make_claim(author=reviewer, status="submitted")
    theirs = make_claim(author=editor, status="submitted")
    client = api(reviewer)
    assert client.post("/api/review-queue/next/", {"author": "nobody-here"}).status_code == 400
    assert client.post("/api/review-queue/next/", {"verdict": "true"}).status_code == 204
    answer = client.post("/api/review-queue/next/", {"author": "ed", "verdict": "false"})
    assert answer.json()["id"] == theirs.pk


def test_editor_cannot_take_from_the_review_queue(api, editor):
    make_claim(author=make_user(Role.EDITOR), status="submitted")
    answer = api(editor).post("/api/review-queue/next/")
    assert answer.status_code == 403
    error_of(answer)


@pytest.mark.parametrize(
    "raw",
    [
        "[" * 100_000,
        '{"article": 1, "start": 0, "end": 3, "claim_text": "\\ud800"}',
        '{"article": 1, "start": 0, "end": 3, "verdict": "\\udfff"}',
    ],
)
def test_bodies_no_database_could_take_are_a_400(api, editor, raw):
    answer = api(editor).client.post("/api/claims/", data=raw, content_type="application/json")
    assert answer.status_code == 400
    assert error_of(answer)["code"] == "parse_error"
    assert not Claim.objects.exists()


def test_token_request_with_an_unpaired_surrogate_is_a_400(client):
    answer = client.post(
        "/api/auth/token/",
        data='{"username": "\\ud800", "password": "x"}',
        content_type="application/json",
    )
    assert answer.status_code == 400
    error_of(answer)


def test_creating_a_claim_with_a_source_takes_a_fixed_number_of_queries(
    django_assert_num_queries, editor
):
    """The token with its user, the user's role, the verdict and the article; then claim,
    sources, search row, first version and history in one transaction (a savepoint inside
    the test's); then the answer reads the sources back. The same for any number of
    sources."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    article = ArticleFactory()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    start = article.body.index(QUOTE)
    payload = {
        "article": article.pk,
        "start": start,
        "end": start + len(QUOTE),
        "verdict": "false",
        "sources": [{"url": "https://stats.example.org/a"}, {"url": "https://stats.example.org/b"}],
    }
    with django_assert_num_queries(12):
        response = client.post("/api/claims/", payload, format="json")
    assert response.status_code == 201
    assert [s["url"] for s in response.json()["sources"]] == [
        "https://stats.example.org/a",
        "https://stats.example.org/b",
    ]
