"""The public record (annotations_publication) refused every UPDATE and DELETE by the database
itself, on PostgreSQL and SQLite, as 0002_record does for the review history: a statement
below the ORM cannot rewrite or remove what the public was shown.

No exception is needed, unlike 0002's for a never-submitted draft: a record exists only once
a claim was approved or retracted, and such a claim is never deleted.

A table that Django rebuilds on SQLite (an altered column) loses its triggers: a migration
that does must run create_triggers again (tests/test_record.py would fail without).
"""

from django.db import migrations

TABLE = "annotations_publication"
FUNCTION = "annotations_publication_append_only"

_REFUSAL = (
    "The public record is append-only: a publication, correction or retraction is never "
    "changed or deleted."
)


def publication_trigger_sql(vendor: str) -> list[str]:
    """The statements that (re)create the triggers on `vendor`'s database."""
    if vendor == "postgresql":
        return [
            f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{_REFUSAL}' USING ERRCODE = 'restrict_violation';
END;
$$;
""",
            f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};",
            f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
            f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();",
        ]
    if vendor == "sqlite":
        refuse = f"BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END;"
        return [
            *drop_publication_trigger_sql(vendor),
            f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} {refuse}",
            f"CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE} {refuse}",
        ]
    raise NotImplementedError(f"No append-only triggers written for {vendor}.")


def drop_publication_trigger_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};",
            f"DROP FUNCTION IF EXISTS {FUNCTION}();",
        ]
    return [
        f"DROP TRIGGER IF EXISTS {TABLE}_no_update;",
        f"DROP TRIGGER IF EXISTS {TABLE}_no_delete;",
    ]


def create_triggers(apps, schema_editor):
    for statement in publication_trigger_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):
    for statement in drop_publication_trigger_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0003_publication"),
    ]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
