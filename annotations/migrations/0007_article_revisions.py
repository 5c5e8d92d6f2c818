"""Articles keep every revision of their text (ArticleRevision), and claims and public records
name the revision their offsets point into; each re-anchoring of a claim on a new revision
is recorded (Reanchoring). Every article gets its text as revision 1 (kind "import"), which
its claims and its public records then point into; 0008_revisions_kept makes those links
required and puts the record's guard back, the new tables included.

The record's guards (0002, 0004) are lifted here: SQLite rebuilds the review history's table
(its actor may now be the desk itself, none), which a trigger naming it would stop, and the
public record's rows get their revision by an UPDATE.
"""

from importlib import import_module

import annotations.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

_record = import_module("annotations.migrations.0002_record")
_public = import_module("annotations.migrations.0004_publication_append_only")


def first_revisions(apps, schema_editor):
    Article = apps.get_model("annotations", "Article")
    ArticleRevision = apps.get_model("annotations", "ArticleRevision")
    Claim = apps.get_model("annotations", "Claim")
    Publication = apps.get_model("annotations", "Publication")
    for article in Article.objects.order_by("pk").iterator(chunk_size=1):
        revision = ArticleRevision.objects.create(
            article=article,
            number=1,
            kind="import",
            body=article.body,
            body_sha256=article.body_sha256,
            title=article.title,
            publisher=article.publisher,
            byline=article.byline,
            published_on=article.published_on,
            language=article.language,
            created_at=article.imported_at,
            created_by_id=article.imported_by_id,
        )
        Article.objects.filter(pk=article.pk).update(current_revision=revision)
        Claim.objects.filter(article_id=article.pk).update(revision=revision)
        Publication.objects.filter(article_id=article.pk).update(revision=revision)
    if schema_editor.connection.vendor == "postgresql":
        # The foreign keys are checked now, not at the commit: PostgreSQL refuses to alter a
        # table with checks still pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE", params=None)


def no_revisions(apps, schema_editor):
    """Going back forgets the revisions: the claims keep their spans in the current text."""


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0006_claimants"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Lifted for the rebuilt tables (SQLite) and the fill below; 0008 puts them back.
        migrations.RunPython(_record.drop_triggers, _record.create_triggers, elidable=False),
        migrations.RunPython(_public.drop_triggers, _public.create_triggers, elidable=False),
        migrations.CreateModel(
            name="ArticleRevision",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "number",
                    models.PositiveIntegerField(help_text="1 for the first text, then 2, 3..."),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("import", "Imported"),
                            ("file", "Imported from a file"),
                            ("fetch", "Fetched from its address"),
                            ("api", "Sent through the API"),
                            ("edit", "Edited by an admin"),
                            ("restore", "Restored from a native export"),
                        ],
                        max_length=20,
                        validators=[annotations.validators.validate_clean_text],
                    ),
                ),
                ("body", models.TextField(validators=[annotations.validators.validate_clean_text])),
                (
                    "body_sha256",
                    models.CharField(
                        max_length=64, validators=[annotations.validators.validate_clean_text]
                    ),
                ),
                (
                    "title",
                    models.CharField(
                        blank=True,
                        max_length=500,
                        validators=[annotations.validators.validate_clean_text],
                    ),
                ),
                (
                    "publisher",
                    models.CharField(
                        blank=True,
                        max_length=300,
                        validators=[annotations.validators.validate_clean_text],
                    ),
                ),
                (
                    "byline",
                    models.CharField(
                        blank=True,
                        max_length=500,
                        validators=[annotations.validators.validate_clean_text],
                    ),
                ),
                ("published_on", models.DateField(blank=True, null=True)),
                (
                    "language",
                    models.CharField(
                        blank=True,
                        max_length=35,
                        validators=[annotations.validators.validate_clean_text],
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
            ],
            options={
                "ordering": ["article_id", "number"],
            },
        ),
        migrations.CreateModel(
            name="Reanchoring",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("unchanged", "Unchanged"),
                            ("moved", "Moved"),
                            ("edited", "Edited"),
                            ("orphaned", "Orphaned"),
                        ],
                        max_length=20,
                        validators=[annotations.validators.validate_clean_text],
                    ),
                ),
                ("old_start", models.PositiveIntegerField()),
                ("old_end", models.PositiveIntegerField()),
                (
                    "old_quote",
                    models.TextField(validators=[annotations.validators.validate_clean_text]),
                ),
                ("new_start", models.PositiveIntegerField(blank=True, null=True)),
                ("new_end", models.PositiveIntegerField(blank=True, null=True)),
                (
                    "new_quote",
                    models.TextField(
                        blank=True, validators=[annotations.validators.validate_clean_text]
                    ),
                ),
                ("score", models.FloatField(blank=True, null=True)),
                (
                    "reason",
                    models.TextField(
                        blank=True, validators=[annotations.validators.validate_clean_text]
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
            ],
            options={
                "ordering": ["revision_id", "claim_id"],
            },
        ),
        migrations.RemoveConstraint(
            model_name="article",
            name="article_unique_body",
        ),
        migrations.RemoveConstraint(
            model_name="article",
            name="article_unique_source_url",
        ),
        migrations.RemoveField(
            model_name="article",
            name="revision_of",
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
                    ("article_changed", "Article changed after the verdict"),
                    ("reanchor", "Re-anchored in a new revision"),
                    ("reattach", "Re-attached to the new text"),
                ],
                max_length=20,
                validators=[annotations.validators.validate_clean_text],
            ),
        ),
        migrations.AlterField(
            model_name="reviewevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="articlerevision",
            name="article",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="revisions",
                to="annotations.article",
            ),
        ),
        migrations.AddField(
            model_name="articlerevision",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="current_revision",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="annotations.articlerevision",
            ),
        ),
        migrations.AddField(
            model_name="claim",
            name="revision",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="claims",
                to="annotations.articlerevision",
            ),
        ),
        migrations.AddField(
            model_name="publication",
            name="revision",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="annotations.articlerevision",
            ),
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.UniqueConstraint(fields=("body_sha256",), name="article_unique_body"),
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.UniqueConstraint(
                condition=models.Q(("source_url", ""), _negated=True),
                fields=("source_url",),
                name="article_unique_source_url",
                violation_error_message="An article from this source URL is already imported.",
            ),
        ),
        migrations.AddField(
            model_name="reanchoring",
            name="claim",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="reanchorings",
                to="annotations.claim",
            ),
        ),
        migrations.AddField(
            model_name="reanchoring",
            name="from_revision",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="annotations.articlerevision",
            ),
        ),
        migrations.AddField(
            model_name="reanchoring",
            name="revision",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reanchorings",
                to="annotations.articlerevision",
            ),
        ),
        migrations.AddConstraint(
            model_name="articlerevision",
            constraint=models.UniqueConstraint(
                fields=("article", "number"), name="revision_article_number"
            ),
        ),
        migrations.AddConstraint(
            model_name="articlerevision",
            constraint=models.CheckConstraint(
                condition=models.Q(("number__gte", 1)), name="revision_number_positive"
            ),
        ),
        migrations.AddConstraint(
            model_name="articlerevision",
            constraint=models.CheckConstraint(
                condition=models.Q(("body", ""), _negated=True), name="revision_body_not_empty"
            ),
        ),
        migrations.AddConstraint(
            model_name="articlerevision",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("kind__in", ["import", "file", "fetch", "api", "edit", "restore"])
                ),
                name="revision_kind_known",
            ),
        ),
        migrations.AddConstraint(
            model_name="reanchoring",
            constraint=models.UniqueConstraint(
                fields=("claim", "revision"), name="reanchoring_claim_revision"
            ),
        ),
        migrations.AddConstraint(
            model_name="reanchoring",
            constraint=models.CheckConstraint(
                condition=models.Q(("outcome__in", ["unchanged", "moved", "edited", "orphaned"])),
                name="reanchoring_outcome_known",
            ),
        ),
        migrations.AddConstraint(
            model_name="reanchoring",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("new_end__isnull", True),
                        ("new_start__isnull", True),
                        ("outcome", "orphaned"),
                    ),
                    models.Q(
                        models.Q(("outcome", "orphaned"), _negated=True),
                        ("new_end__gt", models.F("new_start")),
                        ("new_start__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="reanchoring_span_iff_placed",
            ),
        ),
        migrations.RunPython(first_revisions, no_revisions, elidable=False),
    ]
