""" "Checked before?": the API endpoint and its refusals, the review screen's list, and the
known claims of a new article, matched by the background task after the import commits and
recorded as a repeat in two clicks."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from annotations import services
from annotations.models import Claim, KnownClaim
from annotations.tasks import match_article
from annotations.workflow import Status
from tests.factories import make_claim, make_user, seed_scale

EARLIER = (
    "Figures released on Monday show the city council approved a budget of 4.2 million euros.\n"
    "The mayor said unemployment had fallen by half since 2020.\n"
)
LATER = (
    "A year on, the debate is back.\n"
    "Once more the mayor said unemployment had fallen by half since 2020, to applause.\n"
    "The mayor also said unemployment had fallen by a third since 2020.\n"
    "Nobody disputed the weather.\n"
)


def signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def earlier(editor, reviewer) -> Claim:  # type: ignore[no-untyped-def]
    article = services.article_import(title="Budget day", body=EARLIER, language="en").article
    return make_claim(
        author=editor,
        reviewer=reviewer,
        article=article,
        quote="unemployment had fallen by half since 2020",
        claim_text="Unemployment in the city has fallen by half since 2020",
        status="approved",
    )


# --- The API ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_checked_before_answers_the_published_claims_that_say_the_same(editor, earlier) -> None:  # type: ignore[no-untyped-def]
    answer = signed_in(editor).get(
        "/api/claims/checked-before/",
        {"text": "Since 2020 unemployment in the city has fallen by half"},
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["threshold"] == 0.6
    (item,) = body["results"]
    assert item["id"] == earlier.pk
    assert item["claim_text"] == earlier.claim_text
    assert item["verdict"] == "false" and item["verdict_label"] == "False"
    assert item["published_at"].endswith("Z")
    assert item["url"] == f"http://testserver/claims/{earlier.pk}/"
    assert 0.6 <= item["score"] <= 1


@pytest.mark.django_db
def test_checked_before_is_empty_when_nothing_is_close_enough(editor, earlier) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(editor)
    for text in (
        "Unemployment in the city has fallen by half since 2019",  # another number
        "Unemployment in the city has not fallen by half since 2020",  # a negation
        "The weather was fine",
    ):
        answer = client.get("/api/claims/checked-before/", {"text": text})
        assert answer.status_code == 200 and answer.json()["results"] == [], text


@pytest.mark.django_db
def test_only_published_claims_were_checked_before(editor, reviewer, earlier) -> None:  # type: ignore[no-untyped-def]
    make_claim(
        author=editor,
        article=earlier.article,
        quote="the city council approved a budget of 4.2 million euros",
        claim_text="The city council approved a budget of 4.2 million euros",
        status="submitted",
    )
    answer = signed_in(editor).get(
        "/api/claims/checked-before/",
        {"text": "The city council approved a budget of 4.2 million euros"},
    )
    assert answer.json()["results"] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("", "text"),
        ("?text=", "text"),
        ("?text=%20%20", "text"),
        (f"?text={'x' * 2001}", "text"),
        ("?text=a&text=b", "text"),
        ("?text=a&limit=3", "limit"),
    ],
)
def test_checked_before_refuses_bad_input_in_the_error_shape(editor, query, field) -> None:  # type: ignore[no-untyped-def]
    answer = signed_in(editor).get(f"/api/claims/checked-before/{query}")
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["status"] == 400 and field in error["fields"]


@pytest.mark.django_db
def test_checked_before_needs_a_sign_in() -> None:
    assert Client().get("/api/claims/checked-before/", {"text": "x"}).status_code in (401, 403)


@pytest.mark.django_db
def test_checked_before_is_in_the_schema(client) -> None:  # type: ignore[no-untyped-def]
    schema = client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/claims/checked-before/"]["get"]
    assert [p["name"] for p in operation["parameters"]] == ["text"]
    assert {"200", "400", "401"} <= set(operation["responses"])


# --- The review screen ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_review_screen_lists_what_was_checked_before(editor, reviewer2, earlier) -> None:  # type: ignore[no-untyped-def]
    article = services.article_import(title="Later", body=LATER, language="en").article
    waiting = make_claim(
        author=editor,
        article=article,
        quote="the mayor said unemployment had fallen by half since 2020",
        claim_text="Unemployment has fallen by half in the city since 2020",
        status="submitted",
    )
    page = signed_in(reviewer2).get(f"/review/{waiting.pk}/").content.decode()
    assert "Checked before?" in page
    assert f'href="/claims/{earlier.pk}/"' in page
    alone = signed_in(reviewer2).get(f"/review/{earlier.pk}/").content.decode()
    assert "No published fact-check says the same." in alone


# --- Known claims in new articles ----------------------------------------------------------


@pytest.mark.django_db
def test_an_import_enqueues_the_matching_once_committed(
    admin_user, earlier, run_tasks, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        article = services.article_import(
            title="Later", body=LATER, language="en", imported_by=admin_user
        ).article
        # Nothing is matched inside the import: it waits for the commit, then the worker.
        assert not DBTaskResult.objects.exists()
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert not KnownClaim.objects.exists()
    assert run_tasks() == 1
    (known,) = KnownClaim.objects.all()
    assert known.article == article and known.claim == earlier
    assert article.body[known.start : known.end] == (
        "Once more the mayor said unemployment had fallen by half since 2020, to applause."
    )
    # The same article again is "unchanged": nothing more is enqueued.
    with django_capture_on_commit_callbacks(execute=True):
        services.article_import(title="Later", body=LATER, language="en")
    assert run_tasks() == 0


@pytest.mark.django_db
def test_known_claims_are_marked_on_the_page_and_a_repeat_takes_two_clicks(
    editor, reviewer, no_role_user, earlier
) -> None:  # type: ignore[no-untyped-def]
    article = services.article_import(title="Later", body=LATER, language="en").article
    assert match_article.call(article.pk) == 1
    known = KnownClaim.objects.get()
    client = signed_in(editor)
    page = client.get(f"/articles/{article.pk}/").content.decode()
    day = f"{earlier.published_at:%-d %b %Y}"
    assert f"checked before: <strong>False</strong>, {day}" in page
    assert f'data-start="{known.start}" data-end="{known.end}"' in page
    # First click: the repeat is recorded as a draft, the earlier verdict proposed.
    answer = client.post(f"/articles/{article.pk}/known/{known.pk}/repeat/")
    assert answer.status_code == 302
    repeat = Claim.objects.get(repeat_of=earlier)
    assert (repeat.article, repeat.start, repeat.end) == (article, known.start, known.end)
    assert repeat.verdict == earlier.verdict and repeat.status == Status.DRAFT
    assert repeat.claim_text == earlier.claim_text
    assert (
        f"Recorded as claim #{repeat.pk}."
        in client.get(f"/articles/{article.pk}/").content.decode()
    )
    # Second click: submitted for review like any claim.
    services.claim_transition(
        claim_id=repeat.pk, actor=editor, action="submit", version=repeat.version
    )
    # Someone who may not write claims is refused, and nothing is written.
    refused = signed_in(no_role_user).post(f"/articles/{article.pk}/known/{known.pk}/repeat/")
    assert refused.status_code == 403
    assert Claim.objects.filter(repeat_of=earlier).count() == 1
    # A known claim of another article is not found under this one.
    other = services.article_import(title="Other", body="Other text here.", language="en")
    assert client.post(f"/articles/{other.article.pk}/known/{known.pk}/repeat/").status_code == 404


@pytest.mark.django_db
def test_a_repeat_must_point_to_a_published_claim(editor) -> None:  # type: ignore[no-untyped-def]
    article = services.article_import(title="Later", body=LATER, language="en").article
    draft = make_claim(
        author=editor, article=article, quote="the debate is back", claim_text="It is back"
    )
    with pytest.raises(Exception, match="Only a published claim"):
        services.claim_create(
            author=editor, article=article, start=0, end=6, repeat_of=draft, claim_text="x"
        )


@pytest.mark.django_db
def test_matching_again_replaces_the_matches_and_skips_the_articles_own_claims(
    editor, reviewer, earlier
) -> None:  # type: ignore[no-untyped-def]
    assert match_article.call(earlier.article_id) == 0
    article = services.article_import(title="Later", body=LATER, language="en").article
    assert match_article.call(article.pk) == 1
    assert match_article.call(article.pk) == 1
    assert KnownClaim.objects.count() == 1
    assert match_article.call(10**9) == 0


@pytest.mark.django_db(transaction=True)
def test_the_worker_matches_an_imported_article() -> None:
    seed_scale()
    editor = make_user("editor", "ed-w")
    reviewer = make_user("reviewer", "rev-w")
    first = services.article_import(title="Budget day", body=EARLIER, language="en").article
    make_claim(
        author=editor,
        reviewer=reviewer,
        article=first,
        quote="unemployment had fallen by half since 2020",
        claim_text="Unemployment in the city has fallen by half since 2020",
        status="approved",
    )
    DBTaskResult.objects.all().delete()
    later = services.article_import(title="Later", body=LATER, language="en").article
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    call_command(
        "db_worker", batch=True, reload=False, startup_delay=False, interval=0, stdout=StringIO()
    )
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert KnownClaim.objects.filter(article=later).count() == 1
