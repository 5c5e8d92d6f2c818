"""Field validators shared by the models, the import and the API."""

from __future__ import annotations

import re
import zoneinfo
from datetime import UTC, datetime
from functools import cache

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _

_http_url = URLValidator(schemes=["http", "https"])
_colour = re.compile(r"^#[0-9a-fA-F]{6}$")

# What no stored text may hold. The control characters (Unicode category Cc: U+0000-U+001F
# and U+007F-U+009F) except tab, line feed and carriage return: PostgreSQL cannot store NUL
# at all, and the others are invisible on a page yet change what a quote or a search
# matches, and the HTML and XML tools the import uses refuse or mangle them. Surrogates
# (U+D800-U+DFFF) are halves of UTF-16 pairs, not characters: UTF-8 cannot encode them.
# Everything else is text, whatever its script: letters, emoji, joiners, marks.
_unclean = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

# Times are stored in UTC and shown in the desk's time zone; a day inside Python's range at
# each end leaves room for any UTC offset, so every stored time can be shown anywhere.
EARLIEST_MOMENT = datetime(1, 1, 2, tzinfo=UTC)
LATEST_MOMENT = datetime(9999, 12, 30, 23, 59, 59, 999999, tzinfo=UTC)


def validate_http_url(value: str) -> None:
    """Only plain http(s) URLs, written exactly: no leading space, no `javascript:` tricks."""
    if value != value.strip():
        raise ValidationError(_("URL must not start or end with white space."), code="invalid_url")
    scheme = value.split(":", 1)[0]
    if scheme not in ("http", "https"):
        raise ValidationError(_("Only http:// and https:// URLs are accepted."), code="invalid_url")
    _http_url(value)


def find_unclean(value: str) -> int | None:
    """The index of the first character validate_clean_text refuses, or None."""
    match = _unclean.search(value)
    return None if match is None else match.start()


def describe_unclean(character: str) -> str:
    """What is wrong with one character validate_clean_text refuses, for messages."""
    return _unclean_kind(character)[1]


def _unclean_kind(character: str) -> tuple[str, str]:
    if character == "\x00":
        return "nul_character", _("a NUL character")
    if "\ud800" <= character <= "\udfff":
        return "surrogate", _("an unpaired surrogate (U+%(code)04X)") % {"code": ord(character)}
    return "control_character", _("a control character (U+%(code)04X)") % {"code": ord(character)}


def validate_clean_text(value: str) -> None:
    """Refuse text that cannot be stored or shown faithfully: NUL, other control characters
    but tab and line breaks, unpaired surrogates. Every text field of every model has it."""
    index = find_unclean(value)
    if index is None:
        return
    code, what = _unclean_kind(value[index])
    raise ValidationError(
        _("Text must not contain %(what)s; found at character %(position)d."),
        code=code,
        params={"what": what, "position": index + 1},
    )


def replace_unclean(value: str) -> str:
    """`value` with each character validate_clean_text refuses replaced by U+FFFD, for text
    that is a record of something (a file's name) rather than what someone wrote."""
    return _unclean.sub("\ufffd", value)


def validate_moment(value: datetime) -> None:
    """Refuse a time that, in UTC, falls outside EARLIEST_MOMENT..LATEST_MOMENT: it would be
    stored (PostgreSQL reaches further back than Python) and then fail every page reading it."""
    try:
        aware = timezone.make_aware(value) if timezone.is_naive(value) else value
        utc = aware.astimezone(UTC)
    except (OverflowError, ValueError):
        utc = None
    if utc is None or not EARLIEST_MOMENT <= utc <= LATEST_MOMENT:
        raise ValidationError(
            _("Times must fall between %(earliest)s and %(latest)s in UTC."),
            code="out_of_range",
            params={
                "earliest": EARLIEST_MOMENT.date().isoformat(),
                "latest": LATEST_MOMENT.date().isoformat(),
            },
        )


def validate_colour(value: str) -> None:
    if not _colour.match(value):
        raise ValidationError(_("Colour must be written as #RRGGBB."), code="invalid_colour")


# WCAG 2.x AA for text of normal size: a verdict's badge is small white text on its colour.
AA_CONTRAST = 4.5
VERDICT_TEXT_COLOUR = "#ffffff"


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of a #RRGGBB colour, from 0 (black) to 1 (white)."""
    channels = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.x contrast ratio of two #RRGGBB colours, from 1 to 21."""
    darker, lighter = sorted((relative_luminance(first), relative_luminance(second)))
    return (lighter + 0.05) / (darker + 0.05)


def validate_verdict_colour(value: str) -> None:
    """A verdict's colour: #RRGGBB, dark enough for the white text of its badge to reach WCAG
    AA. The model field carries it, so the admin, the API and imports all ask this rule."""
    validate_colour(value)
    ratio = contrast_ratio(value, VERDICT_TEXT_COLOUR)
    if ratio < AA_CONTRAST:
        raise ValidationError(
            _(
                "%(colour)s is too light for the white text of a verdict badge: its contrast "
                "is %(ratio)s:1 and WCAG AA asks for at least %(needed)s:1. Choose a darker "
                "colour."
            ),
            code="low_contrast",
            params={"colour": value, "ratio": f"{ratio:.2f}", "needed": f"{AA_CONTRAST:g}"},
        )


@cache
def time_zone_names() -> frozenset[str]:
    """The IANA zone names this machine knows, as `zoneinfo` reads them."""
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    """An IANA time zone name this machine knows, such as Europe/Paris; empty is allowed (the
    field's blank says whether it may be)."""
    if value and value not in time_zone_names():
        raise ValidationError(
            _("%(value)s is not a time zone: use a name such as Europe/Paris or UTC."),
            code="invalid_time_zone",
            params={"value": value},
        )
