"""Field validators shared by the models, the import and the API."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

_http_url = URLValidator(schemes=["http", "https"])
_colour = re.compile(r"^#[0-9a-fA-F]{6}$")
_surrogate = re.compile("[\ud800-\udfff]")


def validate_http_url(value: str) -> None:
    """Only plain http(s) URLs, written exactly: no leading space, no `javascript:` tricks."""
    if value != value.strip():
        raise ValidationError("URL must not start or end with white space.", code="invalid_url")
    scheme = value.split(":", 1)[0]
    if scheme not in ("http", "https"):
        raise ValidationError("Only http:// and https:// URLs are accepted.", code="invalid_url")
    _http_url(value)


def validate_clean_text(value: str) -> None:
    """Refuse text that cannot be stored or shown faithfully (NUL, unpaired surrogates)."""
    if "\x00" in value:
        raise ValidationError("Text must not contain NUL characters.", code="nul_character")
    if _surrogate.search(value):
        raise ValidationError("Text contains an unpaired surrogate.", code="surrogate")


def validate_colour(value: str) -> None:
    if not _colour.match(value):
        raise ValidationError("Colour must be written as #RRGGBB.", code="invalid_colour")
