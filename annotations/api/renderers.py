"""JSON rendered by orjson: the API's answers with hundreds of claims spent more time in the
standard library's encoder than in the database.

The output is the one DRF's JSONRenderer gives (compact, UTF-8, U+2028 and U+2029 escaped);
values orjson does not write natively, and datetimes, go through DRF's encoder, so they are
written exactly as before. A request for indented JSON is served by DRF's renderer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS
_LINE_SEPARATOR = "\u2028".encode()
_PARAGRAPH_SEPARATOR = "\u2029".encode()


def to_json(value: Any) -> bytes:
    """`value` as compact JSON, as DRF's renderer writes it."""
    out = orjson.dumps(value, default=JSONEncoder().default, option=_OPTIONS)
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
