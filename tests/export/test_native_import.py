"""import_claims: the round trip, idempotence, and refusals that store nothing."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from annotations.models import Article, Claim, ReviewEvent, Source, Verdict
from annotations.native_import import NativeImportError, claims_import_native
from annotations.permissions import role_of
from tests.export.conftest import Desk
from tests.record import record_guard_lifted

pytestmark = pytest.mark.django_db


def export_native(path: Path, status: str = "all") -> dict[str, Any]:
    call_command("export_claims", "--format", "native", "--status", status, "--output", str(path))
    return json.loads(path.read_text(encoding="utf-8"))


def comparable(document: dict[str, Any]) -> dict[str, Any]:
    """The claims and articles without what a new database renumbers or the clock changes."""
    order = {a["id"]: n for n, a in enumerate(document["articles"])}
    articles = [{k: v for k, v in a.items() if k != "id"} for a in document["articles"]]
    claims = [
        {
            **{k: v for k, v in c.items() if k != "id"},
            "article": order[c["article"]],
            "sources": _without_ids(c["sources"]),
            "versions": [{**v, "sources": _without_ids(v["sources"])} for v in c["versions"]],
        }
        for c in document["claims"]
    ]
    return {"verdicts": document["verdicts"], "articles": articles, "claims": claims}


def _without_ids(sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in source.items() if k != "id"} for source in sources]


def empty_the_desk() -> None:
    with record_guard_lifted(), connection.cursor() as cursor:
        # The public record holds its claims (PROTECT) and refuses the ORM's deletes.
        cursor.execute("DELETE FROM annotations_publication")
        Claim.objects.all().delete()  # sources, history and versions go with them
    Article.objects.all().delete()
    get_user_model().objects.all().delete()


def test_round_trip_into_an_empty_database_gives_the_same_claims(desk: Desk, tmp_path: Path):
    first = export_native(tmp_path / "first.json")
    empty_the_desk()
    assert not Claim.objects.exists()

    out = StringIO()
    call_command("import_claims", str(tmp_path / "first.json"), stdout=out)
    assert "6 claims created, 0 already here" in out.getvalue()

    second = export_native(tmp_path / "second.json")
    assert comparable(second) == comparable(first)


def test_importing_the_same_file_twice_stores_the_claims_once(desk: Desk, tmp_path: Path):
    export_native(tmp_path / "export.json")
    counts = (Claim.objects.count(), Source.objects.count(), ReviewEvent.objects.count())
    out = StringIO()
    call_command("import_claims", str(tmp_path / "export.json"), stdout=out)
    assert "0 claims created, 6 already here" in out.getvalue()
    assert "articles: 0 created, 2 already here" in out.getvalue()
    assert (Claim.objects.count(), Source.objects.count(), ReviewEvent.objects.count()) == counts


def test_people_named_in_the_file_are_created_without_password_or_role(desk: Desk, tmp_path: Path):
    export_native(tmp_path / "export.json")
    empty_the_desk()
    out = StringIO()
    call_command("import_claims", str(tmp_path / "export.json"), stdout=out)
    assert "users created (no password, no role): ed, rev" in out.getvalue()
    for user in get_user_model().objects.all():
        assert not user.has_usable_password()
        assert role_of(user) is None
        assert not user.is_staff


def test_verdicts_missing_here_are_created_from_the_file(desk: Desk, tmp_path: Path):
    document = export_native(tmp_path / "export.json")
    document["verdicts"].append(
        {"slug": "pants-on-fire", "label": "Pants on fire", "rating": 0, "order": 9}
    )
    document["claims"][0]["verdict"] = "pants-on-fire"
    empty_the_desk()
    report = claims_import_native(document)
    assert report.verdicts_created == ["pants-on-fire"]
    assert Claim.objects.filter(verdict__slug="pants-on-fire").count() == 1


def refusal(document: Any) -> list[str]:
    before = (Claim.objects.count(), Article.objects.count(), Verdict.objects.count())
    users = get_user_model().objects.count()
    with pytest.raises(NativeImportError) as raised:
        claims_import_native(document)
    after = (Claim.objects.count(), Article.objects.count(), Verdict.objects.count())
    assert after == before, "a refused file must store nothing"
    assert get_user_model().objects.count() == users
    return raised.value.problems


@pytest.fixture
def document(desk: Desk, tmp_path: Path) -> dict[str, Any]:
    exported = export_native(tmp_path / "export.json")
    empty_the_desk()
    return exported


def test_a_quote_that_is_not_at_its_span_is_refused(document: dict[str, Any]):
    document["claims"][2]["quote"] = "something else entirely"
    problems = refusal(document)
    assert len(problems) == 1
    assert problems[0].startswith("claims[2].quote: The quote does not match")


def test_a_span_past_the_end_of_the_article_is_refused(document: dict[str, Any]):
    document["claims"][0]["end"] = 10_000
    assert refusal(document)[0].startswith("claims[0].end: end=10000 is past the end")


def test_a_claim_on_an_article_not_in_the_file_is_refused(document: dict[str, Any]):
    document["claims"][1]["article"] = 424242
    assert refusal(document) == ["claims[1].article: no article with id 424242 in the file."]


def test_an_unknown_verdict_is_refused(document: dict[str, Any]):
    document["claims"][1]["verdict"] = "pants-on-fire"
    assert refusal(document) == [
        "claims[1].verdict: no verdict 'pants-on-fire' here or in the file."
    ]


def test_a_file_breaking_the_schema_names_each_place(document: dict[str, Any]):
    del document["claims"][0]["author"]
    document["claims"][3]["status"] = "published"
    document["articles"][0]["source_url"] = "javascript:alert(1)"
    problems = refusal(document)
    assert [p.split(":")[0] for p in problems] == [
        "articles[0].source_url",
        "claims[0]",
        "claims[3].status",
    ]
    assert "'author' is a required property" in problems[1]


def test_an_impossible_date_is_refused(document: dict[str, Any]):
    document["claims"][0]["created_at"] = "2026-02-30T09:00:00Z"
    assert refusal(document) == [
        "claims[0].created_at: '2026-02-30T09:00:00Z' is not a real date or time."
    ]


def test_a_verdict_label_taken_by_another_slug_is_refused(document: dict[str, Any]):
    document["verdicts"].append({"slug": "untrue", "label": "False"})
    problems = refusal(document)
    assert problems[0].startswith("verdicts[7].label:")


def test_a_source_with_a_bad_url_is_refused(document: dict[str, Any]):
    document["claims"][4]["sources"] = [{"url": "https://ok.example.org/", "kind": "rumour"}]
    problems = refusal(document)
    assert problems[0].startswith("claims[4].")
    assert "kind" in problems[0]


def test_every_problem_of_a_claim_is_named_at_once_history_included(document: dict[str, Any]):
    claim = next(c for c in document["claims"] if c["history"])
    index = document["claims"].index(claim)
    # Past the schema (any string will do there), refused by the models: text with a NUL.
    claim["sources"] = [{"url": "https://ok.example.org/", "title": "Survey\x00"}]
    claim["history"][0]["comment"] = "checked\x00"
    problems = refusal(document)
    assert [p.split(":")[0] for p in problems] == [
        f"claims[{index}].sources",
        f"claims[{index}].history[0].comment",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "is not JSON (line 1, column 2"),
        (b"\xff\xfe", "is not UTF-8 text"),
        (b'{"format": "something-else", "version": 1}', "format: expected 'factcheck-native'"),
        (b'{"format": "factcheck-native", "version": 4}', "this desk reads versions 1, 2 and 3"),
        (b"[]", "must hold a JSON object"),
    ],
)
def test_command_refuses_a_file_that_is_not_a_native_export(
    db: Any, tmp_path: Path, content: bytes, message: str
):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was stored"):
        call_command("import_claims", str(path), stderr=err)
    assert message in err.getvalue()


def test_export_command_refuses_an_unknown_status(db: Any):
    with pytest.raises(CommandError, match="--status: Unknown status"):
        call_command("export_claims", "--status", "published")


def test_export_command_writes_to_standard_output(desk: Desk):
    out = StringIO()
    call_command("export_claims", "--format", "claimreview", stdout=out)
    assert len(json.loads(out.getvalue())) == 3
