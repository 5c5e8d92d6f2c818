"""A page that carries its script's data as JSON in a <script type="application/json">
element, like Django's json_script, written by the desk's JSON encoder (annotations.encoding):
the annotation page embeds every claim of the article, read exactly as the API writes them.

The JSON joins the page as UTF-8 bytes once the template is rendered, never as text inside
the template. As a Python str, text holding one character beyond U+FFFF (an emoji) takes four
bytes a character, and the template engine copies the page's text at each block it renders
and again at the end, so a page of a few megabytes would cost a worker tens of megabytes at
its peak, which the worker then keeps. Kept out of the template's context, the data is also
freed as soon as it is encoded: a context refers to itself, and is freed only when Python's
cycle collector next runs.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

from annotations.encoding import script_json_bytes

# Where the template places the data element: `{{ page_data }}`. Text from the context is
# escaped, so no user's text can hold this.
_SLOT = mark_safe("<page-data>")


def json_script_element(value: Any, element_id: str) -> bytes:
    """`value` as JSON in <script id=element_id type="application/json">, as UTF-8."""
    # Safe: script_json_bytes escapes <, > and &, so the JSON holds no markup.
    start = f'<script id="{escape(element_id)}" type="application/json">'.encode()
    return b"".join((start, script_json_bytes(value), b"</script>"))


def render_with_data(
    request: HttpRequest, template_name: str, context: dict[str, Any], element: bytes
) -> HttpResponse:
    """`template_name` rendered with `context`, as django.shortcuts.render does, with
    `element` (json_script_element's) where the template says `{{ page_data }}`."""
    html = render_to_string(template_name, {**context, "page_data": _SLOT}, request)
    head, slot, tail = html.partition(_SLOT)
    if not slot:
        raise ValueError(f"{template_name} has no {{{{ page_data }}}}")
    return HttpResponse([head.encode(), element, tail.encode()])
