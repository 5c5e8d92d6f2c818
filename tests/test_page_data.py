"""The annotation page's embedded data (annotations/page_data.py) must read as Django's
json_script wrote it, must not be able to close its script element, and must stand where the
template places it."""

from __future__ import annotations

import json
import re

import pytest
from django.test import RequestFactory
from django.utils.html import json_script

from annotations.page_data import json_script_element, render_with_data

HOSTILE = {
    "claims": [
        {"quote": "</script><script>alert(1)</script>", "claimant": "A & B <c>"},
        {"quote": "Ünïcode 🇺🇦 \u2028", "start": 3, "sources": []},
    ],
    "can_create": True,
    "rating": None,
}


def body(html: str) -> str:
    match = re.fullmatch(r'<script id="page-data" type="application/json">(.*)</script>', html)
    assert match, html
    return match.group(1)


def test_same_data_as_json_script():
    ours = body(json_script_element(HOSTILE, "page-data").decode())
    django = body(json_script(HOSTILE, "page-data"))
    assert json.loads(ours) == json.loads(django) == HOSTILE


def test_markup_characters_are_escaped():
    ours = body(json_script_element(HOSTILE, "page-data").decode())
    assert "<" not in ours and ">" not in ours and "&" not in ours
    assert "\\u003C/script\\u003E" in ours


def test_the_element_id_is_escaped():
    html = json_script_element({}, '"><img src=x>').decode()
    assert html.startswith('<script id="&quot;&gt;&lt;img src=x&gt;" type="application/json">')


@pytest.mark.django_db
def test_the_element_stands_where_the_template_places_it(settings, tmp_path):
    """The page is the template's text with the element in place of {{ page_data }}, and
    text from the context that looks like the slot is escaped, not filled."""
    (tmp_path / "page.html").write_text("<p>{{ title }}</p>{{ page_data }}<p>é 🇺🇦</p>")
    settings.TEMPLATES = [
        {"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [tmp_path]}
    ]
    element = json_script_element(HOSTILE, "page-data")
    request = RequestFactory().get("/")
    answer = render_with_data(request, "page.html", {"title": "<page-data>"}, element)
    assert answer["Content-Type"] == "text/html; charset=utf-8"
    assert answer.content == (b"<p>&lt;page-data&gt;</p>" + element + "<p>é 🇺🇦</p>".encode())
