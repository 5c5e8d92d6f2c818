"""The page's ES modules survive the production static storage: hashed names everywhere."""

from __future__ import annotations

import re
from pathlib import Path

from django.contrib.staticfiles import finders

from factcheck.storage import StaticStorage

MODULES = "annotations"


def test_hashed_modules_import_the_hashed_modules_of_the_same_release(tmp_path: Path) -> None:
    storage = StaticStorage(location=str(tmp_path), base_url="/static/")
    names = sorted(
        f"{MODULES}/{path.name}"
        for path in Path(finders.find(f"{MODULES}/article-page.js")).parent.glob("*.js")
    )
    for name in names:
        with open(finders.find(name), "rb") as source:
            storage.save(name, source)
    for _original, _processed, error in storage.post_process(
        {name: (storage, name) for name in names}
    ):
        assert not isinstance(error, Exception), error

    entry = (tmp_path / storage.stored_name(f"{MODULES}/article-page.js")).read_text()
    imported = re.findall(r'from "([^"]+)"', entry)
    assert len(imported) >= 5
    for target in imported:
        assert re.fullmatch(r"\./[a-z-]+\.[0-9a-f]{12}\.js", target), target
