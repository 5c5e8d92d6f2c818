"""One rule for stored text and one for stored times, on every field of every model, and
held on every way in: the services, the API and the admin.

Refused: NUL, the other control characters (Unicode category Cc) but tab, line feed and
carriage return, and unpaired surrogates. Everything else is text, in any script: the
accepted rows (Cyrillic, Arabic with its direction marks, emoji sequences) keep the rule
from passing by refusing too much.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.test import Client

from annotations import services
from annotations.models import Article, Claim, Verdict
from annotations.validators import validate_clean_text, validate_moment
from tests.api.conftest import error_of, token_client
from tests.factories import ARTICLE_BODY, ArticleFactory

HONEST_TEXT = [
    "Москва и Париж восстановили контакты",
    "Ёлка, щётка и «кавычки» — тире",
    "Fans cheered 🎉 at the stadium",
    "👩🏽‍🔬 and 🇫🇷🇷🇺 and 👨‍👩‍👧‍👦",
    "قال الوزير \u200fإن الميزانية تضاعفت",
    "मंत्री ने कहा कि बजट दोगुना हो गया",
    "财政预算翻了一番",
    "Tabs\tand\nnew lines\r\nand\rreturns",
    "no\u00a0break, soft\u00adhyphen, zero\u200bwidth, \ufeffmark, line\u2028separator",
    "",
]

CONTROL_CHARACTERS = "\x01\x07\x08\x0b\x0c\x0e\x1b\x1f\x7f\x80\x85\x9f"
# Written as code points: the lone halves of pairs cannot be spelled as text.
SURROGATES = [chr(0xD800), chr(0xD83D), chr(0xDFFF)]
REFUSED = [
    ("\x00", "nul_character"),
    *((character, "control_character") for character in CONTROL_CHARACTERS),
    *((character, "surrogate") for character in SURROGATES),
]


@pytest.mark.parametrize("text", HONEST_TEXT)
def test_text_in_any_script_with_tabs_and_line_breaks_is_accepted(text: str) -> None:
    validate_clean_text(text)


@pytest.mark.parametrize(("character", "code"), REFUSED)
def test_nul_control_characters_and_unpaired_surrogates_are_refused(
    character: str, code: str
) -> None:
    text = f"Бюджет 🎉{character} утверждён"
    with pytest.raises(ValidationError) as raised:
        validate_clean_text(text)
    assert raised.value.code == code
    message = raised.value.messages[0]
    # The position counts characters from 1, as a reader would; the emoji is one.
    assert message.endswith("found at character 9.")
    if character != "\x00":
        assert f"U+{ord(character):04X}" in message


def text_fields() -> list[models.Field[Any, Any]]:
    return [
        field
        for model in apps.get_app_config("annotations").get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField | models.TextField)
    ]


def time_fields() -> list[models.Field[Any, Any]]:
    return [
        field
        for model in apps.get_app_config("annotations").get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.DateTimeField)
    ]


def test_every_text_field_of_every_model_refuses_what_cannot_be_stored() -> None:
    fields = text_fields()
    assert len(fields) > 20
    missing = [str(f) for f in fields if validate_clean_text not in f.validators]
    assert not missing, f"text fields without validate_clean_text: {missing}"
    for field in fields:
        with pytest.raises(ValidationError):
            field.run_validators("ok\x1bnot ok")


def test_every_time_field_of_every_model_refuses_times_out_of_range() -> None:
    fields = time_fields()
    assert len(fields) >= 7
    missing = [str(f) for f in fields if validate_moment not in f.validators]
    assert not missing, f"time fields without validate_moment: {missing}"


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(1, 1, 2, tzinfo=dt.UTC),
        dt.datetime(1, 1, 2, 1, 0, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        dt.datetime(2026, 3, 4, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
        dt.datetime(9999, 12, 30, 23, 59, 59, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 4, 9, 0),
    ],
)
def test_times_that_exist_in_every_time_zone_are_accepted(moment: dt.datetime) -> None:
    validate_moment(moment)


@pytest.mark.parametrize(
    "moment",
    [
        # Before year 1 once in UTC: PostgreSQL stores it, Python cannot read it back.
        dt.datetime.fromisoformat("0001-01-01T00:30:00+01:00"),
        dt.datetime(1, 1, 1, 12, 0, tzinfo=dt.UTC),
        dt.datetime.fromisoformat("9999-12-31T23:30:00-01:00"),
        dt.datetime(9999, 12, 31, 1, 0, tzinfo=dt.UTC),
        dt.datetime(1, 1, 1, 0, 0),
    ],
)
def test_times_at_the_very_edge_of_the_calendar_are_refused(moment: dt.datetime) -> None:
    with pytest.raises(ValidationError) as raised:
        validate_moment(moment)
    assert raised.value.code == "out_of_range"
    assert "between 0001-01-02 and 9999-12-30 in UTC" in raised.value.messages[0]


# --- Every way in ---------------------------------------------------------------------------

ARTICLE_FIELDS = ("title", "source_url", "publisher", "byline", "language")


def article_values(**changes: str) -> dict[str, Any]:
    values = {
        "title": "Бюджет утверждён 🎉",
        "body": "Городской совет утвердил бюджет.\n",
        "source_url": "https://news.example.org/ru/budget",
        "publisher": "Городская газета",
        "byline": "А. Репортёр",
        "language": "ru",
    }
    values.update(changes)
    return values


@pytest.mark.django_db
@pytest.mark.parametrize("field", ARTICLE_FIELDS)
@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x85"])
def test_the_import_service_refuses_unclean_metadata_naming_the_field(
    field: str, character: str
) -> None:
    value = article_values()[field]
    bad = value[:1] + character + value[1:]
    with pytest.raises(ValidationError) as raised:
        services.article_import(**article_values(**{field: bad}))
    assert field in raised.value.message_dict
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_the_import_service_stores_cyrillic_and_emoji_metadata_as_given() -> None:
    outcome = services.article_import(**article_values())
    assert outcome.created
    stored = Article.objects.get()
    for name, value in article_values().items():
        assert getattr(stored, name) == value


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["label", "description"])
def test_a_verdict_with_a_control_character_is_refused_naming_the_field(field: str) -> None:
    values = {"label": "Ложь", "slug": "lozh", "description": "Не соответствует фактам 🙅"}
    values[field] = values[field] + "\x07"
    with pytest.raises(ValidationError) as raised:
        services.verdict_save(verdict=Verdict(**values), actor=None)
    assert list(raised.value.message_dict) == [field]
    assert not Verdict.objects.filter(slug="lozh").exists()


@pytest.mark.django_db
def test_a_claim_time_out_of_range_is_refused_by_full_clean(article: Article, editor: Any) -> None:
    quote = "The city council"
    start = article.body.index(quote)
    claim = Claim(
        article=article,
        author=editor,
        start=start,
        end=start + len(quote),
        quote=quote,
        claim_text="Совет утвердил бюджет",
        created_at=dt.datetime.fromisoformat("0001-01-01T00:30:00+01:00"),
    )
    with pytest.raises(ValidationError) as raised:
        claim.full_clean(exclude=["article", "author", "verdict", "reviewer"])
    assert list(raised.value.message_dict) == ["created_at"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("language", "en\x1b[31m"),
        ("publisher", "Gazette\x00"),
        ("source_url", "https://news.example.org/a\x07b"),
        ("byline", "A.\x9bReporter"),
    ],
)
def test_the_api_answers_400_naming_a_metadata_field_with_a_control_character(
    admin_user: Any, field: str, value: str
) -> None:
    answer = token_client(admin_user).post("/api/articles/", article_values(**{field: value}))
    assert answer.status_code == 400, answer.content
    assert field in error_of(answer)["fields"]
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_the_api_imports_cyrillic_and_emoji_metadata(admin_user: Any) -> None:
    answer = token_client(admin_user).post("/api/articles/", article_values())
    assert answer.status_code == 201, answer.content
    assert answer.json()["title"] == "Бюджет утверждён 🎉"


@pytest.mark.django_db
def test_the_api_refuses_a_claim_whose_claimant_holds_a_control_character(editor: Any) -> None:
    article = ArticleFactory(body=ARTICLE_BODY)
    start = article.body.index("The mayor")
    answer = token_client(editor).post(
        "/api/claims/",
        {"article": article.pk, "start": start, "end": start + 9, "claimant": "Мэр\x08"},
    )
    assert answer.status_code == 400, answer.content
    assert "claimant" in error_of(answer)["fields"]
    assert not Claim.objects.exists()


def admin_post(user: Any, path: str, data: dict[str, Any]) -> tuple[int, str]:
    client = Client()
    client.force_login(user)
    answer = client.post(path, data)
    return answer.status_code, html.unescape(answer.content.decode())


@pytest.mark.django_db
def test_the_admin_refuses_an_article_language_with_an_escape_sequence(admin_user: Any) -> None:
    article = ArticleFactory(language="en")
    status, page = admin_post(
        admin_user,
        f"/admin/annotations/article/{article.pk}/change/",
        {
            "title": article.title,
            "source_url": article.source_url,
            "publisher": "",
            "byline": "",
            "language": "en\x1b[31m",
        },
    )
    assert status == 200  # the form again, with its errors
    assert "control character (U+001B)" in page
    article.refresh_from_db()
    assert article.language == "en"


@pytest.mark.django_db
def test_the_admin_refuses_a_verdict_description_with_a_control_character(
    admin_user: Any,
) -> None:
    scale = Verdict.objects.get(slug="false")
    status, page = admin_post(
        admin_user,
        f"/admin/annotations/verdict/{scale.pk}/change/",
        {
            "label": scale.label,
            "slug": scale.slug,
            "rating": scale.rating,
            "description": "Не\x07верно",
            "colour": scale.colour,
            "order": scale.order,
        },
    )
    assert status == 200
    assert "control character (U+0007)" in page
    assert Verdict.objects.get(pk=scale.pk).description == scale.description
