"""`json_script` written by the desk's JSON encoder (annotations.encoding): the annotation
page embeds every claim of the article, read exactly as the API writes them."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from annotations.encoding import script_json

register = template.Library()


@register.filter
def page_json_script(value: Any, element_id: str) -> SafeString:
    """`value` as JSON in <script id=element_id type="application/json">, like json_script."""
    # Safe: script_json escapes <, > and &, so the JSON holds no markup. Written with one
    # f-string rather than format_html: the JSON is the page's biggest string, and each
    # SafeString made of it is one more copy.
    json = script_json(value)
    return mark_safe(f'<script id="{escape(element_id)}" type="application/json">{json}</script>')  # noqa: S308
