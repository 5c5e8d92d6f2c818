"""The annotation page's embedded data (annotations/templatetags/page_data.py) must read as
Django's json_script wrote it, and must not be able to close its script element."""

from __future__ import annotations

import json
import re

from django.utils.html import json_script

from annotations.templatetags.page_data import page_json_script

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
    ours = body(page_json_script(HOSTILE, "page-data"))
    django = body(json_script(HOSTILE, "page-data"))
    assert json.loads(ours) == json.loads(django) == HOSTILE


def test_markup_characters_are_escaped():
    ours = body(page_json_script(HOSTILE, "page-data"))
    assert "<" not in ours and ">" not in ours and "&" not in ours
    assert "\\u003C/script\\u003E" in ours


def test_the_element_id_is_escaped():
    html = page_json_script({}, '"><img src=x>')
    assert html.startswith('<script id="&quot;&gt;&lt;img src=x&gt;" type="application/json">')
