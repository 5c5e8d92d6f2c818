"""The annotation page's embedded data (annotations.views.articles.page_with_data) must read as
Django's json_script wrote it, and must not be able to close its script element."""

from __future__ import annotations

import json
import re

from django.utils.html import json_script

from annotations.views.articles import PAGE_DATA_ELEMENT, page_with_data

HOSTILE = {
    "claims": [
        {"quote": "</script><script>alert(1)</script>", "claimant": "A & B <c>"},
        {"quote": "Ünïcode 🇺🇦 \u2028", "start": 3, "sources": []},
    ],
    "can_create": True,
    "rating": None,
}
# A page as the template writes it: its text before and after the empty element.
PAGE = f"<p>Ünïcode 🇺🇦 &lt;b&gt;</p>{PAGE_DATA_ELEMENT}</script><p>after</p>"


def body(html: str) -> str:
    match = re.search(r'<script id="page-data" type="application/json">(.*)</script>', html)
    assert match, html
    return match.group(1)


def test_same_data_as_json_script():
    ours = body(page_with_data(PAGE, HOSTILE).content.decode())
    django = body(json_script(HOSTILE, "page-data"))
    assert json.loads(ours) == json.loads(django) == HOSTILE


def test_markup_characters_are_escaped():
    ours = body(page_with_data(PAGE, HOSTILE).content.decode())
    assert "<" not in ours and ">" not in ours and "&" not in ours
    assert "\\u003C/script\\u003E" in ours


def test_the_page_around_the_data_is_kept():
    page = page_with_data(PAGE, {"can_create": True}).content.decode()
    assert page == (
        f'<p>Ünïcode 🇺🇦 &lt;b&gt;</p>{PAGE_DATA_ELEMENT}{{"can_create":true}}</script><p>after</p>'
    )
