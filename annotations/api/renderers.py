"""JSON rendered by orjson: the API's answers with hundreds of claims spent more time in the
standard library's encoder than in the database.

The output is the one DRF's JSONRenderer gives (compact, UTF-8, U+2028 and U+2029 escaped)
for everything the API writes: text, integers, booleans, null, lists, objects, dates, times
and datetimes (orjson writes these as DRF's encoder does, a zero offset as Z, which
claim_rows relies on: formatting 2,000 datetimes in Python took longer than the rest of an
article's claims); every other type orjson does not know goes through DRF's encoder. What
orjson does not write (integers beyond 64 bits, keys that are not text) is handed to DRF's
renderer, as is a request for indented JSON. Two differences remain, outside what the API
writes: floats are formatted by orjson (1e-7, not 1e-07), and NaN becomes null where DRF
refuses it; no field of the API is a float.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_OPTIONS = orjson.OPT_UTC_Z
_LINE_SEPARATOR = "\u2028".encode()
_PARAGRAPH_SEPARATOR = "\u2029".encode()


def to_json(value: Any) -> bytes:
    """`value` as compact JSON, as DRF's renderer writes it."""
    try:
        out = orjson.dumps(value, default=JSONEncoder().default, option=_OPTIONS)
    except orjson.JSONEncodeError:
        # DRF's renderer writes what orjson cannot, or raises the same TypeError.
        return JSONRenderer().render(value)  # type: ignore[no-any-return]
    # Kept from DRF: with them escaped, the JSON is also valid JavaScript in older engines.
    if _LINE_SEPARATOR in out or _PARAGRAPH_SEPARATOR in out:
        out = out.replace(_LINE_SEPARATOR, b"\\u2028").replace(_PARAGRAPH_SEPARATOR, b"\\u2029")
    return out


class FastJSONRenderer(JSONRenderer):
    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if data is None:
            return b""
        if self.get_indent(accepted_media_type or "", renderer_context or {}) is not None:
            return super().render(data, accepted_media_type, renderer_context)  # type: ignore[no-any-return]
        return to_json(data)
