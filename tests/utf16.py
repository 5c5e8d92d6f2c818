"""UTF-16 offsets (as a browser counts) against code-point indices (as the desk stores them):
the reference the page's own conversions (annotations/static/annotations/offsets.js) are
checked against."""

from __future__ import annotations


def utf16_offset_to_index(text: str, offset: int) -> int:
    """The str index at a UTF-16 code-unit offset; ValueError for an offset inside a
    surrogate pair or past the end."""
    units = 0
    for index, char in enumerate(text):
        if units == offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
        if units > offset:
            raise ValueError(f"offset {offset} splits a character in two")
    if units == offset:
        return len(text)
    raise ValueError(f"offset {offset} is past the end of the text")


def index_to_utf16_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2
