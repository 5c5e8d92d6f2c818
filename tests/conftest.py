from __future__ import annotations

import pytest

from annotations.roles import Role
from tests.factories import ArticleFactory, make_user


@pytest.fixture
def editor(db):  # type: ignore[no-untyped-def]
    return make_user(Role.EDITOR, "ed")


@pytest.fixture
def editor2(db):  # type: ignore[no-untyped-def]
    return make_user(Role.EDITOR, "ed2")


@pytest.fixture
def reviewer(db):  # type: ignore[no-untyped-def]
    return make_user(Role.REVIEWER, "rev")


@pytest.fixture
def reviewer2(db):  # type: ignore[no-untyped-def]
    return make_user(Role.REVIEWER, "rev2")


@pytest.fixture
def admin_user(db):  # type: ignore[no-untyped-def]
    return make_user(Role.ADMIN, "boss")


@pytest.fixture
def no_role_user(db):  # type: ignore[no-untyped-def]
    return make_user(None, "reader")


@pytest.fixture
def article(db):  # type: ignore[no-untyped-def]
    return ArticleFactory()
