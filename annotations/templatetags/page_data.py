"""`json_script` written by the desk's JSON encoder (annotations.encoding): the annotation
page embeds every claim of the article, read exactly as the API writes them."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from annotations.encoding import script_json

register = template.Library()


@register.filter
def page_json_script(value: Any, element_id: str) -> SafeString:
    """`value` as JSON in <script id=element_id type="application/json">, like json_script."""
    # Safe: script_json escapes <, > and &, so the JSON holds no markup.
    safe_json = mark_safe(script_json(value))  # noqa: S308
    return format_html('<script id="{}" type="application/json">{}</script>', element_id, safe_json)
