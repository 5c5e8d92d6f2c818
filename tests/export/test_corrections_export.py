"""The exports carry the public record: ClaimReview with the frozen rating and dateModified,
the native format's corrections and retractions (version 2, still reading version 1), and
Web Annotation's modified."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from jsonschema import Draft202012Validator

from annotations import export, services
from annotations.models import Claim, Publication, PublicationKind, Verdict
from annotations.native_import import claims_import_native, native_schema
from tests.export.conftest import Desk
from tests.factories import make_user, verdict
from tests.record import record_guard_lifted

pytestmark = pytest.mark.django_db

V1_FILE = Path(__file__).parent / "data" / "native-v1.json"
NOTE = "The statistics office revised the survey; the fall is 12%, and the verdict stands."


def exported(fmt: str, statuses: tuple[str, ...] = ("approved",)) -> Any:
    return json.loads(b"".join(export.export_chunks(fmt, statuses=statuses)))


def act(claim: Claim, actor: Any, action: str, comment: str = "") -> Claim:
    claim.refresh_from_db()
    return services.claim_transition(
        claim_id=claim.pk, actor=actor, action=action, version=claim.version, comment=comment
    )


@pytest.fixture
def corrected(desk: Desk) -> Desk:
    """The desk with its first claim corrected (verdict now Half true) and its third
    retracted, on the desk's clock."""
    admin = make_user("admin", "boss")
    editor, reviewer = desk.claims[0].author, make_user("reviewer", "rev")
    claim = desk.claims[0]
    act(claim, admin, "reopen", "The survey was revised.")
    act(claim, reviewer, "request_changes", "Correct the verdict.")
    claim.refresh_from_db()
    services.claim_update(
        claim_id=claim.pk,
        actor=editor,
        version=claim.version,
        changes={"verdict": verdict("half-true")},
    )
    act(claim, editor, "submit", NOTE)
    act(claim, reviewer, "approve")
    act(desk.claims[2], admin, "retract", "The invoices were forged.")
    return desk


def empty_the_desk() -> None:
    with record_guard_lifted(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM annotations_publication")
        Claim.objects.all().delete()


def test_claim_review_carries_the_first_publication_and_the_latest_correction(
    corrected: Desk,
) -> None:
    reviews = {review["claimReviewed"]: review for review in exported("claimreview")}
    review = reviews[corrected.claims[0].claim_text]
    records = list(corrected.claims[0].publications.order_by("number"))
    assert review["datePublished"] == "2026-02-11"
    assert review["dateModified"] == records[-1].published_at.date().isoformat()
    assert records[0].published_at < records[-1].published_at
    assert review["reviewRating"]["alternateName"] == "Half true"
    # The retracted claim is no longer approved: the default export leaves it out.
    assert corrected.claims[2].claim_text not in reviews


def test_claim_review_days_are_utc_days_whatever_the_desk_time_zone(
    desk: Desk, settings: Any
) -> None:
    """The desk's clock publishes at 09:00 UTC on 11 February: 22:00 on the 10th in Pago
    Pago. ClaimReview's days are those of UTC, as the public page's are."""
    settings.TIME_ZONE = "Pacific/Pago_Pago"
    with timezone.override("Pacific/Pago_Pago"):
        reviews = exported("claimreview")
    assert reviews
    assert {review["datePublished"] for review in reviews} == {"2026-02-11"}
    assert {review["dateModified"] for review in reviews} == {"2026-02-11"}


def test_claim_review_export_keeps_the_rating_as_published(desk: Desk) -> None:
    before = exported("claimreview")
    bottom = Verdict(label="Pants on fire", slug="pants-on-fire", rating=0)
    services.verdict_save(verdict=bottom, actor=None)
    false = verdict("false")
    false.label = "Wrong"
    services.verdict_save(verdict=false, actor=None)
    assert exported("claimreview") == before


def test_web_annotation_says_when_it_was_modified(corrected: Desk) -> None:
    items = exported("webannotation")["first"]["items"]
    claim = corrected.claims[0]
    claim.refresh_from_db()
    annotation = next(i for i in items if i["id"].endswith(f"/claims/{claim.pk}/#annotation"))
    assert annotation["modified"] == claim.updated_at.isoformat().replace("+00:00", "Z")
    assert annotation["modified"] > annotation["created"]


def test_native_export_carries_corrections_and_retractions(corrected: Desk) -> None:
    document = exported("native", ("approved", "retracted"))
    assert document["version"] == export.NATIVE_VERSION == 3
    errors = [e.message for e in Draft202012Validator(native_schema(3)).iter_errors(document)]
    assert errors == []
    by_id = {claim["id"]: claim for claim in document["claims"]}
    records = by_id[corrected.claims[0].pk]["publications"]
    assert [(r["number"], r["kind"]) for r in records] == [(1, "published"), (2, "corrected")]
    assert records[1]["note"] == NOTE
    assert (records[0]["verdict_label"], records[1]["verdict_label"]) == ("False", "Half true")
    assert records[1]["first_published_at"] == records[0]["published_at"]
    retraction = by_id[corrected.claims[2].pk]["publications"][-1]
    assert (retraction["kind"], retraction["note"]) == ("retracted", "The invoices were forged.")


def test_native_round_trip_keeps_the_public_record_and_its_ratings(
    corrected: Desk, tmp_path: Path
) -> None:
    path = tmp_path / "export.json"
    call_command("export_claims", "--format", "native", "--status", "all", "--output", str(path))
    before = exported("native", ("approved", "retracted"))
    empty_the_desk()
    # A scale changed before the restore: the restored ratings are those published.
    services.verdict_save(
        verdict=Verdict(label="Pants on fire", slug="pants-on-fire", rating=0), actor=None
    )
    call_command("import_claims", str(path), stdout=StringIO())
    after = exported("native", ("approved", "retracted"))

    def records(document: Any) -> list[Any]:
        return [claim["publications"] for claim in document["claims"]]

    assert records(after) == records(before)
    assert Publication.objects.filter(kind=PublicationKind.CORRECTED).count() == 1


def test_a_version_1_file_still_imports_and_its_approved_claims_are_published() -> None:
    document = json.loads(V1_FILE.read_text(encoding="utf-8"))
    assert document["version"] == 1
    report = claims_import_native(document, source_file=V1_FILE.name)
    assert report.claims_created == 6
    approved = Claim.objects.filter(status="approved")
    assert approved.count() == 3
    for claim in approved:
        record = Publication.objects.get(claim=claim)
        assert record.kind == PublicationKind.PUBLISHED
        assert record.published_at == claim.published_at
        assert record.claim_text == claim.claim_text
    false_claim = approved.get(verdict__slug="false")
    record = Publication.objects.get(claim=false_claim)
    assert (record.rating_value, record.best_rating, record.worst_rating) == (1, 5, 1)
    assert not Publication.objects.exclude(claim__in=approved).exists()


def test_a_version_1_file_is_checked_against_the_version_1_schema() -> None:
    document = json.loads(V1_FILE.read_text(encoding="utf-8"))
    document["claims"][0]["status"] = "retracted"  # a state version 1 did not have
    with pytest.raises(Exception, match="retracted"):
        claims_import_native(document)
