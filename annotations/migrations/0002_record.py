"""The claims' record: the retracted state, claim versions, sources' publication dates, and
the database's own refusal to rewrite the record.

The triggers make the review history (annotations_reviewevent) and the claims' versions
(annotations_claimversion) append-only below the ORM, on PostgreSQL and SQLite alike: every
UPDATE is refused, and so is every DELETE but one, that of a row of a claim whose history
holds nothing but its creation (a draft that never left its author, deleted by them). The
claim itself is refused a DELETE by the same rule. Any claim once submitted has a `submit`
event, so neither it, nor its history, nor its versions can be removed by any statement.

A table that Django rebuilds on SQLite (an altered column) loses its triggers: a migration
that does must run create_triggers again (tests/test_record.py would fail without).
"""

import annotations.validators
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

RECORD_TABLES = ("annotations_reviewevent", "annotations_claimversion")
CLAIM_TABLE = "annotations_claim"


def _only_created(claim_id: str) -> str:
    """True when the claim `claim_id` names has nothing in its history but its creation."""
    return (
        "NOT EXISTS (SELECT 1 FROM annotations_reviewevent AS e "
        f"WHERE e.claim_id = {claim_id} AND e.action <> 'create')"
    )


_REFUSAL = (
    "The claims'' record is append-only: a claim once submitted, its history and its "
    "versions are never changed or deleted."
)

POSTGRESQL_FUNCTIONS = [
    f"""
CREATE OR REPLACE FUNCTION annotations_record_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND {_only_created("OLD.claim_id")} THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '{_REFUSAL}' USING ERRCODE = 'restrict_violation';
END;
$$;
""",
    f"""
CREATE OR REPLACE FUNCTION annotations_claim_kept() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF {_only_created("OLD.id")} THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '{_REFUSAL}' USING ERRCODE = 'restrict_violation';
END;
$$;
""",
]


def _postgresql_triggers() -> list[str]:
    statements = list(POSTGRESQL_FUNCTIONS)
    for table in RECORD_TABLES:
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};",
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION annotations_record_append_only();",
        ]
    return [
        *statements,
        f"DROP TRIGGER IF EXISTS {CLAIM_TABLE}_kept ON {CLAIM_TABLE};",
        f"CREATE TRIGGER {CLAIM_TABLE}_kept BEFORE DELETE ON {CLAIM_TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION annotations_claim_kept();",
    ]


def _sqlite_triggers() -> list[str]:
    refuse = f"BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END;"
    statements = []
    for table in RECORD_TABLES:
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_no_update;",
            f"DROP TRIGGER IF EXISTS {table}_no_delete;",
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} {refuse}",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"WHEN NOT ({_only_created('OLD.claim_id')}) {refuse}",
        ]
    return [
        *statements,
        f"DROP TRIGGER IF EXISTS {CLAIM_TABLE}_kept;",
        f"CREATE TRIGGER {CLAIM_TABLE}_kept BEFORE DELETE ON {CLAIM_TABLE} "
        f"WHEN NOT ({_only_created('OLD.id')}) {refuse}",
    ]


def record_trigger_sql(vendor: str) -> list[str]:
    """The statements that (re)create the triggers on `vendor`'s database."""
    if vendor == "postgresql":
        return _postgresql_triggers()
    if vendor == "sqlite":
        return _sqlite_triggers()
    raise NotImplementedError(f"No append-only triggers written for {vendor}.")


def drop_record_trigger_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            *(f"DROP TRIGGER IF EXISTS {t}_append_only ON {t};" for t in RECORD_TABLES),
            f"DROP TRIGGER IF EXISTS {CLAIM_TABLE}_kept ON {CLAIM_TABLE};",
            "DROP FUNCTION IF EXISTS annotations_record_append_only();",
            "DROP FUNCTION IF EXISTS annotations_claim_kept();",
        ]
    return [
        *(
            f"DROP TRIGGER IF EXISTS {t}_{kind};"
            for t in RECORD_TABLES
            for kind in ("no_update", "no_delete")
        ),
        f"DROP TRIGGER IF EXISTS {CLAIM_TABLE}_kept;",
    ]


def create_triggers(apps, schema_editor):
    for statement in record_trigger_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):
    for statement in drop_record_trigger_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ClaimVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "number",
                    models.PositiveIntegerField(
                        validators=[django.core.validators.MaxValueValidator(2147483647)]
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now,
                        editable=False,
                        validators=[annotations.validators.validate_moment],
                    ),
                ),
                (
                    "claim_text",
                    models.TextField(
                        validators=[annotations.validators.validate_clean_text],
                        verbose_name="claim",
                    ),
                ),
                (
                    "claimant",
                    models.CharField(
                        blank=True,
                        max_length=300,
                        validators=[annotations.validators.validate_clean_text],
                    ),
                ),
                (
                    "rationale",
                    models.TextField(
                        blank=True, validators=[annotations.validators.validate_clean_text]
                    ),
                ),
                ("sources", models.JSONField(blank=True, default=list)),
            ],
            options={
                "ordering": ["claim_id", "number"],
            },
        ),
        migrations.RemoveConstraint(
            model_name="claim",
            name="claim_status_known",
        ),
        migrations.AddField(
            model_name="source",
            name="published_on",
            field=models.DateField(blank=True, help_text="When it was published.", null=True),
        ),
        migrations.AlterField(
            model_name="claim",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("submitted", "Submitted"),
                    ("approved", "Approved"),
                    ("rejected", "Rejected"),
                    ("changes_requested", "Changes requested"),
                    ("retracted", "Retracted"),
                ],
                default="draft",
                editable=False,
                max_length=20,
                validators=[annotations.validators.validate_clean_text],
            ),
        ),
        migrations.AlterField(
            model_name="reviewevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("create", "Create"),
                    ("submit", "Submit for review"),
                    ("withdraw", "Withdraw"),
                    ("approve", "Approve"),
                    ("reject", "Reject"),
                    ("request_changes", "Request changes"),
                    ("reopen", "Reopen for correction"),
                    ("retract", "Retract"),
                ],
                max_length=20,
                validators=[annotations.validators.validate_clean_text],
            ),
        ),
        migrations.AlterField(
            model_name="reviewevent",
            name="from_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("draft", "Draft"),
                    ("submitted", "Submitted"),
                    ("approved", "Approved"),
                    ("rejected", "Rejected"),
                    ("changes_requested", "Changes requested"),
                    ("retracted", "Retracted"),
                ],
                max_length=20,
                validators=[annotations.validators.validate_clean_text],
            ),
        ),
        migrations.AlterField(
            model_name="reviewevent",
            name="to_status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("submitted", "Submitted"),
                    ("approved", "Approved"),
                    ("rejected", "Rejected"),
                    ("changes_requested", "Changes requested"),
                    ("retracted", "Retracted"),
                ],
                max_length=20,
                validators=[annotations.validators.validate_clean_text],
            ),
        ),
        migrations.AddConstraint(
            model_name="claim",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "status__in",
                        [
                            "draft",
                            "submitted",
                            "approved",
                            "rejected",
                            "changes_requested",
                            "retracted",
                        ],
                    )
                ),
                name="claim_status_known",
            ),
        ),
        migrations.AddField(
            model_name="claimversion",
            name="author",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="claimversion",
            name="claim",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="versions",
                to="annotations.claim",
            ),
        ),
        migrations.AddField(
            model_name="claimversion",
            name="verdict",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="annotations.verdict",
            ),
        ),
        migrations.AddConstraint(
            model_name="claimversion",
            constraint=models.UniqueConstraint(
                fields=("claim", "number"), name="claimversion_number_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="claimversion",
            constraint=models.CheckConstraint(
                condition=models.Q(("number__gte", 1)), name="claimversion_number_positive"
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
