"""The invariants the database itself enforces, checked by writing around the services."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from annotations.models import Claim, ReviewEvent, Source, Verdict
from tests.factories import make_claim, verdict

pytestmark = pytest.mark.django_db


def _raw_claim(article, author, **overrides):
    values = dict(article=article, author=author, start=0, end=3, quote="The", claim_text="x")
    values.update(overrides)
    return Claim(**values)


@pytest.mark.parametrize(
    "overrides",
    [
        {"start": 5, "end": 5},
        {"start": 6, "end": 2},
        {"quote": ""},
        {"status": "published"},
        {"version": 0},
    ],
)
def test_database_refuses_impossible_claims(article, editor, overrides):
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw_claim(article, editor, **overrides).save()


def test_database_refuses_negative_offsets(article, editor):
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw_claim(article, editor, start=-1).save()


def test_source_kind_and_url_are_checked(editor):
    claim = make_claim(author=editor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(claim=claim, url="https://a.example/", kind="rumour")
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(claim=claim, url="", kind="other")


def test_a_verdict_in_use_cannot_be_deleted(editor):
    make_claim(author=editor, verdict=verdict("false"))
    with pytest.raises(ProtectedError):
        Verdict.objects.get(slug="false").delete()
    unused = Verdict.objects.create(label="Outdated", slug="outdated")
    unused.delete()


def test_default_scale_is_seeded():
    scale = list(Verdict.objects.values_list("slug", "rating"))
    assert scale[:5] == [
        ("true", 5),
        ("mostly-true", 4),
        ("half-true", 3),
        ("mostly-false", 2),
        ("false", 1),
    ]
    assert ("misleading", None) in scale
    assert ("unverifiable", None) in scale


def test_review_history_is_append_only(editor):
    claim = make_claim(author=editor)
    event = claim.events.get()
    event.comment = "rewritten"
    with pytest.raises(TypeError, match="append-only"):
        event.save()
    with pytest.raises(TypeError, match="append-only"):
        event.delete()
    with pytest.raises(TypeError, match="append-only"):
        ReviewEvent.objects.filter(claim=claim).update(comment="gone")
    with pytest.raises(TypeError, match="append-only"):
        ReviewEvent.objects.filter(claim=claim).delete()
    assert ReviewEvent.objects.get(pk=event.pk).comment == ""


@pytest.mark.django_db(transaction=True)
def test_scale_and_roles_survive_a_database_flush():
    """After a flush (as transactional tests do), post_migrate puts the defaults back."""
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    call_command("flush", "--noinput", verbosity=0)
    assert Verdict.objects.filter(slug="false").exists()
    assert Group.objects.filter(name="reviewer").exists()


def test_a_scale_the_admins_changed_is_left_alone():
    from annotations.services import verdicts_ensure

    Verdict.objects.exclude(slug="true").filter(claims__isnull=True).delete()
    verdicts_ensure()
    assert list(Verdict.objects.values_list("slug", flat=True)) == ["true"]


def test_every_foreign_key_leads_an_index_of_the_database():
    """Deleting an article, a user or a claim looks up the rows that point at it by the
    foreign key: each must be the first column of an index, its own or a composite one
    (migration 0009 dropped those that a composite index already led)."""
    from django.apps import apps
    from django.db import connection
    from django.db.models import ForeignKey

    with connection.cursor() as cursor:
        for model in apps.get_app_config("annotations").get_models():
            if not model._meta.managed:
                continue
            table = model._meta.db_table
            constraints = connection.introspection.get_constraints(cursor, table)
            leading = {
                found["columns"][0]
                for found in constraints.values()
                if (found["index"] or found["unique"] or found["primary_key"]) and found["columns"]
            }
            for field in model._meta.concrete_fields:
                if isinstance(field, ForeignKey):
                    assert field.column in leading, f"{table}.{field.column} leads no index"


def test_no_index_is_the_start_of_another():
    """An index whose columns begin another index of the same table serves no lookup the
    longer one does not, and costs a write on every insert and on every change of its
    columns (migration 0009 dropped three)."""
    from django.apps import apps
    from django.db import connection

    with connection.cursor() as cursor:
        for model in apps.get_app_config("annotations").get_models():
            table = model._meta.db_table
            constraints = connection.introspection.get_constraints(cursor, table)
            plain = {
                name: found["columns"]
                for name, found in constraints.items()
                if found["index"] and not (found["unique"] or found["primary_key"])
            }
            for name, columns in plain.items():
                for other, longer in plain.items():
                    if other != name and len(longer) > len(columns):
                        assert longer[: len(columns)] != columns, f"{name} begins {other}"
