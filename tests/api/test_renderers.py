"""The API's JSON is encoded by orjson (annotations/api/renderers.py) but must read exactly
as DRF's own renderer wrote it."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ErrorDetail
from rest_framework.renderers import JSONRenderer

from annotations.api.renderers import FastJSONRenderer, to_json
from annotations.workflow import Status

VALUES = {
    "utc": datetime(2026, 11, 27, 4, 12, 0, 123456, tzinfo=UTC),
    "utc_whole_second": datetime(2026, 11, 27, 4, 12, tzinfo=UTC),
    "offset": datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=5, minutes=30))),
    "naive": datetime(2026, 1, 2, 3, 4, 5),
    "zoneinfo_utc": datetime(2026, 5, 1, 8, 0, 0, 10, tzinfo=ZoneInfo("UTC")),
    "zero_offset_not_utc": datetime(2026, 1, 15, 9, 30, tzinfo=ZoneInfo("Europe/London")),
    "summer_time": datetime(2026, 7, 15, 9, 30, 0, 5, tzinfo=ZoneInfo("Europe/Paris")),
    "negative_offset": datetime(2026, 7, 15, 9, 30, tzinfo=ZoneInfo("America/St_Johns")),
    "before_1970": datetime(1969, 7, 20, 20, 17, 40, tzinfo=UTC),
    "date": date(2026, 2, 28),
    "time": time(13, 45, 1, 500),
    "duration": timedelta(days=1, seconds=5),
    "decimal": Decimal("4.50"),
    "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "lazy": gettext_lazy("This field is required."),
    "error": ErrorDetail("Bad value.", code="invalid"),
    "status": Status.APPROVED,
    "text": 'Ünïcode, emoji 🇺🇦, quotes " and </script>, separators \u2028 \u2029',
    "nested": {"list": [1, 2.5, None, True], "tuple": (1, "two")},
    "int_keys": {1: "one", 2: "two"},
    "huge_int": 2**70,
    "empty": [],
}


@pytest.mark.parametrize("key", sorted(VALUES))
def test_each_value_is_written_as_drf_writes_it(key):
    value = {key: VALUES[key]}
    assert to_json(value) == JSONRenderer().render(value)


def test_a_whole_document_is_byte_for_byte_the_same():
    assert to_json(VALUES) == JSONRenderer().render(VALUES)


def test_line_and_paragraph_separators_are_escaped():
    out = to_json({"text": "a\u2028b\u2029c"})
    assert out == b'{"text":"a\\u2028b\\u2029c"}'
    assert json.loads(out) == {"text": "a\u2028b\u2029c"}


def test_none_renders_an_empty_body():
    assert FastJSONRenderer().render(None) == b""


def test_indented_json_is_still_served_when_asked_for():
    out = FastJSONRenderer().render({"a": [1]}, "application/json; indent=2", {})
    assert out == b'{\n  "a": [\n    1\n  ]\n}'


@pytest.mark.parametrize(
    "value", [{"value": object()}, {date(2026, 1, 2): "a date as a key"}], ids=["type", "key"]
)
def test_what_drf_refuses_is_refused(value):
    with pytest.raises(TypeError):
        JSONRenderer().render(value)
    with pytest.raises(TypeError):
        to_json(value)


@pytest.mark.django_db
def test_the_api_answers_with_it(api, editor):  # type: ignore[no-untyped-def]
    response = api(editor).get("/api/verdicts/")
    assert response.status_code == 200
    assert isinstance(response.accepted_renderer, FastJSONRenderer)
    # The answer's data is let go once rendered (factcheck.middleware): DRF's renderer is
    # given the same document, read back from the bytes sent.
    assert response.content == JSONRenderer().render(json.loads(response.content))
