"""Exports know the revision: the Web Annotation target's TimeState, the native format's
revisions, claims' revisions and re-anchorings, and import_claims' round trip of them."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from jsonschema import Draft202012Validator

from annotations.models import Article, ArticleRevision, Claim, Reanchoring, RevisionKind
from annotations.native_import import NativeImportError, claims_import_native, native_schema
from annotations.services.revisions import revision_record
from tests.export.conftest import Desk
from tests.export.test_formats import W3C_CHECKER
from tests.export.test_native_import import comparable, empty_the_desk, export_native

pytestmark = pytest.mark.django_db

# The Paris article, updated: the mayor's figure edited, the ministry's sentence gone.
UPDATED = (
    "🇫🇷🇷🇺 Paris, 10 February.\n"
    "Updated at noon.\n"
    "The mayor said unemployment had fallen by a third since 2020.\n"
)


@pytest.fixture
def revised(desk: Desk) -> Desk:
    """The desk after a scheduled check found the Paris article changed."""
    revision_record(
        article_id=desk.articles[0].pk, body=UPDATED, kind=RevisionKind.FETCH, actor=None
    )
    return desk


def test_the_native_export_carries_revisions_and_each_claims_revision(
    revised: Desk, tmp_path: Path
) -> None:
    document = export_native(tmp_path / "export.json")
    assert document["version"] == 3
    errors = [e.message for e in Draft202012Validator(native_schema(3)).iter_errors(document)]
    assert errors == []
    paris = next(a for a in document["articles"] if a["id"] == revised.articles[0].pk)
    assert paris["revision"] == 2 and paris["body"] == UPDATED
    assert [(r["number"], r["kind"], r["created_by"]) for r in paris["revisions"]] == [
        (1, "file", None),
        (2, "fetch", None),
    ]
    claims = {c["id"]: c for c in document["claims"]}
    halved, doubled = (claims[c.pk] for c in revised.claims[:2])
    assert (halved["revision"], halved["status"]) == (2, "submitted")
    assert halved["quote"] == "unemployment had fallen by a third since 2020"
    assert [(m["outcome"], m["from_revision"], m["revision"]) for m in halved["reanchorings"]] == [
        ("edited", 1, 2)
    ]
    # The orphan counts in the text it was made on; its record in the text it was checked in.
    assert (doubled["revision"], doubled["reanchorings"][0]["outcome"]) == (1, "orphaned")
    assert doubled["publications"][0]["revision"] == 1
    changed = halved["history"][-1]
    assert (changed["action"], changed["actor"]) == ("article_changed", None)


def test_import_claims_round_trips_revisions_and_reanchorings(
    revised: Desk, tmp_path: Path
) -> None:
    first = export_native(tmp_path / "first.json")
    empty_the_desk()
    out = StringIO()
    call_command("import_claims", str(tmp_path / "first.json"), stdout=out)
    assert "6 claims created" in out.getvalue()
    second = export_native(tmp_path / "second.json")
    assert comparable(second) == comparable(first)
    paris = Article.objects.get(title="Paris, 10 February")
    assert paris.current_revision == ArticleRevision.objects.get(article=paris, number=2)
    assert Claim.objects.orphaned().count() == 1
    assert Reanchoring.objects.count() == 3


def test_reanchorings_travel_with_their_reason_code_and_figures(
    revised: Desk, tmp_path: Path, settings: Any
) -> None:
    settings.LANGUAGE_CODE = "fr"
    document = export_native(tmp_path / "export.json")
    moves = [move for claim in document["claims"] for move in claim["reanchorings"]]
    edited = next(move for move in moves if move["outcome"] == "edited")
    assert edited["reason_code"] == "words_edited"
    assert edited["reason_values"] == {"score": round(edited["score"])}
    # The sentence is the desk's, as the claims' history is.
    assert edited["reason"].startswith("Les mots mêmes de la citation ont été modifiés")
    empty_the_desk()
    claims_import_native(document)
    restored = Reanchoring.objects.get(outcome="edited")
    assert (restored.reason_code, restored.reason_values) == (
        "words_edited",
        edited["reason_values"],
    )
    assert restored.reason == ""
    assert restored.reason_sentence("en").startswith("The quote's own words were edited")


def test_a_reason_given_only_as_a_sentence_is_restored_as_that_sentence(
    revised: Desk, tmp_path: Path
) -> None:
    document = export_native(tmp_path / "export.json")
    for claim in document["claims"]:
        for move in claim["reanchorings"]:
            del move["reason_code"], move["reason_values"]
            move["reason"] = "Placé à la main par le service."
    empty_the_desk()
    claims_import_native(document)
    assert {row.reason_sentence("en") for row in Reanchoring.objects.all()} == {
        "Placé à la main par le service."
    }


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"reason_code": "looked_right"}, r"reanchorings\[0\]\.reason_code"),
        ({"reason_code": "too_different", "reason_values": {"score": 60}}, "reason_values"),
        ({"reason_code": "words_edited", "reason_values": {"score": "high"}}, "reason_values"),
    ],
)
def test_a_reason_the_desk_cannot_write_is_refused(
    revised: Desk, tmp_path: Path, change: dict[str, Any], problem: str
) -> None:
    document = export_native(tmp_path / "export.json")
    index, claim = next((n, c) for n, c in enumerate(document["claims"]) if c["reanchorings"])
    claim["reanchorings"][0].update(change)
    empty_the_desk()
    with pytest.raises(NativeImportError, match=problem) as raised:
        claims_import_native(document)
    assert any(f"claims[{index}]" in line for line in raised.value.problems)
    assert not Claim.objects.exists() and not Reanchoring.objects.exists()


def test_a_claim_naming_a_revision_the_file_lacks_is_refused(revised: Desk, tmp_path: Path) -> None:
    document = export_native(tmp_path / "export.json")
    paris = next(a for a in document["articles"] if a["id"] == revised.articles[0].pk)
    index = next(n for n, c in enumerate(document["claims"]) if c["article"] == paris["id"])
    document["claims"][index]["revision"] = 7
    empty_the_desk()
    with pytest.raises(Exception, match=rf"claims\[{index}\]\.revision"):
        claims_import_native(document)
    assert not Claim.objects.exists()


def test_a_version_2_file_still_imports_every_span_in_revision_one(
    desk: Desk, tmp_path: Path
) -> None:
    document = export_native(tmp_path / "export.json")
    document["version"] = 2
    for article in document["articles"]:
        del article["revision"], article["revisions"]
    for claim in document["claims"]:
        del claim["revision"], claim["reanchorings"]
        for record in claim["publications"]:
            del record["revision"]
    assert list(Draft202012Validator(native_schema(2)).iter_errors(document)) == []
    empty_the_desk()
    claims_import_native(document)
    assert set(Claim.objects.values_list("revision__number", flat=True)) == {1}
    assert set(ArticleRevision.objects.values_list("kind", flat=True)) == {"restore"}


def test_web_annotations_name_the_time_of_the_text_their_selectors_hold_for(
    revised: Desk, tmp_path: Path
) -> None:
    call_command(
        "export_claims",
        "--format",
        "webannotation",
        "--status",
        "all",
        "--output",
        str(tmp_path / "annotations.jsonld"),
    )
    collection: dict[str, Any] = json.loads((tmp_path / "annotations.jsonld").read_text())
    revisions = {
        (r.article_id, r.number): r.created_at.isoformat().replace("+00:00", "Z")
        for r in ArticleRevision.objects.all()
    }
    for annotation in collection["first"]["items"]:
        claim = Claim.objects.get(pk=int(annotation["id"].split("/claims/")[1].split("/")[0]))
        assert annotation["target"]["state"] == {
            "type": "TimeState",
            "sourceDate": revisions[(claim.article_id, claim.revision.number)],
        }
    dates = {a["target"]["state"]["sourceDate"] for a in collection["first"]["items"]}
    assert len(dates) == 3  # Paris before and after its change, and the council's notes
    if not W3C_CHECKER.exists():
        pytest.skip("the W3C Web Annotation checker (../shared/standards/) is not there")
    checked = subprocess.run(
        [sys.executable, str(W3C_CHECKER), str(tmp_path / "annotations.jsonld")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout
