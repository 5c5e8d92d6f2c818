"""The claims' tally (models.ClaimTally): its table, the triggers that keep it, and its first
rows, counted from the claims already there. The index the list's count used goes.

SQLite drops a table's triggers with the table, and Django's schema editor rebuilds a SQLite
table for most changes of its columns: a later migration that alters the claims table must
create these triggers again. tests/test_claim_tally.py fails when they are missing."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TRIGGERS = ("claim_tally_insert", "claim_tally_delete", "claim_tally_update")


def _names(apps, schema_editor):
    claim = apps.get_model("annotations", "Claim")._meta
    tally = apps.get_model("annotations", "ClaimTally")._meta
    quote = schema_editor.connection.ops.quote_name
    return {
        "claims": quote(claim.db_table),
        "tally": quote(tally.db_table),
        "columns": "status, author_id, verdict_id, claims, settled",
    }


def _sqlite(names):
    changed = (
        "OLD.status IS NOT NEW.status OR OLD.author_id IS NOT NEW.author_id"
        " OR OLD.verdict_id IS NOT NEW.verdict_id"
    )
    plus = (
        "INSERT INTO {tally} ({columns}) VALUES (NEW.status, NEW.author_id, NEW.verdict_id, 1, 0);"
    )
    minus = (
        "INSERT INTO {tally} ({columns}) VALUES (OLD.status, OLD.author_id, OLD.verdict_id, -1, 0);"
    )
    return [
        sql.format(**names)
        for sql in (
            f"CREATE TRIGGER claim_tally_insert AFTER INSERT ON {{claims}} BEGIN {plus} END",
            f"CREATE TRIGGER claim_tally_delete AFTER DELETE ON {{claims}} BEGIN {minus} END",
            "CREATE TRIGGER claim_tally_update AFTER UPDATE OF status, author_id, verdict_id"
            f" ON {{claims}} WHEN {changed} BEGIN {minus} {plus} END",
        )
    ]


def _postgresql(names):
    changed = (
        "OLD.status IS DISTINCT FROM NEW.status OR OLD.author_id IS DISTINCT FROM NEW.author_id"
        " OR OLD.verdict_id IS DISTINCT FROM NEW.verdict_id"
    )
    # Inserts and deletions are tallied per statement, one row per key however many claims
    # the statement wrote: a bulk load of 100,000 claims appends a few hundred rows, not
    # 100,000 (whose dead space every count would scan after settling). Changes are tallied
    # per row, since PostgreSQL has no statement trigger on chosen columns with the rows.
    per_statement = """CREATE FUNCTION claim_tally_{name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO {{tally}} ({{columns}})
                SELECT status, author_id, verdict_id, {sign}COUNT(*), false FROM {rows}
                GROUP BY status, author_id, verdict_id;
                RETURN NULL;
            END $$"""
    return [
        sql.format(**names)
        for sql in (
            per_statement.format(name="inserted", sign="", rows="inserted_claims"),
            per_statement.format(name="deleted", sign="-", rows="deleted_claims"),
            """CREATE FUNCTION claim_tally_changed() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO {tally} ({columns})
                VALUES (OLD.status, OLD.author_id, OLD.verdict_id, -1, false),
                       (NEW.status, NEW.author_id, NEW.verdict_id, 1, false);
                RETURN NULL;
            END $$""",
            # TRUNCATE (Django's flush on PostgreSQL) fires no row trigger.
            """CREATE FUNCTION claim_tally_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                DELETE FROM {tally};
                RETURN NULL;
            END $$""",
            "CREATE TRIGGER claim_tally_insert AFTER INSERT ON {claims}"
            " REFERENCING NEW TABLE AS inserted_claims"
            " FOR EACH STATEMENT EXECUTE FUNCTION claim_tally_inserted()",
            "CREATE TRIGGER claim_tally_delete AFTER DELETE ON {claims}"
            " REFERENCING OLD TABLE AS deleted_claims"
            " FOR EACH STATEMENT EXECUTE FUNCTION claim_tally_deleted()",
            "CREATE TRIGGER claim_tally_update AFTER UPDATE OF status, author_id, verdict_id"
            f" ON {{claims}} FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION claim_tally_changed()",
            "CREATE TRIGGER claim_tally_truncate AFTER TRUNCATE ON {claims}"
            " FOR EACH STATEMENT EXECUTE FUNCTION claim_tally_truncated()",
        )
    ]


def create_tally(apps, schema_editor):
    # Django leaves an unmanaged model's table alone; the table is created here, as the
    # model describes it, before the triggers that write to it.
    schema_editor.create_model(apps.get_model("annotations", "ClaimTally"))
    names = _names(apps, schema_editor)
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = _sqlite(names)
    elif vendor == "postgresql":
        statements = _postgresql(names)
    else:
        raise NotImplementedError(f"The claims' tally has no triggers for {vendor}.")
    for statement in statements:
        schema_editor.execute(statement, params=None)
    # The claims already there, as settled rows. Only the models' table names are formatted in.
    fill = (
        "INSERT INTO {tally} ({columns}) SELECT status, author_id, verdict_id, COUNT(*), %s"
        " FROM {claims} GROUP BY status, author_id, verdict_id"
    )
    schema_editor.execute(fill.format(**names), params=[True])


def drop_tally(apps, schema_editor):
    names = _names(apps, schema_editor)
    if schema_editor.connection.vendor == "postgresql":
        for trigger in (*TRIGGERS, "claim_tally_truncate"):
            schema_editor.execute(f"DROP TRIGGER {trigger} ON {names['claims']}", params=None)
        for event in ("inserted", "deleted", "changed", "truncated"):
            schema_editor.execute(f"DROP FUNCTION claim_tally_{event}()", params=None)
    else:
        for trigger in TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER {trigger}", params=None)
    schema_editor.delete_model(apps.get_model("annotations", "ClaimTally"))


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0005_claim_count_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ClaimTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("draft", "Draft"),
                            ("submitted", "Submitted"),
                            ("approved", "Approved"),
                            ("rejected", "Rejected"),
                            ("changes_requested", "Changes requested"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "author",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "verdict",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="annotations.verdict",
                    ),
                ),
                ("claims", models.IntegerField()),
                ("settled", models.BooleanField(default=False)),
            ],
            options={"db_table": "annotations_claimtally", "managed": False},
        ),
        migrations.RunPython(create_tally, drop_tally),
        migrations.RemoveIndex(model_name="claim", name="claim_count_idx"),
    ]
