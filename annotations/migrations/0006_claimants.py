"""Claimants become records: the free text of Claim.claimant becomes a Claimant each.

Claims whose claimant reads the same once case and white space are folded share one
Claimant, named as the earliest of those claims wrote it (its runs of white space made one).
Whether each is a person or an organisation was never recorded: each is made a Person with
`kind_unconfirmed` set, which the admin's list of claimants filters on, for the desk to
confirm or correct (docs/export-formats.md). The claims' versions and public record keep the
name as text, as they had it: they are the record of what was written and published.

Reversed, each claim gets its claimant's name back as text.
"""

from importlib import import_module

import annotations.models.claimants
import annotations.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

_record = import_module("annotations.migrations.0002_record")


def _name_key(name):
    return " ".join(name.split()).casefold()


def claimants_from_text(apps, schema_editor):
    Claim = apps.get_model("annotations", "Claim")
    Claimant = apps.get_model("annotations", "Claimant")
    claims_by_key = {}
    spelling = {}
    rows = Claim.objects.exclude(claimant="").order_by("created_at", "id")
    for pk, text in rows.values_list("pk", "claimant").iterator(chunk_size=2000):
        key = _name_key(text)
        if not key:
            continue
        claims_by_key.setdefault(key, []).append(pk)
        spelling.setdefault(key, " ".join(text.split()))
    now = django.utils.timezone.now()
    for key, claim_ids in claims_by_key.items():
        claimant = Claimant.objects.create(
            name=spelling[key],
            name_key=key,
            kind="Person",
            kind_unconfirmed=True,
            created_at=now,
            updated_at=now,
        )
        for start in range(0, len(claim_ids), 500):
            Claim.objects.filter(pk__in=claim_ids[start : start + 500]).update(
                claimant_record=claimant
            )


def text_from_claimants(apps, schema_editor):
    Claim = apps.get_model("annotations", "Claim")
    Claimant = apps.get_model("annotations", "Claimant")
    for claimant in Claimant.objects.iterator():
        Claim.objects.filter(claimant_record=claimant).update(claimant=claimant.name)


def keep_claim_triggers(apps, schema_editor):
    """A table rebuilt on SQLite loses its triggers (0002_record): set them again."""
    for statement in _record.record_trigger_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("annotations", "0005_search"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Claimant",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=300, validators=[annotations.validators.validate_clean_text])),
                ("name_key", models.CharField(editable=False, max_length=300, validators=[annotations.validators.validate_clean_text])),
                ("kind", models.CharField(choices=[("Person", "Person"), ("Organization", "Organisation")], default="Person", max_length=20, validators=[annotations.validators.validate_clean_text])),
                ("description", models.TextField(blank=True, validators=[annotations.validators.validate_clean_text])),
                ("same_as", models.JSONField(blank=True, default=list, help_text="Pages that identify the claimant, such as their Wikidata item.", validators=[annotations.models.claimants.validate_same_as])),
                ("kind_unconfirmed", models.BooleanField(default=False)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False, validators=[annotations.validators.validate_moment])),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now, editable=False, validators=[annotations.validators.validate_moment])),
                ("merged_into", models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="merged", to="annotations.claimant")),
            ],
            options={
                "ordering": ["name_key", "id"],
                "constraints": [
                    models.UniqueConstraint(condition=models.Q(("merged_into__isnull", True)), fields=("name_key",), name="claimant_live_name_unique", violation_error_message="A claimant with this name exists already."),
                    models.CheckConstraint(condition=models.Q(("kind__in", ["Person", "Organization"])), name="claimant_kind_known"),
                    models.CheckConstraint(condition=models.Q(("name_key", ""), _negated=True), name="claimant_name_not_empty"),
                    models.CheckConstraint(condition=models.Q(("merged_into", models.F("id")), _negated=True), name="claimant_not_merged_into_itself"),
                ],
            },
        ),
        migrations.CreateModel(
            name="ClaimantMerge",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("merged_name", models.CharField(max_length=300, validators=[annotations.validators.validate_clean_text])),
                ("claim_ids", models.JSONField(blank=True, default=list)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False, validators=[annotations.validators.validate_moment])),
                ("actor", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
                ("kept", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="merges", to="annotations.claimant")),
                ("merged", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="annotations.claimant")),
            ],
            options={
                "ordering": ["created_at", "id"],
            },
        ),
        migrations.AddField(
            model_name="claim",
            name="claimant_record",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="claims", to="annotations.claimant"),
        ),
        migrations.RunPython(claimants_from_text, text_from_claimants),
        migrations.RemoveField(model_name="claim", name="claimant"),
        migrations.RenameField(model_name="claim", old_name="claimant_record", new_name="claimant"),
        migrations.RunPython(keep_claim_triggers, keep_claim_triggers, elidable=False),
    ]
