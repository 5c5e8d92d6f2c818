"""The API's only parser: JSON, refusing what Python's decoder accepts but nothing downstream
can handle, so such bodies are a 400 rather than a crash deeper in."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import IO, Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class StrictJSONParser(JSONParser):
    """JSON without unpaired surrogates (which no database can store or compare) and without
    nesting so deep that decoding it exhausts the stack."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the body is nested too deeply.") from None
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ParseError(
                "JSON parse error - the body contains an unpaired surrogate (\\ud800-\\udfff)."
            ) from None
        return data
