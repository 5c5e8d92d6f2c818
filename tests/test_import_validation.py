"""Imports check every value as the database will hold it, and answer with places, never a
traceback: a native file (import_claims) is refused whole, naming each problem; a batch of
article files (import_articles) refuses the bad files one by one and imports the rest.

The accepted documents are Cyrillic and emoji throughout, so a check cannot pass by
refusing honest text.
"""

from __future__ import annotations

import copy
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from annotations import services
from annotations.models import Article, Claim, ReviewEvent, Source, Verdict
from annotations.native_import import NativeImportError, claims_import_native
from tests.api.conftest import token_client
from tests.factories import make_user

pytestmark = pytest.mark.django_db

BODY = (
    "🇫🇷🇷🇺 Париж, 10 февраля.\n"
    "Мэр заявил, что безработица сократилась вдвое с 2020 года.\n"
    "Министерство сообщило, что бюджет удвоился. 📈\n"
)
HALVED = "безработица сократилась вдвое с 2020 года"
DOUBLED = "бюджет удвоился"


def span(quote: str) -> dict[str, Any]:
    start = BODY.index(quote)
    return {"start": start, "end": start + len(quote), "quote": quote}


def native_document() -> dict[str, Any]:
    """A valid native export, written by hand so that each test changes one thing in it."""
    return {
        "format": "factcheck-native",
        "version": 1,
        "exported_at": "2026-03-01T12:00:00Z",
        "verdicts": [
            {
                "slug": "lozh",
                "label": "Ложь",
                "rating": 0,
                "description": "Не соответствует фактам 🙅",
                "colour": "#aa0000",
                "order": 9,
            }
        ],
        "articles": [
            {
                "id": 7,
                "title": "Париж, 10 февраля",
                "body": BODY,
                "source_url": "https://news.example.org/ru/paris",
                "publisher": "Городская газета",
                "byline": "А. Репортёр",
                "published_on": "2026-02-10",
                "language": "ru",
            }
        ],
        "claims": [
            {
                "article": 7,
                **span(HALVED),
                "claim_text": "Безработица сократилась вдвое с 2020 года",
                "claimant": "Мэр",
                "verdict": "lozh",
                "rationale": "Статистика показывает снижение на 12 %, а не на 50 %. 📉",
                "status": "approved",
                "author": "редактор",
                "reviewer": "проверяющий",
                "version": 3,
                "created_at": "2026-02-11T09:00:00+03:00",
                "updated_at": "2026-02-11T10:00:00Z",
                "submitted_at": "2026-02-11T09:30:00Z",
                "published_at": "2026-02-11T10:00:00Z",
                "sources": [
                    {
                        "url": "https://stats.example.org/ru/безработица",
                        "title": "Обследование рабочей силы",
                        "kind": "dataset",
                    }
                ],
                "history": [
                    {
                        "action": "submit",
                        "actor": "редактор",
                        "from_status": "draft",
                        "to_status": "submitted",
                        "created_at": "2026-02-11T09:30:00Z",
                    },
                    {
                        "action": "approve",
                        "actor": "проверяющий",
                        "from_status": "submitted",
                        "to_status": "approved",
                        "comment": "Проверено ✅",
                        "created_at": "2026-02-11T10:00:00Z",
                    },
                ],
            },
            {
                "article": 7,
                **span(DOUBLED),
                "claim_text": "Бюджет удвоился",
                "status": "draft",
                "author": "редактор",
                "created_at": "2026-02-12T08:00:00Z",
            },
        ],
    }


def counts() -> tuple[int, ...]:
    return (
        Article.objects.count(),
        Verdict.objects.count(),
        Claim.objects.count(),
        Source.objects.count(),
        ReviewEvent.objects.count(),
        get_user_model().objects.count(),
    )


def refusal(document: dict[str, Any]) -> list[str]:
    before = counts()
    with pytest.raises(NativeImportError) as raised:
        claims_import_native(document)
    assert counts() == before, "a refused file must store nothing"
    return raised.value.problems


def test_the_cyrillic_and_emoji_document_is_imported_whole() -> None:
    report = claims_import_native(native_document())
    assert (report.articles_created, report.claims_created) == (1, 2)
    assert report.verdicts_created == ["lozh"]
    assert sorted(report.users_created) == ["проверяющий", "редактор"]
    claim = Claim.objects.get(claimant__name="Мэр")
    assert claim.rationale.endswith("📉")
    assert [e.comment for e in claim.events.all()] == ["", "Проверено ✅"]


# --- Times ----------------------------------------------------------------------------------

TIME_PLACES = [
    ("claims[0].created_at", lambda d: d["claims"][0], "created_at"),
    ("claims[0].updated_at", lambda d: d["claims"][0], "updated_at"),
    ("claims[0].submitted_at", lambda d: d["claims"][0], "submitted_at"),
    ("claims[0].published_at", lambda d: d["claims"][0], "published_at"),
    ("claims[1].created_at", lambda d: d["claims"][1], "created_at"),
    ("claims[0].history[1].created_at", lambda d: d["claims"][0]["history"][1], "created_at"),
]


@pytest.mark.parametrize(("place", "holder", "name"), TIME_PLACES, ids=[p[0] for p in TIME_PLACES])
@pytest.mark.parametrize(
    "moment",
    [
        "0001-01-01T00:30:00+01:00",  # before year 1 once in UTC
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:30:00-01:00",  # after year 9999 once in UTC
        "9999-12-31T12:00:00Z",
    ],
)
def test_a_time_out_of_range_once_in_utc_is_refused_at_its_place(
    place: str, holder: Any, name: str, moment: str
) -> None:
    document = native_document()
    holder(document)[name] = moment
    assert refusal(document) == [
        f"{place}: {moment!r}: Times must fall between 0001-01-02 and 9999-12-30 in UTC."
    ]


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati", "Etc/GMT+12"])
def test_the_earliest_and_latest_times_are_stored_and_every_page_still_answers(
    settings: Any, zone: str
) -> None:
    settings.TIME_ZONE = zone
    document = native_document()
    document["claims"][0]["created_at"] = "0001-01-02T00:00:00Z"
    document["claims"][0]["history"][0]["created_at"] = "0001-01-02T03:00:00+03:00"
    document["claims"][0]["history"][1]["created_at"] = "9999-12-30T23:59:59Z"
    document["claims"][0]["published_at"] = "9999-12-30T23:59:59Z"
    claims_import_native(document)

    reviewer = make_user("reviewer", "rev")
    api = token_client(reviewer)
    article = Article.objects.get()
    claim = Claim.objects.get(claimant__name="Мэр")
    for path in ("/api/claims/", f"/api/articles/{article.pk}/annotations/", "/api/export/"):
        assert api.get(path).status_code == 200, path
    client = Client()
    client.force_login(reviewer)
    for path in (f"/review/{claim.pk}/", f"/claims/{claim.pk}/", f"/articles/{article.pk}/"):
        assert client.get(path).status_code == 200, path


def test_import_claims_reports_a_time_out_of_range_without_a_traceback(tmp_path: Path) -> None:
    document = native_document()
    document["claims"][0]["history"][1]["created_at"] = "0001-01-01T00:30:00+01:00"
    path = tmp_path / "native.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was stored"):
        call_command("import_claims", str(path), stderr=err)
    assert err.getvalue().splitlines() == [
        "error: claims[0].history[1].created_at: '0001-01-01T00:30:00+01:00': "
        "Times must fall between 0001-01-02 and 9999-12-30 in UTC."
    ]
    assert not Claim.objects.exists()


# --- Text -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("place", "change"),
    [
        ("verdicts[0].label", lambda d: d["verdicts"][0].update(label="Лo\x00жь")),
        ("verdicts[0].description", lambda d: d["verdicts"][0].update(description="Не\x00т")),
        ("verdicts[0].description", lambda d: d["verdicts"][0].update(description="a\x1b[0m")),
        ("articles[0].language", lambda d: d["articles"][0].update(language="r\x00u")),
        ("articles[0].language", lambda d: d["articles"][0].update(language="r\x85u")),
        ("articles[0].publisher", lambda d: d["articles"][0].update(publisher="Газета\x07!")),
        ("articles[0].title", lambda d: d["articles"][0].update(title="Париж\ud83d")),
        (
            "articles[0].source_url",
            lambda d: d["articles"][0].update(source_url="https://news.example.org/\x00"),
        ),
        ("claims[0].claimant", lambda d: d["claims"][0].update(claimant="Мэр\x01")),
        ("claims[1].claim_text", lambda d: d["claims"][1].update(claim_text="Бюджет\x7f")),
        (
            "claims[0].history[1].comment",
            lambda d: d["claims"][0]["history"][1].update(comment="Проверено\x9c"),
        ),
        (
            "claims[0].sources",
            lambda d: d["claims"][0]["sources"][0].update(title="Обсле\x0bдование"),
        ),
    ],
)
def test_text_the_database_cannot_hold_faithfully_is_refused_at_its_place(
    place: str, change: Any
) -> None:
    document = native_document()
    change(document)
    problems = refusal(document)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{place}: ")
    assert any(word in problems[0] for word in ("NUL", "control character", "surrogate"))


def test_every_problem_of_the_file_is_named_at_once_verdicts_articles_and_claims() -> None:
    document = native_document()
    document["verdicts"][0]["description"] = "\x00"
    second = copy.deepcopy(document["articles"][0])
    second.update(id=8, body="Вторая статья.\n", source_url="", language="e\x1bn")
    document["articles"].append(second)
    document["claims"][1]["claimant"] = "\x02"
    document["claims"][0]["history"][0]["created_at"] = "0001-01-01T00:00:00Z"
    document["claims"][1]["author"] = "ред актор"
    places = [problem.split(": ")[0] for problem in refusal(document)]
    # Checks that need no database come first, then the stores in file order.
    assert places == [
        "claims[0].history[0].created_at",
        "claims[1].author",
    ]
    document["claims"][0]["history"][0]["created_at"] = "2026-02-11T09:30:00Z"
    document["claims"][1]["author"] = "редактор"
    places = [problem.split(": ")[0] for problem in refusal(document)]
    assert places == ["verdicts[0].description", "articles[1].language", "claims[1].claimant"]


# --- People ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("place", "change", "message"),
    [
        (
            "claims[0].author",
            lambda d: d["claims"][0].update(author="ред\x00актор"),
            "Enter a valid username",
        ),
        (
            "claims[0].reviewer",
            lambda d: d["claims"][0].update(reviewer="two words"),
            "Enter a valid username",
        ),
        (
            "claims[0].history[0].actor",
            # 150 characters in the file; NFKC makes each of them three (ffi).
            lambda d: d["claims"][0]["history"][0].update(actor="\ufb03" * 150),
            "at most 150 characters",
        ),
    ],
)
def test_a_user_name_that_cannot_be_an_account_once_normalised_is_refused_at_its_place(
    place: str, change: Any, message: str
) -> None:
    document = native_document()
    change(document)
    problems = refusal(document)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{place}: ")
    assert message in problems[0]


def test_a_user_name_in_compatibility_forms_is_the_account_of_its_normal_form() -> None:
    make_user("editor", "ed")
    document = native_document()
    document["claims"][1]["author"] = "ｅｄ"  # full-width letters
    report = claims_import_native(document)
    assert "ed" not in report.users_created
    assert Claim.objects.get(claim_text="Бюджет удвоился").author.username == "ed"


# --- Article files, one by one --------------------------------------------------------------


def run_import(*paths: Path) -> tuple[str, str, int]:
    out, err = StringIO(), StringIO()
    try:
        call_command("import_articles", *map(str, paths), stdout=out, stderr=err)
        code = 0
    except CommandError:
        code = 1
    return out.getvalue(), err.getvalue(), code


def write_json(path: Path, **fields: Any) -> Path:
    path.write_text(json.dumps(fields, ensure_ascii=True), encoding="utf-8")
    return path


def test_a_batch_goes_on_past_files_whose_metadata_the_database_could_not_hold(tmp_path: Path):
    folder = tmp_path / "batch"
    folder.mkdir()
    write_json(folder / "a-language.json", body="Первый текст.", language="r\u0000u")
    write_json(folder / "b-url.json", body="Second text.", source_url="https://x.example/\u0000")
    write_json(folder / "c-publisher.json", body="Third text.", publisher="Gazette\u001b[1m")
    (folder / "d-body.txt").write_text("Текст с \x07 звонком.\n", encoding="utf-8")
    write_json(folder / "e-good.json", body="Хороший текст 🎉", title="Хороший", language="ru")
    (folder / "f-good.md").write_text("# Заголовок\n\nТекст статьи.\n", encoding="utf-8")

    out, err, code = run_import(folder)

    assert code == 1
    errors = err.splitlines()
    assert [line.split(": ")[1] for line in errors] == [
        str(folder / name) for name in ("a-language.json", "b-url.json", "c-publisher.json")
    ] + [str(folder / "d-body.txt")]
    assert "language: Text must not contain a NUL character" in errors[0]
    assert "source_url: Text must not contain a NUL character" in errors[1]
    assert "publisher: Text must not contain a control character (U+001B)" in errors[2]
    assert "a control character (U+0007) at line 1, column 9" in errors[3]
    assert f"imported: {folder / 'e-good.json'}" in out
    assert f"imported: {folder / 'f-good.md'}" in out
    assert "2 articles imported, 0 already here, 4 files refused" in out
    assert sorted(Article.objects.values_list("title", flat=True)) == ["Заголовок", "Хороший"]


def test_a_markdown_entity_for_a_control_character_is_refused_in_the_body(tmp_path: Path):
    path = tmp_path / "entity.md"
    path.write_text("Текст &#27;[31m красный.\n", encoding="utf-8")
    _, err, code = run_import(path)
    assert code == 1
    assert "body: Text must not contain a control character (U+001B)" in err
    assert not Article.objects.exists()


def test_a_file_name_text_cannot_hold_is_recorded_legibly(tmp_path: Path):
    path = tmp_path / "отчёт\x01.txt"
    path.write_text("Отчёт о бюджете.\n", encoding="utf-8")
    out, err, code = run_import(path)
    assert code == 0, err
    assert Article.objects.get().source_file == "отчёт\ufffd.txt"


def test_changing_an_article_to_a_source_url_already_taken_is_refused_by_field(admin_user: Any):
    taken = services.article_import(
        title="Первая", body="Первый текст.\n", source_url="https://news.example.org/a"
    ).article
    other = services.article_import(title="Вторая", body="Второй текст.\n").article
    with pytest.raises(ValidationError) as raised:
        services.article_update(
            article=other, actor=admin_user, changes={"source_url": taken.source_url}
        )
    assert raised.value.message_dict == {
        "source_url": [f"Article #{taken.pk} was already imported from {taken.source_url}."]
    }
    other.refresh_from_db()
    assert other.source_url == ""


def test_a_number_too_large_for_its_column_is_refused_at_its_place() -> None:
    document = native_document()
    document["claims"][0]["version"] = 2**31
    problems = refusal(document)
    assert len(problems) == 1, problems
    assert problems[0].startswith("claims[0].version: ")
