"""A claim's span never splits a user-perceived character (a grapheme cluster: a flag, an
emoji family, a letter and its accent, an Indic conjunct) and always shows something, by
every way a span comes in: POST and PATCH /api/claims/ and a native import. (The page snaps
a selection outwards first: tests/browser/test_graphemes.py.)"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annotations.models import Article, Claim
from tests.api.conftest import error_of, token_client
from tests.factories import ArticleFactory
from tests.test_import_validation import BODY as NATIVE_BODY
from tests.test_import_validation import native_document, refusal

pytestmark = pytest.mark.django_db

FAMILY = "\U0001f469\u200d\U0001f469\u200d\U0001f467"  # woman, ZWJ, woman, ZWJ, girl
FLAGS = "\U0001f1fa\U0001f1e6\U0001f1eb\U0001f1f7"  # UA, FR
CAFE = "кафе\u0301"  # Cyrillic, the last letter with a combining acute accent
MINISTER = "मंत्री"  # Devanagari: a mark, then the conjunct TA + virama + RA, then a vowel sign
BODY = (
    f"Флаги {FLAGS} и семья {FAMILY} пришли в {CAFE}.\n"
    f"{MINISTER} ने कहा कि निर्यात बढ़ा।\n"
    "\u200d\n"
    "\ufe0f\n"
)


@pytest.fixture
def body_article() -> Article:
    article: Article = ArticleFactory(body=BODY)
    return article


def at(text: str, offset: int = 0, length: int | None = None) -> tuple[int, int]:
    start = BODY.index(text) + offset
    return start, start + (len(text) - offset if length is None else length)


SPLIT = [
    ("end-inside-a-flag", at(FLAGS, 0, 1), "end"),
    ("end-between-two-flags-halves", at(FLAGS, 0, 3), "end"),
    ("start-inside-a-flag", at(FLAGS, 1), "start"),
    ("end-inside-a-zwj-family", at(FAMILY, 0, 2), "end"),
    ("start-inside-a-zwj-family", at(FAMILY, 3), "start"),
    ("end-between-a-letter-and-its-accent", at(CAFE, 0, 4), "end"),
    ("start-on-the-accent", at(CAFE, 4), "start"),
    ("end-inside-a-devanagari-conjunct", at(MINISTER, 0, 3), "end"),
]


@pytest.mark.parametrize(("span", "field"), [s[1:] for s in SPLIT], ids=[s[0] for s in SPLIT])
@pytest.mark.parametrize("with_quote", [True, False], ids=["quote", "no-quote"])
def test_a_span_that_splits_a_character_is_a_400_naming_the_offset(
    editor: Any, body_article: Article, span: tuple[int, int], field: str, with_quote: bool
) -> None:
    start, end = span
    request = {"article": body_article.pk, "start": start, "end": end}
    if with_quote:
        request["quote"] = BODY[start:end]
    answer = token_client(editor).post("/api/claims/", request)
    assert answer.status_code == 400, answer.content
    fields = error_of(answer)["fields"]
    assert list(fields) == [field]
    assert "falls inside a character" in fields[field][0]
    assert not Claim.objects.exists()


@pytest.mark.parametrize("invisible", ["\u200d", "\ufe0f"], ids=["zwj", "variation-selector"])
def test_a_quote_of_only_a_joiner_or_a_variation_selector_is_a_400(
    editor: Any, body_article: Article, invisible: str
) -> None:
    start = BODY.index(f"\n{invisible}\n") + 1
    answer = token_client(editor).post(
        "/api/claims/",
        {"article": body_article.pk, "start": start, "end": start + 1, "quote": invisible},
    )
    assert answer.status_code == 400, answer.content
    assert "no visible character" in error_of(answer)["fields"]["quote"][0]
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    "quote",
    [FLAGS, FLAGS[2:], FAMILY, CAFE, "Флаги", f"{MINISTER} ने कहा", f"семья {FAMILY} пришли"],
    ids=[
        "flags",
        "second-flag",
        "zwj-family",
        "accented-cyrillic",
        "cyrillic",
        "devanagari",
        "family-in-a-sentence",
    ],
)
def test_whole_characters_are_accepted(editor: Any, body_article: Article, quote: str) -> None:
    start, end = at(quote)
    answer = token_client(editor).post(
        "/api/claims/", {"article": body_article.pk, "start": start, "end": end, "quote": quote}
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["quote"] == quote == Claim.objects.get().quote


def test_moving_a_span_into_a_character_is_a_400_and_changes_nothing(
    editor: Any, body_article: Article
) -> None:
    api = token_client(editor)
    start, end = at(FAMILY)
    created = api.post("/api/claims/", {"article": body_article.pk, "start": start, "end": end})
    assert created.status_code == 201, created.content
    claim = created.json()
    answer = api.patch(
        f"/api/claims/{claim['id']}/", {"version": claim["version"], "end": start + 2}
    )
    assert answer.status_code == 400, answer.content
    assert list(error_of(answer)["fields"]) == ["end"]
    stored = Claim.objects.get()
    assert (stored.start, stored.end, stored.quote, stored.version) == (start, end, FAMILY, 1)


# --- Native imports -------------------------------------------------------------------------


def test_a_native_claim_that_splits_a_flag_is_refused_at_its_place() -> None:
    document = native_document()
    # The body opens with two flags; this span keeps the second half of the first one.
    assert NATIVE_BODY.startswith("\U0001f1eb\U0001f1f7\U0001f1f7\U0001f1fa ")
    document["claims"][1].update(start=1, end=6, quote=NATIVE_BODY[1:6])
    problems = refusal(document)
    assert problems == [
        "claims[1].start: start=1 falls inside a character (a grapheme cluster such as an "
        "emoji, a flag or an accented letter): move it to 0 or 2."
    ]


def test_a_native_claim_with_nothing_visible_is_refused_at_its_place() -> None:
    document = native_document()
    body = document["articles"][0]["body"] + "\ufe0f\n"
    document["articles"][0]["body"] = body
    document["claims"][1].update(start=len(body) - 2, end=len(body) - 1, quote="\ufe0f")
    problems = refusal(document)
    assert len(problems) == 1, problems
    assert problems[0].startswith("claims[1].quote: The selected text has no visible character")


def test_import_claims_reports_a_split_character_without_a_traceback(tmp_path: Path) -> None:
    document = native_document()
    document["claims"][0].update(start=0, end=3, quote=NATIVE_BODY[:3])
    path = tmp_path / "native.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was stored"):
        call_command("import_claims", str(path), stderr=err)
    assert err.getvalue().splitlines() == [
        "error: claims[0].end: end=3 falls inside a character (a grapheme cluster such as an "
        "emoji, a flag or an accented letter): move it to 2 or 4."
    ]
    assert not Claim.objects.exists()
