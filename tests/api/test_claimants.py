"""/api/claimants/: the desk lists, reads, adds and corrects claimants; admins merge them; a
claim names its claimant by name, adding it with a kind when it is new."""

from __future__ import annotations

from typing import Any

import pytest

from annotations import services
from annotations.models import Claim, Claimant
from tests.api.conftest import error_of
from tests.factories import ArticleFactory, make_claim

pytestmark = pytest.mark.django_db

WIKIDATA = "https://www.wikidata.org/wiki/Q1234"
QUOTE = "unemployment had fallen by half since 2020"


@pytest.fixture
def known(editor: Any) -> dict[str, Claimant]:
    return {
        name: services.claimant_create(actor=editor, name=name, kind=kind)
        for name, kind in (
            ("Jane Roe", "Person"),
            ("Mayor Jane Roe", "Person"),
            ("Kremlin", "Organization"),
            ("Roe Holdings", "Organization"),
        )
    }


def test_search_finds_names_that_contain_the_text_those_that_start_with_it_first(
    api: Any, editor: Any, known: dict[str, Claimant]
) -> None:
    answer = api(editor).get("/api/claimants/", {"search": "  ROE "})
    assert answer.status_code == 200
    names = [claimant["name"] for claimant in answer.json()["results"]]
    assert names == ["Roe Holdings", "Jane Roe", "Mayor Jane Roe"]
    first = answer.json()["results"][0]
    assert first["kind"] == "Organization" and first["public_url"] == (
        f"/claimants/{known['Roe Holdings'].pk}/"
    )


def test_the_list_is_by_name_page_after_page(
    api: Any, editor: Any, known: dict[str, Claimant]
) -> None:
    for name in ("Ellen Martin", "zoe Adams", "Bureau of Statistics"):
        services.claimant_create(actor=editor, name=name, kind="Person")
    names = []
    url: str | None = "/api/claimants/?page_size=3"
    while url:
        answer = api(editor).get(url)
        assert answer.status_code == 200
        names += [claimant["name"] for claimant in answer.json()["results"]]
        url = answer.json()["next"]
    assert names == [
        "Bureau of Statistics",
        "Ellen Martin",
        "Jane Roe",
        "Kremlin",
        "Mayor Jane Roe",
        "Roe Holdings",
        "zoe Adams",
    ]


def test_merged_claimants_leave_the_list_but_their_detail_says_where_they_went(
    api: Any, editor: Any, admin_user: Any, known: dict[str, Claimant]
) -> None:
    old, kept = known["Mayor Jane Roe"], known["Jane Roe"]
    answer = api(admin_user).post(f"/api/claimants/{old.pk}/merge/", {"into": kept.pk})
    assert answer.status_code == 200, answer.content
    assert answer.json()["id"] == kept.pk
    listed = [c["id"] for c in api(editor).get("/api/claimants/").json()["results"]]
    assert old.pk not in listed and kept.pk in listed
    merged = [
        c["id"] for c in api(editor).get("/api/claimants/", {"merged": "true"}).json()["results"]
    ]
    assert merged == [old.pk]
    assert api(editor).get(f"/api/claimants/{old.pk}/").json()["merged_into"] == kept.pk


def test_who_may_read_add_change_and_merge(
    api: Any,
    editor: Any,
    reviewer: Any,
    admin_user: Any,
    no_role_user: Any,
    known: dict[str, Claimant],
) -> None:
    from rest_framework.test import APIClient

    assert APIClient().get("/api/claimants/").status_code == 401
    reader = api(no_role_user)
    jane = known["Jane Roe"]
    assert reader.get("/api/claimants/").status_code == 403
    assert reader.get(f"/api/claimants/{jane.pk}/").status_code == 403
    assert reader.post("/api/claimants/", {"name": "X"}).status_code == 403
    assert reader.patch(f"/api/claimants/{jane.pk}/", {"kind": "Organization"}).status_code == 403
    merge = f"/api/claimants/{known['Mayor Jane Roe'].pk}/merge/"
    for user in (editor, reviewer, no_role_user):
        refused = api(user).post(merge, {"into": jane.pk})
        assert refused.status_code == 403, user
    assert not Claimant.objects.filter(merged_into__isnull=False).exists()
    assert api(editor).post("/api/claimants/", {"name": "X", "kind": "Person"}).status_code == 201
    assert (
        api(reviewer).patch(f"/api/claimants/{jane.pk}/", {"description": "Mayor."}).status_code
        == 200
    )
    assert api(admin_user).post(merge, {"into": jane.pk}).status_code == 200


def test_adding_a_claimant_with_its_links(api: Any, editor: Any) -> None:
    answer = api(editor).post(
        "/api/claimants/",
        {"name": "Kremlin", "kind": "Organization", "same_as": [WIKIDATA], "description": "x"},
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["kind"], body["same_as"], body["kind_unconfirmed"], body["claims"]) == (
        "Organization",
        [WIKIDATA],
        False,
        0,
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Jane Roe"}, "name"),
        ({"name": " jane  ROE "}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x" * 301}, "name"),
        ({"name": "Nul\x00"}, "name"),
        ({"name": "A", "kind": "Country"}, "kind"),
        ({"name": "A", "same_as": ["javascript:alert(1)"]}, "same_as"),
        ({"name": "A", "same_as": "https://example.org/"}, "same_as"),
        ({"name": "A", "same_as": [f"https://example.org/{n}" for n in range(11)]}, "same_as"),
        ({"name": "A", "merged_into": 1}, "merged_into"),
    ],
    ids=[
        "taken",
        "taken-other-case",
        "empty",
        "long",
        "nul",
        "kind",
        "javascript",
        "not-a-list",
        "too-many",
        "read-only",
    ],
)
def test_invalid_claimants_are_refused_with_the_field_named(
    api: Any, editor: Any, known: dict[str, Claimant], body: dict[str, Any], field: str
) -> None:
    before = Claimant.objects.count()
    answer = api(editor).post("/api/claimants/", body)
    assert answer.status_code == 400, answer.content
    assert field in error_of(answer)["fields"]
    assert Claimant.objects.count() == before


def test_a_merge_into_no_claimant_or_itself_is_refused(
    api: Any, admin_user: Any, known: dict[str, Claimant]
) -> None:
    jane = known["Jane Roe"]
    for into in (jane.pk, 10**9):
        answer = api(admin_user).post(f"/api/claimants/{jane.pk}/merge/", {"into": into})
        assert answer.status_code == 400, answer.content
    assert (
        api(admin_user).post("/api/claimants/999999/merge/", {"into": jane.pk}).status_code == 404
    )
    assert not Claimant.objects.filter(merged_into__isnull=False).exists()


def test_a_claim_adds_a_new_claimant_of_the_kind_given_and_picks_a_known_one(
    api: Any, editor: Any, known: dict[str, Claimant]
) -> None:
    article = ArticleFactory()
    start = article.body.index(QUOTE)
    span = {"article": article.pk, "start": start, "end": start + len(QUOTE)}
    new = api(editor).post(
        "/api/claims/", {**span, "claimant": "Ministry of Finance", "claimant_kind": "Organization"}
    )
    assert new.status_code == 201, new.content
    ministry = Claimant.objects.get(name="Ministry of Finance")
    assert new.json()["claimant"] == "Ministry of Finance"
    assert new.json()["claimant_id"] == ministry.pk and ministry.kind == "Organization"
    picked = api(editor).post("/api/claims/", {**span, "claimant": "KREMLIN"})
    assert picked.json()["claimant_id"] == known["Kremlin"].pk
    assert picked.json()["claimant"] == "Kremlin"
    refused = api(editor).post("/api/claims/", {**span, "claimant": "X", "claimant_kind": "Tribe"})
    assert refused.status_code == 400 and "claimant_kind" in error_of(refused)["fields"]
    assert Claim.objects.count() == 2


def test_a_claims_claimant_changes_by_name(
    api: Any, editor: Any, known: dict[str, Claimant]
) -> None:
    claim = make_claim(author=editor, claimant="Jane Roe")
    answer = api(editor).patch(
        f"/api/claims/{claim.pk}/", {"version": claim.version, "claimant": "kremlin"}
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["claimant_id"] == known["Kremlin"].pk
    cleared = api(editor).patch(
        f"/api/claims/{claim.pk}/", {"version": claim.version + 1, "claimant": ""}
    )
    assert cleared.json()["claimant"] == "" and cleared.json()["claimant_id"] is None
