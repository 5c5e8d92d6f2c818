"""Drop the single-column indexes of three foreign keys, which composite indexes starting
with the same column already serve: claim.article (claim_document_order_idx), claim.reviewer
(claim_held_idx) and reviewevent.claim (event_claim_idx). Each was one more index to write
on every claim created, assigned or decided.

Only the indexes go, found by their columns whatever their names. Django's own AlterField
would remake the claims table on SQLite, which drops its triggers (the tally's, migration
0006), and would re-add each foreign key on PostgreSQL, checking every row under a lock.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# (table, column, and the name Django gives the column's index, to re-create it going back)
COVERED = [
    ("annotations_claim", "article_id", "annotations_claim_article_id_a6db243f"),
    ("annotations_claim", "reviewer_id", "annotations_claim_reviewer_id_8afbd552"),
    ("annotations_reviewevent", "claim_id", "annotations_reviewevent_claim_id_bfc5c527"),
]


def drop_covered_indexes(apps, schema_editor):
    """Drop each column's own index by what the database calls it, whatever its name."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for table, column, _ in COVERED:
            constraints = connection.introspection.get_constraints(cursor, table)
            for name, found in constraints.items():
                own_index = found["index"] and not (found["unique"] or found["primary_key"])
                if own_index and found["columns"] == [column]:
                    schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


def recreate_covered_indexes(apps, schema_editor):
    quote = schema_editor.quote_name
    for table, column, name in COVERED:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(table)} ({quote(column)})"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0008_claim_lease_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunPython(drop_covered_indexes, recreate_covered_indexes)
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="claim",
                    name="article",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="claims",
                        to="annotations.article",
                    ),
                ),
                migrations.AlterField(
                    model_name="claim",
                    name="reviewer",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="reviewed_claims",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="reviewevent",
                    name="claim",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="annotations.claim",
                    ),
                ),
            ],
        )
    ]
