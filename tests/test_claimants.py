"""Claimants as records: one per name (any case and spacing), picked or added by the claims,
merged when two are one, described in ClaimReview, and shown on a public page of their own."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from annotations import services
from annotations.export.claimreview import public_review
from annotations.models import Claim, Claimant, ClaimantMerge, ClaimVersion, Publication
from annotations.native_import import claims_import_native
from annotations.public_record import records_of
from annotations.roles import Role
from tests.export.test_formats import exported
from tests.factories import ArticleFactory, make_claim, make_user, verdict

pytestmark = pytest.mark.django_db

WIKIDATA = "https://www.wikidata.org/wiki/Q1234"


# --- Finding, adding and correcting ---------------------------------------------------------


def test_claims_naming_one_claimant_in_any_case_and_spacing_share_one_record(editor):
    first = make_claim(author=editor, claimant="The  Mayor ")
    second = make_claim(author=editor, claimant="the mayor")
    assert first.claimant is not None and first.claimant == second.claimant
    assert first.claimant.name == "The Mayor"
    assert Claimant.objects.count() == 1
    # Added from a claim without a kind: a Person, to be confirmed by the desk.
    assert first.claimant.kind == "Person" and first.claimant.kind_unconfirmed


def test_a_claim_without_a_claimant_has_none(editor):
    claim = make_claim(author=editor, claimant="   ")
    assert claim.claimant is None
    assert not Claimant.objects.exists()


def test_a_claim_may_add_an_organisation(editor):
    claim = make_claim(author=editor, claimant="Kremlin", claimant_kind="Organization")
    assert claim.claimant is not None
    assert (claim.claimant.kind, claim.claimant.kind_unconfirmed) == ("Organization", False)


def test_an_unknown_kind_is_refused_and_nothing_is_stored(editor, article):
    quote = "unemployment had fallen by half since 2020"
    start = article.body.index(quote)
    with pytest.raises(ValidationError) as refused:
        services.claim_create(
            author=editor,
            article=article,
            start=start,
            end=start + len(quote),
            claimant="Kremlin",
            claimant_kind="Country",
        )
    assert "claimant_kind" in refused.value.message_dict
    assert not Claim.objects.exists() and not Claimant.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "Мэр\x08"}, "name"),
        ({"name": "x" * 301}, "name"),
        ({"same_as": ["javascript:alert(1)"]}, "same_as"),
        ({"same_as": ["ftp://example.org/x"]}, "same_as"),
        ({"same_as": [" https://www.wikidata.org/wiki/Q1"]}, "same_as"),
        ({"same_as": [WIKIDATA, WIKIDATA]}, "same_as"),
        ({"same_as": [f"https://example.org/{n}" for n in range(11)]}, "same_as"),
        ({"description": "bell\x07"}, "description"),
        ({"kind": "Country"}, "kind"),
    ],
    ids=[
        "blank",
        "control",
        "long",
        "javascript",
        "ftp",
        "space",
        "twice",
        "too-many",
        "desc-control",
        "kind",
    ],
)
def test_invalid_claimants_are_refused_naming_the_field(editor, fields, field):
    values: dict[str, Any] = {"name": "The mayor", **fields}
    with pytest.raises(ValidationError) as refused:
        services.claimant_create(actor=editor, **values)
    assert field in refused.value.message_dict
    assert not Claimant.objects.exists()


def test_a_second_claimant_of_the_same_name_is_refused(editor):
    services.claimant_create(actor=editor, name="Jane Roe")
    with pytest.raises(ValidationError) as refused:
        services.claimant_create(actor=editor, name="  JANE   roe")
    assert "name" in refused.value.message_dict
    assert Claimant.objects.count() == 1


def test_only_the_desk_adds_and_changes_claimants(no_role_user, editor):
    with pytest.raises(PermissionDenied):
        services.claimant_create(actor=no_role_user, name="Jane Roe")
    jane = services.claimant_create(actor=editor, name="Jane Roe")
    with pytest.raises(PermissionDenied):
        services.claimant_update(
            claimant_id=jane.pk, actor=no_role_user, changes={"kind": "Organization"}
        )


def test_giving_the_kind_confirms_it(editor):
    claim = make_claim(author=editor, claimant="Kremlin")
    assert claim.claimant is not None
    kremlin = services.claimant_update(
        claimant_id=claim.claimant.pk,
        actor=editor,
        changes={"kind": "Organization", "same_as": [WIKIDATA]},
    )
    assert (kremlin.kind, kremlin.kind_unconfirmed, kremlin.same_as) == (
        "Organization",
        False,
        [WIKIDATA],
    )


def test_changing_a_claims_claimant_keeps_the_old_name_in_its_versions(editor):
    claim = make_claim(author=editor, claimant="The mayor")
    claim = services.claim_update(
        claim_id=claim.pk, actor=editor, version=claim.version, changes={"claimant": "The council"}
    )
    assert claim.claimant is not None and claim.claimant.name == "The council"
    assert list(
        ClaimVersion.objects.filter(claim=claim)
        .order_by("number")
        .values_list("claimant", flat=True)
    ) == ["The mayor", "The council"]


# --- Merging --------------------------------------------------------------------------------


@pytest.fixture
def two_names(editor, reviewer):  # type: ignore[no-untyped-def]
    """One person under two names, each with a published claim and a draft."""
    published = {
        name: make_claim(author=editor, status="approved", reviewer=reviewer, claimant=name)
        for name in ("Mayor Jane Roe", "Jane Roe")
    }
    drafts = {name: make_claim(author=editor, claimant=name) for name in published}
    return published, drafts


def test_a_merge_moves_every_claim_and_keeps_the_merged_claimant_pointing_there(
    two_names, admin_user
):
    published, drafts = two_names
    old = Claimant.objects.get(name="Mayor Jane Roe")
    kept = Claimant.objects.get(name="Jane Roe")
    services.claimant_update(claimant_id=old.pk, actor=admin_user, changes={"same_as": [WIKIDATA]})

    services.claimant_merge(merged_id=old.pk, kept_id=kept.pk, actor=admin_user)

    moved = [published["Mayor Jane Roe"].pk, drafts["Mayor Jane Roe"].pk]
    assert set(Claim.objects.filter(claimant=kept).values_list("pk", flat=True)) == {
        *moved,
        published["Jane Roe"].pk,
        drafts["Jane Roe"].pk,
    }
    old.refresh_from_db()
    kept.refresh_from_db()
    assert old.merged_into == kept and kept.same_as == [WIKIDATA]
    merge = ClaimantMerge.objects.get()
    assert (merge.merged, merge.kept, merge.actor, merge.merged_name) == (
        old,
        kept,
        admin_user,
        "Mayor Jane Roe",
    )
    assert sorted(merge.claim_ids) == sorted(moved)
    # The record keeps the name as it was published.
    record = Publication.objects.get(claim=published["Mayor Jane Roe"])
    assert record.claimant == "Mayor Jane Roe"
    # The old name now finds the claimant it went into.
    claim = make_claim(author=published["Jane Roe"].author, claimant="mayor jane roe")
    assert claim.claimant == kept


def test_the_merged_claimants_page_leads_to_the_kept_one(two_names, admin_user):
    old = Claimant.objects.get(name="Mayor Jane Roe")
    kept = Claimant.objects.get(name="Jane Roe")
    services.claimant_merge(merged_id=old.pk, kept_id=kept.pk, actor=admin_user)
    answer = Client().get(f"/claimants/{old.pk}/")
    assert answer.status_code == 301 and answer["Location"] == f"/claimants/{kept.pk}/"
    page = Client().get(f"/claimants/{kept.pk}/").content.decode()
    published, _ = two_names
    for claim in published.values():
        assert f"/claims/{claim.pk}/" in page


def test_merges_refused(two_names, admin_user, reviewer):
    old = Claimant.objects.get(name="Mayor Jane Roe")
    kept = Claimant.objects.get(name="Jane Roe")
    with pytest.raises(PermissionDenied):
        services.claimant_merge(merged_id=old.pk, kept_id=kept.pk, actor=reviewer)
    with pytest.raises(ValidationError):
        services.claimant_merge(merged_id=old.pk, kept_id=old.pk, actor=admin_user)
    with pytest.raises(ValidationError):
        services.claimant_merge(merged_id=old.pk, kept_id=10**9, actor=admin_user)
    services.claimant_merge(merged_id=old.pk, kept_id=kept.pk, actor=admin_user)
    with pytest.raises(ValidationError):
        services.claimant_merge(merged_id=old.pk, kept_id=kept.pk, actor=admin_user)
    with pytest.raises(ValidationError):
        services.claimant_update(claimant_id=old.pk, actor=admin_user, changes={"name": "X"})
    assert ClaimantMerge.objects.count() == 1


def test_claimants_merged_before_follow_a_later_merge(editor, admin_user):
    a, b, c = (services.claimant_create(actor=editor, name=name) for name in ("A", "B", "C"))
    services.claimant_merge(merged_id=a.pk, kept_id=b.pk, actor=admin_user)
    services.claimant_merge(merged_id=b.pk, kept_id=c.pk, actor=admin_user)
    a.refresh_from_db()
    assert a.merged_into == c
    assert make_claim(author=editor, claimant="a").claimant == c


# --- ClaimReview ----------------------------------------------------------------------------


def test_claimreview_names_the_claimants_type_and_same_as(editor, reviewer):
    claim = make_claim(
        author=editor,
        status="approved",
        reviewer=reviewer,
        claimant="Kremlin",
        claimant_kind="Organization",
    )
    assert claim.claimant is not None
    services.claimant_update(
        claimant_id=claim.claimant.pk, actor=editor, changes={"same_as": [WIKIDATA]}
    )
    author = {"@type": "Organization", "name": "Kremlin", "sameAs": WIKIDATA}
    assert public_review(records_of(claim.pk)[-1])["itemReviewed"]["author"] == author
    (exported_review,) = exported("claimreview")
    assert exported_review["itemReviewed"]["author"] == author
    answer = Client().get("/claims/datafeed.jsonld")
    feed = json.loads(b"".join(answer.streaming_content))
    assert feed["dataFeedElement"][0]["item"]["itemReviewed"]["author"] == author


def test_a_claimant_of_before_whose_kind_nobody_confirmed_is_a_person(editor, reviewer):
    claim = make_claim(author=editor, status="approved", reviewer=reviewer, claimant="Ivanov")
    review = public_review(records_of(claim.pk)[-1])
    assert review["itemReviewed"]["author"] == {"@type": "Person", "name": "Ivanov"}


# --- The native format ----------------------------------------------------------------------


def test_native_export_carries_claimants_and_import_round_trips_them(editor, reviewer):
    claim = make_claim(
        author=editor,
        status="approved",
        reviewer=reviewer,
        claimant="Kremlin",
        claimant_kind="Organization",
    )
    assert claim.claimant is not None
    services.claimant_update(
        claimant_id=claim.claimant.pk,
        actor=editor,
        changes={"same_as": [WIKIDATA], "description": "The Russian presidency."},
    )
    document = exported("native", ("approved",))
    (entry,) = document["claimants"]
    assert entry == {
        "id": claim.claimant.pk,
        "name": "Kremlin",
        "kind": "Organization",
        "description": "The Russian presidency.",
        "same_as": [WIKIDATA],
    }
    assert document["claims"][0]["claimant_id"] == claim.claimant.pk
    # Another desk: the claimant (not its claims' ids) arrives with its kind and links.
    from tests.record import erase_every_claim

    erase_every_claim()
    Claimant.objects.all().delete()
    claims_import_native(document)
    restored = Claim.objects.get()
    assert restored.claimant is not None
    assert (restored.claimant.name, restored.claimant.kind, restored.claimant.same_as) == (
        "Kremlin",
        "Organization",
        [WIKIDATA],
    )


def test_an_older_native_file_names_its_claimants_by_name_alone(editor, reviewer):
    make_claim(author=editor, status="approved", reviewer=reviewer, claimant="The Mayor")
    document = exported("native", ("approved",))
    del document["claimants"]
    for claim in document["claims"]:
        del claim["claimant_id"]
    from tests.record import erase_every_claim

    erase_every_claim()
    Claimant.objects.all().delete()
    services.claimant_create(actor=editor, name="the mayor", kind="Person")
    claims_import_native(document)
    restored = Claim.objects.get()
    assert restored.claimant is not None and restored.claimant.name == "the mayor"
    assert Claimant.objects.count() == 1


def test_an_import_with_a_bad_claimant_stores_nothing_and_names_it(editor, reviewer):
    make_claim(author=editor, status="approved", reviewer=reviewer, claimant="Kremlin")
    document = exported("native", ("approved",))
    document["claimants"][0]["name"] = "Krem\x01lin"
    from tests.record import erase_every_claim

    erase_every_claim()
    Claimant.objects.all().delete()
    with pytest.raises(Exception) as refused:
        claims_import_native(document)
    assert "claimants[0].name" in str(refused.value)
    assert not Claim.objects.exists() and not Claimant.objects.exists()


# --- The claimant's page --------------------------------------------------------------------


@pytest.fixture
def claimant_desk(editor, editor2, reviewer):  # type: ignore[no-untyped-def]
    name = "Jane Roe"
    return {
        "published": [
            make_claim(
                author=editor, status="approved", reviewer=reviewer, claimant=name, verdict=v
            )
            for v in (verdict("false"), verdict("false"), verdict("true"))
        ],
        "submitted": make_claim(author=editor, status="submitted", claimant=name),
        "own_draft": make_claim(author=editor, claimant=name),
        "other_draft": make_claim(author=editor2, claimant=name),
        "claimant": Claimant.objects.get(name=name),
    }


def test_anyone_sees_the_published_fact_checks_and_the_verdict_chart(claimant_desk):
    claimant = claimant_desk["claimant"]
    page = Client().get(f"/claimants/{claimant.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    for claim in claimant_desk["published"]:
        assert f"/claims/{claim.pk}/" in html
    assert "3 fact-checks published, by verdict" in html
    # The chart is drawn by the page itself: no inline style, no script, no outside request.
    assert "<svg" in html and "<rect" in html and 'style="' not in html
    assert "On the desk" not in html and "#claim-" not in html


def test_the_desk_also_sees_claims_in_the_works_but_not_others_drafts(claimant_desk, editor):
    client = Client()
    client.force_login(editor)
    html = client.get(f"/claimants/{claimant_desk['claimant'].pk}/").content.decode()
    assert "On the desk" in html
    assert f'claim-{claimant_desk["submitted"].pk}"' in html
    assert f'claim-{claimant_desk["own_draft"].pk}"' in html
    assert f'claim-{claimant_desk["other_draft"].pk}"' not in html
    for claim in claimant_desk["published"]:
        assert f'claim-{claim.pk}"' not in html


def test_an_unknown_claimant_is_a_404(db):
    assert Client().get("/claimants/999999/").status_code == 404
    assert Client().get(f"/claimants/{2**63}/").status_code == 404


def test_the_claimants_page_takes_the_same_number_of_queries_however_many_claims(editor, reviewer):
    def queries() -> int:
        client = Client()
        client.force_login(editor)
        claimant = Claimant.objects.get(name="Jane Roe")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/claimants/{claimant.pk}/").status_code == 200
        return len(captured)

    article = ArticleFactory()
    make_claim(
        author=editor, article=article, status="approved", reviewer=reviewer, claimant="Jane Roe"
    )
    make_claim(author=editor, article=article, claimant="Jane Roe")
    few = queries()
    for status in ("approved", "approved", "submitted", "draft", "rejected"):
        make_claim(author=editor, status=status, reviewer=reviewer, claimant="Jane Roe")
    assert queries() == few
    assert few <= 10


def test_the_public_claim_page_links_its_claimant(editor, reviewer):
    claim = make_claim(author=editor, status="approved", reviewer=reviewer, claimant="Jane Roe")
    assert claim.claimant is not None
    html = Client().get(f"/claims/{claim.pk}/").content.decode()
    assert f'href="/claimants/{claim.claimant.pk}/"' in html


def test_role_users_see_the_admin_merge_action_only_as_admins(admin_user, reviewer, editor):
    services.claimant_create(actor=editor, name="A")
    for user, may in ((admin_user, True), (reviewer, False)):
        client = Client()
        client.force_login(user)
        page = client.get("/admin/annotations/claimant/").content.decode()
        assert ("merge_claimants" in page) is may


def test_the_admin_merges_through_a_page_asking_which_claimant_stays(admin_user, editor):
    a = services.claimant_create(actor=editor, name="Mayor Jane Roe")
    b = services.claimant_create(actor=editor, name="Jane Roe")
    make_claim(author=editor, claimant="Mayor Jane Roe")
    client = Client()
    client.force_login(admin_user)
    url = "/admin/annotations/claimant/"
    asked = client.post(url, {"action": "merge_claimants", "_selected_action": [a.pk, b.pk]})
    assert asked.status_code == 200 and "Claimant that stays" in asked.content.decode()
    done = client.post(
        url, {"action": "merge_claimants", "_selected_action": [a.pk, b.pk], "keep": b.pk}
    )
    assert done.status_code == 302
    a.refresh_from_db()
    assert a.merged_into == b
    assert Claim.objects.get().claimant == b


def test_the_admin_corrects_a_claimant_with_one_url_a_line(admin_user, editor):
    jane = services.claimant_create(actor=editor, name="Jane Roe")
    client = Client()
    client.force_login(admin_user)
    url = f"/admin/annotations/claimant/{jane.pk}/change/"
    answer = client.post(
        url,
        {
            "name": "Jane Roe",
            "kind": "Person",
            "description": "Mayor since 2020.",
            "same_as": f"{WIKIDATA}\nhttps://city.example.org/mayor\n",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    jane.refresh_from_db()
    assert jane.same_as == [WIKIDATA, "https://city.example.org/mayor"]
    refused = client.post(url, {"name": "Jane Roe", "kind": "Person", "same_as": "javascript:x"})
    assert refused.status_code == 200
    jane.refresh_from_db()
    assert jane.same_as == [WIKIDATA, "https://city.example.org/mayor"]


def test_claimants_are_made_for_role_tests(db):
    # The page's desk check is the editor role, reviewers and admins included.
    for role in (Role.EDITOR, Role.REVIEWER, Role.ADMIN):
        user = make_user(role)
        claimant = services.claimant_create(actor=user, name=f"Someone {role}")
        client = Client()
        client.force_login(user)
        assert "On the desk" in client.get(f"/claimants/{claimant.pk}/").content.decode()
