"""The three export formats against golden files, the native JSON Schema, the W3C Web
Annotation MUSTs and the ClaimReview notes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from annotations import export
from annotations.native_import import native_schema
from tests.export.conftest import BASE_URL, Desk, normalise_ids

GOLDEN = Path(__file__).parent / "golden"
REPO_ROOT = Path(__file__).resolve().parents[2]
W3C_CHECKER = REPO_ROOT.parent / "shared" / "standards" / "check_web_annotation.py"
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")

pytestmark = pytest.mark.django_db


def exported(fmt: str, statuses: tuple[str, ...] = ("approved",)) -> Any:
    text = b"".join(export.export_chunks(fmt, statuses=statuses))
    return json.loads(text)


def assert_matches_golden(name: str, document: Any) -> None:
    """Compare with golden/<name> as parsed JSON: the same values, keys in any order. A
    golden file is written once, when it is missing, and never rewritten to fit the code."""
    path = GOLDEN / name
    if not path.exists():
        path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", "utf-8")
        pytest.fail(f"{name} was missing and has been written: check it by hand")
    assert document == json.loads(path.read_text(encoding="utf-8")), (
        f"{name} differs from the golden file"
    )


@pytest.mark.parametrize(
    ("fmt", "statuses", "golden"),
    [
        (
            "native",
            ("draft", "submitted", "approved", "rejected", "changes_requested"),
            "native-v3-all.json",
        ),
        ("claimreview", ("approved",), "claimreview-approved.jsonld"),
        ("webannotation", ("approved",), "webannotation-approved.jsonld"),
    ],
)
def test_export_matches_golden_file(
    desk: Desk, fmt: str, statuses: tuple[str, ...], golden: str
) -> None:
    assert_matches_golden(golden, normalise_ids(exported(fmt, statuses), desk))


def test_native_export_follows_the_json_schema(desk: Desk) -> None:
    document = exported("native", ("draft", "submitted", "approved", "rejected"))
    errors = [e.message for e in Draft202012Validator(native_schema()).iter_errors(document)]
    assert errors == []
    assert len(document["claims"]) == 6


def test_schema_refuses_a_native_file_with_a_claim_missing_its_span(desk: Desk) -> None:
    document = exported("native")
    del document["claims"][0]["start"]
    errors = list(Draft202012Validator(native_schema()).iter_errors(document))
    assert [list(e.absolute_path) for e in errors] == [["claims", 0]]


def test_default_export_holds_only_published_claims(desk: Desk) -> None:
    claims = exported("native")["claims"]
    assert [c["id"] for c in claims] == [c.pk for c in desk.approved()]
    assert {c["status"] for c in claims} == {"approved"}


def test_native_articles_are_only_those_of_the_exported_claims(desk: Desk) -> None:
    one_article = b"".join(
        export.export_chunks("native", statuses=("approved",), article=desk.articles[1])
    )
    document = json.loads(one_article)
    assert [a["id"] for a in document["articles"]] == [desk.articles[1].pk]
    assert [c["article"] for c in document["claims"]] == [desk.articles[1].pk]


# --- Web Annotation -------------------------------------------------------------------------


def test_web_annotations_meet_the_model_musts(desk: Desk) -> None:
    """The MUSTs the W3C checker covers, plus the cross-object ones it does not (positions
    in order, quote equal to the article text at the position)."""
    collection = exported("webannotation", ("draft", "submitted", "approved", "rejected"))
    assert collection["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert collection["type"] == "AnnotationCollection"
    assert collection["total"] == len(collection["first"]["items"]) == 6
    bodies_by_url = {export.article_url(a): a.body for a in desk.articles}
    ids = set()
    for annotation in collection["first"]["items"]:
        assert annotation["type"] == "Annotation"
        assert annotation["motivation"] == "assessing"
        assert re.match(r"^https?://\S+$", annotation["id"])
        ids.add(annotation["id"])
        assert DATE_TIME.match(annotation["created"]) and DATE_TIME.match(annotation["modified"])
        assert "bodyValue" not in annotation
        for body in annotation.get("body", []):
            if body["type"] == "TextualBody":
                assert isinstance(body["value"], str) and "source" not in body
            else:
                assert body == {
                    "type": "SpecificResource",
                    "purpose": "linking",
                    "source": body["source"],
                }
        target = annotation["target"]
        assert target["type"] == "SpecificResource"
        quote, position = target["selector"]
        assert quote["type"] == "TextQuoteSelector"
        assert position["type"] == "TextPositionSelector"
        assert 0 <= position["start"] < position["end"]
        text = bodies_by_url[target["source"]]
        assert text[position["start"] : position["end"]] == quote["exact"]
        assert text[: position["start"]].endswith(quote["prefix"])
        assert text[position["end"] :].startswith(quote["suffix"])
    assert len(ids) == 6


def test_text_positions_count_code_points_not_utf16_units(desk: Desk) -> None:
    collection = exported("webannotation")
    first = collection["first"]["items"][0]
    position = first["target"]["selector"][1]
    body = desk.articles[0].body
    # Two flag emoji (four code points, eight UTF-16 units) stand before the quote.
    assert body[position["start"] : position["end"]] == "unemployment had fallen by half since 2020"
    assert position["start"] == body.index("unemployment")


def test_annotation_target_is_the_article_url_or_the_desk_page(desk: Desk) -> None:
    sources = [a["target"]["source"] for a in exported("webannotation")["first"]["items"]]
    assert sources == [
        "https://news.example.org/paris-10-february",
        "https://news.example.org/paris-10-february",
        f"{BASE_URL}/articles/{desk.articles[1].pk}/",
    ]


def test_annotation_bodies_carry_verdict_rationale_and_sources(desk: Desk) -> None:
    first = exported("webannotation")["first"]["items"][0]
    assert first["body"] == [
        {
            "type": "TextualBody",
            "purpose": "assessing",
            "value": "False: Official statistics show a 12% fall, not 50%.",
            "format": "text/plain",
        },
        {"type": "TextualBody", "purpose": "tagging", "value": "False", "format": "text/plain"},
        {
            "type": "SpecificResource",
            "purpose": "linking",
            "source": "https://stats.example.org/unemployment",
        },
        {
            "type": "SpecificResource",
            "purpose": "linking",
            "source": "https://news.example.org/jobs-report",
        },
    ]


def test_a_draft_without_verdict_or_rationale_has_no_body(desk: Desk) -> None:
    items = exported("webannotation", ("draft",))["first"]["items"]
    assert len(items) == 1
    assert "body" not in items[0]


@pytest.mark.skipif(
    not W3C_CHECKER.exists(),
    reason="the W3C Web Annotation checker (../shared/standards/check_web_annotation.py "
    "beside the repository) is not there",
)
def test_web_annotation_export_passes_the_w3c_checker(desk: Desk, tmp_path: Path) -> None:
    path = tmp_path / "annotations.jsonld"
    path.write_bytes(
        b"".join(
            export.export_chunks(
                "webannotation", statuses=("draft", "submitted", "approved", "rejected")
            )
        )
    )
    result = subprocess.run(
        [sys.executable, str(W3C_CHECKER), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Four MUST tests per annotation, six annotations.
    assert result.stdout.strip().splitlines()[-1] == "24 passed, 0 failed"


# --- ClaimReview ----------------------------------------------------------------------------


def test_claim_reviews_carry_the_required_and_recommended_properties(desk: Desk) -> None:
    reviews = exported("claimreview")
    assert len(reviews) == 3
    for review, claim in zip(reviews, desk.approved(), strict=True):
        assert review["@context"] == "https://schema.org"
        assert review["@type"] == "ClaimReview"
        assert review["url"] == f"{BASE_URL}/claims/{claim.pk}/"
        assert review["claimReviewed"] == claim.claim_text
        assert review["reviewRating"]["@type"] == "Rating"
        assert claim.verdict is not None
        assert review["reviewRating"]["alternateName"] == claim.verdict.label
        assert review["author"] == {
            "@type": "Organization",
            "name": "Example Fact Desk",
            "url": f"{BASE_URL}/",
        }
        assert re.match(r"^\d{4}-\d{2}-\d{2}$", review["datePublished"])
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        assert item["appearance"]["url"] == export.article_url(claim.article)


def test_numeric_verdicts_carry_the_scale_and_others_only_their_name(desk: Desk) -> None:
    ratings = [r["reviewRating"] for r in exported("claimreview")]
    assert ratings == [
        {
            "@type": "Rating",
            "alternateName": "False",
            "ratingValue": 1,
            "bestRating": 5,
            "worstRating": 1,
        },
        {"@type": "Rating", "alternateName": "Misleading"},
        {
            "@type": "Rating",
            "alternateName": "True",
            "ratingValue": 5,
            "bestRating": 5,
            "worstRating": 1,
        },
    ]


def test_scale_bounds_are_those_of_the_scale_when_the_claim_was_published(desk: Desk) -> None:
    from annotations.models import Verdict

    Verdict.objects.create(label="Pants on fire", slug="pants-on-fire", rating=0)
    first = exported("claimreview")[0]["reviewRating"]
    assert (first["ratingValue"], first["bestRating"], first["worstRating"]) == (1, 5, 1)
    # A claim not published is rated against the scale as it now is.
    submitted = exported("claimreview", ("submitted",))[0]["reviewRating"]
    assert submitted["alternateName"] == "Unverifiable"
    half_true = exported("claimreview", ("rejected",))[0]["reviewRating"]
    assert (half_true["bestRating"], half_true["worstRating"]) == (5, 0)


def test_claimant_is_the_claims_author_and_the_article_date_its_date(desk: Desk) -> None:
    reviews = exported("claimreview")
    assert reviews[0]["itemReviewed"]["author"] == {"@type": "Person", "name": "The mayor"}
    assert reviews[0]["itemReviewed"]["datePublished"] == "2026-02-10"
    # No claimant and no article date: the properties are left out, never empty.
    assert "author" not in reviews[1]["itemReviewed"]
    assert "datePublished" not in reviews[2]["itemReviewed"]
