"""Two corrections to 0006, for databases that applied it as it first was:

- claim_count_idx comes back: the claims list no longer counts through it, but the admin's
  list and the export's total still count claims by status and author.
- The tally's trigger functions on PostgreSQL keep the search_path they were created with,
  so that they find the tally's table whatever the session's path (pg_dump's scripts set
  an empty one; a data-only restore with triggers on would otherwise fail on every claim).
"""

from django.db import migrations, models

FUNCTIONS = ("inserted", "deleted", "changed", "truncated")


def pin_search_path(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for event in FUNCTIONS:
            schema_editor.execute(
                f"ALTER FUNCTION claim_tally_{event}() SET search_path FROM CURRENT", params=None
            )


def unpin_search_path(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for event in FUNCTIONS:
            schema_editor.execute(
                f"ALTER FUNCTION claim_tally_{event}() RESET search_path", params=None
            )


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0006_claim_tally"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["status", "author"], name="claim_count_idx"),
        ),
        migrations.RunPython(pin_search_path, unpin_search_path),
    ]
