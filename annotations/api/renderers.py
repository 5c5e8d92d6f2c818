"""The API's JSON, written by orjson, and the negotiation that always chooses it.

The output is the one DRF's JSONRenderer gives (compact, UTF-8, U+2028 and U+2029 escaped)
for everything the API writes: text, integers, booleans, null, lists, objects, dates, times
and datetimes (a zero offset as Z, which annotations.outputs relies on: its datetimes reach
the encoder as objects). Every other type orjson does not know goes through DRF's encoder;
what orjson cannot write at all (integers beyond 64 bits, keys that are not text) is handed
to DRF's renderer, as is a request for indented JSON. Floats are formatted by orjson; no
field of the API is a float.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request

from annotations.encoding import to_json


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
            return super().render(data, accepted_media_type, renderer_context)
        return to_json(data)


class JSONOnlyNegotiation(DefaultContentNegotiation):
    """Every answer of the API is JSON, also for a client that asks for HTML: the data and
    the errors keep one shape however they are requested."""

    def select_renderer(
        self,
        request: Request,
        renderers: Iterable[BaseRenderer],
        format_suffix: str | None = None,
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type
