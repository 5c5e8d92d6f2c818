"""Query parameters as the desk reads them: each takes one value. A repeat
(`?status=draft&status=approved`) is refused, by the API and the pages alike, rather than
answered with one of its values: that would answer another question than the one asked."""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

REPEATED = _("Given more than once: send it once (one value).")


def repeated(query: QueryDict) -> list[str]:
    """The names of the parameters given more than once, sorted."""
    return sorted(name for name, values in query.lists() if len(values) > 1)


def refuse_repeats(query: QueryDict) -> None:
    """BadRequest (a 400 page) naming every parameter given more than once."""
    names = repeated(query)
    if names:
        raise BadRequest(f"{', '.join(names)}: {REPEATED}")
