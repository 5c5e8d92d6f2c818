"""JSON request bodies, parsed strictly: a clear 400 for what Python's json would choke on."""

from __future__ import annotations

import json
import re
from typing import IO, Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# Deeper than any claim or article needs; deep enough nesting would exhaust the recursion limit.
MAX_DEPTH = 20
_SURROGATE = re.compile("[\ud800-\udfff]")


class StrictJSONParser(JSONParser):
    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Any = None
    ) -> Any:
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ParseError(f"The body is not UTF-8 (byte {error.start}).") from None
        _check_depth(text)
        try:
            data = json.loads(text, parse_constant=_refuse_constant)
        except ValueError as error:
            raise ParseError(f"Malformed JSON: {error}") from None
        except RecursionError:
            raise ParseError(f"JSON nested deeper than {MAX_DEPTH} levels.") from None
        _check_no_lone_surrogates(data)
        return data


def _check_no_lone_surrogates(data: Any) -> None:
    """json accepts escapes like \\ud800 that are no character at all; no database can store
    or even compare them (PostgreSQL lookups crash), so they stop here, named by where they are."""
    where = _surrogate_at(data, "")
    if where is not None:
        place = f" in {where}" if where else ""
        raise ParseError(f"The body contains an unpaired surrogate (\\ud800-\\udfff){place}.")


def _surrogate_at(data: Any, path: str) -> str | None:
    """The path (`sources[0].title`) of the first string holding an unpaired surrogate."""
    if isinstance(data, str):
        return path if _SURROGATE.search(data) else None
    if isinstance(data, dict):
        for key, value in data.items():
            name = f"{path}.{key}" if path else str(key)
            if _SURROGATE.search(key):
                return name
            found = _surrogate_at(value, name)
            if found is not None:
                return found
    if isinstance(data, list):
        for index, value in enumerate(data):
            found = _surrogate_at(value, f"{path}[{index}]")
            if found is not None:
                return found
    return None


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


def _check_depth(text: str) -> None:
    """Refuse deep nesting before parsing, counting brackets outside strings."""
    depth = 0
    in_string = False
    escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise ParseError(f"JSON nested deeper than {MAX_DEPTH} levels.")
        elif char in "]}":
            depth -= 1
