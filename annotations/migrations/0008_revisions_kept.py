"""Every claim and public record names its revision (0007 gave each one), and the record's
guard holds again, over the revisions and the re-anchorings too, on PostgreSQL and SQLite:

- an article's revisions are never changed, and deleted only with an article no claim was
  ever made on (a claim holds its article, so such an article is the only one deletable);
- a re-anchoring outcome is never changed, and deleted only with a claim whose history holds
  nothing but its creation (the rule 0002_record set for the rest of the claims' record).

SQLite rebuilds the claim and public record tables to make the links required, which drops
their triggers: they are created again here, with 0002's and 0004's own statements.
"""

from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models

_record = import_module("annotations.migrations.0002_record")
_public = import_module("annotations.migrations.0004_publication_append_only")

REVISIONS = "annotations_articlerevision"
REANCHORINGS = "annotations_reanchoring"

_REFUSAL = (
    "An article''s revisions and its claims'' re-anchorings are append-only: they are never "
    "changed, and deleted only with an article or a claim that may go."
)
_NO_CLAIM = (
    "NOT EXISTS (SELECT 1 FROM annotations_claim AS c WHERE c.article_id = OLD.article_id)"
)


def revision_trigger_sql(vendor: str) -> list[str]:
    """The statements that (re)create the triggers on `vendor`'s database."""
    only_created = _record._only_created("OLD.claim_id")
    if vendor == "postgresql":
        return [
            f"""
CREATE OR REPLACE FUNCTION annotations_revision_kept() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND {_NO_CLAIM} THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '{_REFUSAL}' USING ERRCODE = 'restrict_violation';
END;
$$;
""",
            f"""
CREATE OR REPLACE FUNCTION annotations_reanchoring_kept() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND {only_created} THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '{_REFUSAL}' USING ERRCODE = 'restrict_violation';
END;
$$;
""",
            *drop_revision_trigger_sql(vendor)[:2],
            f"CREATE TRIGGER {REVISIONS}_kept BEFORE UPDATE OR DELETE ON {REVISIONS} "
            "FOR EACH ROW EXECUTE FUNCTION annotations_revision_kept();",
            f"CREATE TRIGGER {REANCHORINGS}_kept BEFORE UPDATE OR DELETE ON {REANCHORINGS} "
            "FOR EACH ROW EXECUTE FUNCTION annotations_reanchoring_kept();",
        ]
    if vendor == "sqlite":
        refuse = f"BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END;"
        return [
            *drop_revision_trigger_sql(vendor),
            f"CREATE TRIGGER {REVISIONS}_no_update BEFORE UPDATE ON {REVISIONS} {refuse}",
            f"CREATE TRIGGER {REVISIONS}_no_delete BEFORE DELETE ON {REVISIONS} "
            f"WHEN NOT ({_NO_CLAIM}) {refuse}",
            f"CREATE TRIGGER {REANCHORINGS}_no_update BEFORE UPDATE ON {REANCHORINGS} {refuse}",
            f"CREATE TRIGGER {REANCHORINGS}_no_delete BEFORE DELETE ON {REANCHORINGS} "
            f"WHEN NOT ({only_created}) {refuse}",
        ]
    raise NotImplementedError(f"No append-only triggers written for {vendor}.")


def drop_revision_trigger_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {REVISIONS}_kept ON {REVISIONS};",
            f"DROP TRIGGER IF EXISTS {REANCHORINGS}_kept ON {REANCHORINGS};",
            "DROP FUNCTION IF EXISTS annotations_revision_kept();",
            "DROP FUNCTION IF EXISTS annotations_reanchoring_kept();",
        ]
    return [
        f"DROP TRIGGER IF EXISTS {table}_{kind};"
        for table in (REVISIONS, REANCHORINGS)
        for kind in ("no_update", "no_delete")
    ]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in [
        *_record.record_trigger_sql(vendor),
        *_public.publication_trigger_sql(vendor),
        *revision_trigger_sql(vendor),
    ]:
        schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):
    # All of them, as 0007 lifted them: going back, 0007 rebuilds tables they name, and puts
    # 0002's and 0004's back last.
    vendor = schema_editor.connection.vendor
    for statement in [
        *drop_revision_trigger_sql(vendor),
        *_record.drop_record_trigger_sql(vendor),
        *_public.drop_publication_trigger_sql(vendor),
    ]:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0007_article_revisions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="claim",
            name="revision",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="claims",
                to="annotations.articlerevision",
            ),
        ),
        migrations.AlterField(
            model_name="publication",
            name="revision",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="annotations.articlerevision",
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
