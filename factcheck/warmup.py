"""What a worker would otherwise load at its first requests, loaded once before the fork.

Django loads a few things lazily: the URLconf (and with it every view module, DRF,
drf-spectacular and the admin's URLs) at the first request, a language's translation
catalogue the first time a request is answered in it, a template the first time it is
rendered. Under gunicorn's --preload each worker would load them again after the fork, into
memory of its own. Loaded in the master before factcheck/wsgi.py freezes the heap, they are
shared copy-on-write by every worker, as the rest of the application is.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template import engines
from django.urls import get_resolver, reverse
from django.utils import translation


def warm_up() -> None:
    """Load the URLconf, every language's translation catalogue and the project's templates.
    Touches neither the database nor the network: with --preload, a connection opened here
    would be shared by every worker."""
    get_resolver().url_patterns  # noqa: B018 -- the import of the URLconf is the point
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            # Also builds the resolver's table of names for the language (reverse()).
            reverse("healthz")
    backend = engines["django"]
    # The project's own folders (TEMPLATES' DIRS): the pages factcheck renders. Django's and
    # the libraries' templates (the admin's, DRF's) are left to be loaded when used, by the
    # few workers that serve them.
    for folder in map(Path, backend.dirs):
        for path in sorted(path for path in folder.rglob("*") if path.is_file()):
            backend.get_template(path.relative_to(folder).as_posix())
