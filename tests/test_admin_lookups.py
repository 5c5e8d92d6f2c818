"""Every list of the admin filters by what it declares (list_filter, date_hierarchy, search)
and refuses any other lookup with a 400: none can be used to read a token a character at a
time, or to learn that someone's draft exists."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.contrib.auth import get_user_model
from django.db import models
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from annotations.models import Article, Verdict
from tests.factories import make_claim

pytestmark = pytest.mark.django_db

User = get_user_model()


def _changelist(model: type[models.Model]) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def _registered() -> list[tuple[type[models.Model], ModelAdmin[Any]]]:
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def _declared_fields(model_admin: ModelAdmin[Any]) -> set[str]:
    named = {
        item if isinstance(item, str) else item[0]
        for item in model_admin.list_filter
        if not isinstance(item, type)
    }
    return named | ({model_admin.date_hierarchy} if model_admin.date_hierarchy else set())


def _undeclared_lookups(model_admin: ModelAdmin[Any]) -> list[str]:
    """Lookups no filter of the list offers: through every relation of the model (by its
    target's primary key, by `pk`, by `id`), and on every field of its own."""
    model = model_admin.model
    declared = _declared_fields(model_admin)
    lookups = []
    for field in model._meta.get_fields():
        if field.is_relation and field.related_model is not None:
            target_pk = field.related_model._meta.pk.name
            lookups += [
                f"{field.name}__{target_pk}__gte",
                f"{field.name}__{target_pk}__startswith",
                f"{field.name}__pk__gte",
                f"{field.name}__pk__exact",
            ]
            if field.name not in declared:
                lookups += [f"{field.name}__{target_pk}__exact", f"{field.name}__id__exact"]
        elif field.concrete:
            lookups.append(f"{field.name}__regex")
            if field.name not in declared:
                lookups += [f"{field.name}__startswith", f"{field.name}__exact"]
    return lookups


@pytest.fixture
def everything(editor: Any, reviewer: Any) -> None:
    """A row in every list, and enough of them that each declared filter has choices."""
    make_claim(author=editor)
    make_claim(author=editor, status="submitted")
    make_claim(author=editor, status="approved", reviewer=reviewer)
    make_claim(author=reviewer, status="submitted")
    Token.objects.create(user=editor)
    seen = {"user_agent": "test", "http_accept": "*/*", "path_info": "/login/"}
    for number, name in enumerate(("ed", "someone")):
        AccessAttempt.objects.create(
            username=name,
            ip_address=f"203.0.113.{number}",
            get_data="",
            post_data="",
            failures_since_start=number + 1,
            **seen,
        )
        AccessFailureLog.objects.create(
            username=name, ip_address=f"203.0.113.{number}", locked_out=bool(number), **seen
        )
        AccessLog.objects.create(username=name, ip_address=f"203.0.113.{number}", **seen)


@pytest.fixture
def root() -> Client:
    client = Client()
    # A superuser sees every list there is.
    client.force_login(User.objects.create_superuser("root", password="not-used-here-1"))
    return client


def test_every_list_refuses_lookups_it_does_not_declare(everything: Any, root: Client) -> None:
    tried = 0
    for model, model_admin in _registered():
        url = _changelist(model)
        assert root.get(url).status_code == 200, url
        for lookup in _undeclared_lookups(model_admin):
            response = root.get(url, {lookup: "1"})
            assert response.status_code == 400, (url, lookup, response.status_code)
            tried += 1
    assert tried > 100


def test_every_declared_filter_still_works(everything: Any, root: Client) -> None:
    """Each choice of each filter a list shows, as its link has it, and each date hierarchy."""
    followed = set()
    for model, model_admin in _registered():
        url = _changelist(model)
        changelist = root.get(url).context["cl"]
        for spec in changelist.filter_specs:
            for choice in spec.choices(changelist):
                response = root.get(url + choice["query_string"])
                assert response.status_code == 200, (url, choice["query_string"])
                followed.add((model, spec.title))
        if model_admin.date_hierarchy:
            response = root.get(url, {f"{model_admin.date_hierarchy}__year": "2024"})
            assert response.status_code == 200, url
        if model_admin.search_fields:
            assert root.get(url, {"q": "ed"}).status_code == 200, url
    # Every filter a list declares was shown, and followed.
    for model, model_admin in _registered():
        shown = {title for shown_model, title in followed if shown_model is model}
        assert len(shown) == len(model_admin.list_filter), (model, shown)


def test_an_admin_cannot_read_a_token_out_of_the_user_list(admin_user: Any, editor: Any) -> None:
    key = Token.objects.create(user=editor).key
    client = Client()
    client.force_login(admin_user)
    url = _changelist(User)
    for prefix in (key[:1], key[:8], key):
        assert client.get(url, {"auth_token__key__startswith": prefix}).status_code == 400
        assert client.get(url, {"auth_token__key__exact": prefix}).status_code == 400
    # The list's own filters answer as before.
    listed = client.get(url, {"is_active__exact": "1"}).context["cl"].result_list
    assert editor in listed


def test_a_reviewer_cannot_learn_that_a_draft_exists(editor: Any, reviewer: Any) -> None:
    draft = make_claim(author=editor)
    client = Client()
    client.force_login(reviewer)
    for model in (Verdict, Article):
        url = _changelist(model)
        for lookup in ("claims__id__exact", "claims__id__gte", "claims__pk__exact"):
            assert client.get(url, {lookup: draft.pk}).status_code == 400, (model, lookup)


def test_an_admin_role_user_is_refused_on_every_list_they_may_open(
    everything: Any, admin_user: Any
) -> None:
    """Not only superusers: the admin role gets the same 400 wherever it may look."""
    client = Client()
    client.force_login(admin_user)
    opened = 0
    for model, model_admin in _registered():
        url = _changelist(model)
        if client.get(url).status_code != 200:
            continue
        opened += 1
        for lookup in _undeclared_lookups(model_admin)[:6]:
            assert client.get(url, {lookup: "1"}).status_code == 400, (url, lookup)
    # All but the superusers' own: the successful sign-ins and the background task results.
    assert opened >= len(_registered()) - 2
