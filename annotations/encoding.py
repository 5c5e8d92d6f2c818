"""JSON as the desk writes it everywhere: the API's answers, the annotation page's embedded
data and the public page's JSON-LD. orjson writes it; what orjson does not know goes through
DRF's encoder, so every value the API can write is written the same way in each place."""

from __future__ import annotations

from typing import Any

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_OPTIONS = orjson.OPT_UTC_Z
_LINE_SEPARATOR = "\u2028".encode()
_PARAGRAPH_SEPARATOR = "\u2029".encode()
# Inside <script>, only these could end the element or open a comment. Escaped as JSON \u
# sequences they mean the same to a JSON reader and nothing to the HTML parser. Replaced in
# the encoded bytes: every one is a single ASCII byte there, whatever text surrounds it.
_SCRIPT_ESCAPES = ((b"<", b"\\u003C"), (b">", b"\\u003E"), (b"&", b"\\u0026"))


def to_json(value: Any) -> bytes:
    """`value` as compact UTF-8 JSON, as DRF's JSON renderer writes it."""
    try:
        out = orjson.dumps(value, default=JSONEncoder().default, option=_OPTIONS)
    except orjson.JSONEncodeError:
        # DRF's renderer writes what orjson cannot, or raises the same TypeError.
        rendered: bytes = JSONRenderer().render(value)
        return rendered
    # Kept from DRF: with them escaped, the JSON is also valid JavaScript in older engines.
    if _LINE_SEPARATOR in out or _PARAGRAPH_SEPARATOR in out:
        out = out.replace(_LINE_SEPARATOR, b"\\u2028").replace(_PARAGRAPH_SEPARATOR, b"\\u2029")
    return out


def script_json(value: Any) -> str:
    """`value` as JSON that can stand inside a <script> element: no <, > or & in it."""
    return script_json_bytes(value).decode()


def script_json_bytes(value: Any) -> bytes:
    """script_json's JSON, encoded as UTF-8."""
    out = to_json(value)
    for character, escape in _SCRIPT_ESCAPES:
        out = out.replace(character, escape)
    return out
