"""factcheck's schema: the models, then what they cannot declare (_database_objects): the
record's guard and the search indexes of each database."""

import annotations.models.claimants
import annotations.models.search
import annotations.validators
import django.contrib.postgres.search
import django.core.serializers.json
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from annotations.migrations import _database_objects


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Article",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "title",
                    models.CharField(
                        max_length=500,
                        validators=[annotations.validators.validate_clean_text],
                        verbose_name="title",
                    ),
                ),
                (
                    "body",
                    models.TextField(
                        validators=[annotations.validators.validate_clean_text], verbose_name="text"
                    ),
                ),
                (
                    "source_url",
                    models.URLField(
                        blank=True,
                        help_text="Where it was published.",
                        max_length=2000,
                        validators=[
                            annotations.validators.validate_clean_text,
                            annotations.validators.validate_http_url,
                        ],
                        verbose_name="source URL",
                    ),
                ),
                (
                    "publisher",
                    models.CharField(
                        blank=True,
                        max_length=300,
                        validators=[annotations.validators.validate_clean_text],
                        verbose_name="publisher",
                    ),
                ),
                (
                    "byline",
                    models.CharField(
                        blank=True,
                        max_length=500,
                        validators=[annotations.validators.validate_clean_text],
                        verbose_name="byline",
                    ),
                ),
                (
                    "published_on",
                    models.DateField(blank=True, null=True, verbose_name="published on"),
                ),
                (
                    "language",
                    models.CharField(
                        blank=True,
                        help_text="BCP 47 tag, e.g. en or ru.",
                        max_length=35,
                        validators=[annotations.validators.validate_clean_text],
                        verbose_name="language",
                    ),
                ),
                (
                    "body_sha256",
                    models.CharField(
                        editable=False,
                        max_length=64,
                        validators=[annotations.validators.validate_clean_text],
                        verbose_name="SHA-256 of the text",
                    ),
                ),
                (
                    "source_file",
                    models.CharField(
                        blank=True,
                        help_text="File it was imported from.",
                        max_length=500,
                        validators=[annotations.validators.validate_clean_text],
                        verbose_name="source file",
                    ),
                ),
                (
                    "imported_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now,
                        editable=False,
                        validators=[annotations.validators.validate_moment],
                        verbose_name="imported at",
                    ),
                ),
                (
                    "imported_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="imported by",
                    ),
                ),
            ],
            options={
                "verbose_name": "article",
                "verbose_name_plural": "articles",
                "ordering": ["-imported_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="Claim",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("start", models.PositiveIntegerField(verbose_name="start")),
                ("end", models.PositiveIntegerField(verbose_name="end")),
                (
                    "quote",
                    models.TextField(
                        validators=[annotations.validators.validate_clean_text],
                        verbose_name="quote",
                    ),
                ),
                (
                    "prefix",
                    models.CharField(
                        blank=True,
                        max_length=64,
                        validators=[annotations.validators.validate_clean_text],
                        verbose_name="prefix",
                    ),
                ),
                (
                    "suffix",
                    models.CharField(
                        blank=True,
                        max_length=64,
                        validators=[annotations.validators.validate_clean_text],
                        verbose_name="suffix",
                    ),
                ),
                (
                    "claim_text",
                    models.TextField(
                        help_text="The claim as restated for checking.",
                        validators=[annotations.validators.validate_clean_text],
                        verbose_name="claim",
                    ),
                ),
                (
                    "rationale",
                    models.TextField(
                        blank=True,
                        validators=[annotations.validators.validate_clean_text],
                        verbose_name="rationale",
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
                            ("retracted", "Retracted"),
                        ],
                        default="draft",
                        editable=False,
                        max_length=20,
                        validators=[annotations.validators.validate_clean_text],
                        verbose_name="status",
                    ),
                ),
                (
                    "assigned_at",
                    models.DateTimeField(
                        blank=True,
                        editable=False,
                        null=True,
                        validators=[annotations.validators.validate_moment],
                        verbose_name="assigned at",
                    ),
                ),
                (
                    "submitted_at",
                    models.DateTimeField(
                        blank=True,
                        editable=False,
                        null=True,
                        validators=[annotations.validators.validate_moment],
                        verbose_name="submitted at",
                    ),
                ),
                (
                    "published_at",
                    models.DateTimeField(
                        blank=True,
                        editable=False,
                        null=True,
                        validators=[annotations.validators.validate_moment],
                        verbose_name="published at",
                    ),
                ),
                (
                    "version",
                    models.PositiveIntegerField(
                        default=1,
                        editable=False,
                        validators=[django.core.validators.MaxValueValidator(2147483647)],
                        verbose_name="version",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now,
                        editable=False,
                        validators=[annotations.validators.validate_moment],
                        verbose_name="created at",
                    ),
                ),
                (
                    "updated_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now,
                        editable=False,
                        validators=[annotations.validators.validate_moment],
                        verbose_name="updated at",
                    ),
                ),
                (
                    "article",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="claims",
                        to="annotations.article",
                        verbose_name="article",
                    ),
                ),
                (
                    "author",
                    models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="claims",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="author",
                    ),
                ),
                (
                    "repeat_of",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="repeats",
                        to="annotations.claim",
                        verbose_name="repeat of",
                    ),
                ),
                (
                    "reviewer",
                    models.ForeignKey(
                        blank=True,
                        db_index=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="reviewed_claims",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="reviewer",
                    ),
                ),
            ],
            options={
                "verbose_name": "claim",
                "verbose_name_plural": "claims",
                "ordering": ["article_id", "start", "end", "id"],
            },
        ),
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
                (
                    "article",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="revisions",
                        to="annotations.article",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["article_id", "number"],
            },
        ),
        migrations.CreateModel(
            name="DisplaySettings",
            fields=[
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="display_settings",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "time_zone",
                    models.CharField(
                        blank=True,
                        help_text="An IANA zone such as Europe/Paris; empty follows the browser.",
                        max_length=64,
                        validators=[
                            annotations.validators.validate_clean_text,
                            annotations.validators.validate_time_zone,
                        ],
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        blank=True,
                        choices=[("en", "English"), ("fr", "Français")],
                        help_text="The language of the desk's pages; empty follows the browser.",
                        max_length=8,
                        validators=[annotations.validators.validate_clean_text],
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "display settings",
            },
        ),
        migrations.CreateModel(
            name="NotificationSettings",
            fields=[
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="notification_settings",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "email",
                    models.BooleanField(
                        default=True,
                        help_text="Send an e-mail for each notice, besides showing it here.",
                        verbose_name="E-mail me",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "notification settings",
            },
        ),
        migrations.CreateModel(
            name="Verdict",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "label",
                    models.CharField(
                        max_length=100,
                        unique=True,
                        validators=[annotations.validators.validate_clean_text],
                        verbose_name="label",
                    ),
                ),
                (
                    "slug",
                    models.SlugField(
                        max_length=100,
                        unique=True,
                        validators=[annotations.validators.validate_clean_text],
                        verbose_name="slug",
                    ),
                ),
                (
                    "rating",
                    models.SmallIntegerField(
                        blank=True,
                        help_text="Position on the numeric scale; higher means more true.",
                        null=True,
                        verbose_name="rating",
                    ),
                ),
                (
                    "description",
                    models.TextField(
                        blank=True,
                        validators=[annotations.validators.validate_clean_text],
                        verbose_name="description",
                    ),
                ),
                (
                    "colour",
                    models.CharField(
                        default="#5f6b6d",
                        help_text="#RRGGBB. Verdict badges show white text on it, so it must be dark enough for WCAG AA contrast (4.5:1).",
                        max_length=7,
                        validators=[
                            annotations.validators.validate_clean_text,
                            annotations.validators.validate_verdict_colour,
                        ],
                        verbose_name="colour",
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
            ],
            options={
                "verbose_name": "verdict",
                "verbose_name_plural": "verdicts",
                "ordering": ["order", "id"],
            },
        ),
        migrations.CreateModel(
            name="ArticleFts",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        db_column="rowid",
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="fts",
                        serialize=False,
                        to="annotations.article",
                    ),
                ),
                (
                    "document",
                    annotations.models.search.FtsText(
                        validators=[annotations.validators.validate_clean_text]
                    ),
                ),
            ],
            options={
                "db_table": "annotations_article_fts",
                "managed": False,
            },
        ),
        migrations.CreateModel(
            name="ArticleSearch",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search",
                        serialize=False,
                        to="annotations.article",
                    ),
                ),
                (
                    "document",
                    models.TextField(validators=[annotations.validators.validate_clean_text]),
                ),
                (
                    "vector",
                    models.GeneratedField(
                        db_persist=True,
                        expression=annotations.models.search.SimpleVector("document"),
                        output_field=django.contrib.postgres.search.SearchVectorField(),
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="ClaimFts",
            fields=[
                (
                    "claim",
                    models.OneToOneField(
                        db_column="rowid",
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="fts",
                        serialize=False,
                        to="annotations.claim",
                    ),
                ),
                (
                    "document",
                    annotations.models.search.FtsText(
                        validators=[annotations.validators.validate_clean_text]
                    ),
                ),
            ],
            options={
                "db_table": "annotations_claim_fts",
                "managed": False,
            },
        ),
        migrations.AddField(
            model_name="claim",
            name="revision",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="claims",
                to="annotations.articlerevision",
                verbose_name="revision",
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
                verbose_name="current revision",
            ),
        ),
        migrations.CreateModel(
            name="Claimant",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        max_length=300,
                        validators=[annotations.validators.validate_clean_text],
                        verbose_name="name",
                    ),
                ),
                (
                    "name_key",
                    models.CharField(
                        editable=False,
                        max_length=300,
                        validators=[annotations.validators.validate_clean_text],
                        verbose_name="name key",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("Person", "Person"), ("Organization", "Organisation")],
                        default="Person",
                        max_length=20,
                        validators=[annotations.validators.validate_clean_text],
                        verbose_name="kind",
                    ),
                ),
                (
                    "description",
                    models.TextField(
                        blank=True,
                        validators=[annotations.validators.validate_clean_text],
                        verbose_name="description",
                    ),
                ),
                (
                    "same_as",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="Pages that identify the claimant, such as their Wikidata item.",
                        validators=[annotations.models.claimants.validate_same_as],
                        verbose_name="same as",
                    ),
                ),
                (
                    "kind_unconfirmed",
                    models.BooleanField(default=False, verbose_name="kind not confirmed"),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now,
                        editable=False,
                        validators=[annotations.validators.validate_moment],
                        verbose_name="created at",
                    ),
                ),
                (
                    "updated_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now,
                        editable=False,
                        validators=[annotations.validators.validate_moment],
                        verbose_name="updated at",
                    ),
                ),
                (
                    "merged_into",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="merged",
                        to="annotations.claimant",
                        verbose_name="merged into",
                    ),
                ),
            ],
            options={
                "verbose_name": "claimant",
                "verbose_name_plural": "claimants",
                "ordering": ["name_key", "id"],
            },
        ),
        migrations.AddField(
            model_name="claim",
            name="claimant",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="claims",
                to="annotations.claimant",
                verbose_name="claimant",
            ),
        ),
        migrations.CreateModel(
            name="ClaimantMerge",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "merged_name",
                    models.CharField(
                        max_length=300, validators=[annotations.validators.validate_clean_text]
                    ),
                ),
                ("claim_ids", models.JSONField(blank=True, default=list)),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now,
                        editable=False,
                        validators=[annotations.validators.validate_moment],
                    ),
                ),
                (
                    "actor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "kept",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="merges",
                        to="annotations.claimant",
                    ),
                ),
                (
                    "merged",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="annotations.claimant",
                    ),
                ),
            ],
            options={
                "ordering": ["created_at", "id"],
            },
        ),
        migrations.CreateModel(
            name="KnownClaim",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("start", models.PositiveIntegerField()),
                ("end", models.PositiveIntegerField()),
                ("score", models.FloatField()),
                (
                    "matched_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now,
                        validators=[annotations.validators.validate_moment],
                    ),
                ),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="known_claims",
                        to="annotations.article",
                    ),
                ),
                (
                    "claim",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="known_in",
                        to="annotations.claim",
                    ),
                ),
            ],
            options={
                "ordering": ["article_id", "start", "-score", "id"],
            },
        ),
        migrations.CreateModel(
            name="Notification",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("changes_requested", "Changes requested"),
                            ("rejected", "Rejected"),
                            ("published", "Approved and published"),
                            ("corrected", "Correction approved and published"),
                            ("reopened", "Reopened for correction"),
                            ("retracted", "Retracted"),
                            ("article_changed", "Sent back to review: the article changed"),
                        ],
                        max_length=30,
                        validators=[annotations.validators.validate_clean_text],
                    ),
                ),
                (
                    "comment",
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
                (
                    "read_at",
                    models.DateTimeField(
                        blank=True, null=True, validators=[annotations.validators.validate_moment]
                    ),
                ),
                (
                    "emailed_at",
                    models.DateTimeField(
                        blank=True, null=True, validators=[annotations.validators.validate_moment]
                    ),
                ),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "claim",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to="annotations.claim",
                    ),
                ),
                (
                    "recipient",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-id"],
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
                    "reason_code",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("context_changed", "context_changed"),
                            ("moved_with_context", "moved_with_context"),
                            ("moved_alone", "moved_alone"),
                            ("several_places", "several_places"),
                            ("passage_deleted", "passage_deleted"),
                            ("passage_rewritten", "passage_rewritten"),
                            ("too_different", "too_different"),
                            ("rival_passage", "rival_passage"),
                            ("spacing_changed", "spacing_changed"),
                            ("words_edited", "words_edited"),
                        ],
                        max_length=30,
                        validators=[annotations.validators.validate_clean_text],
                    ),
                ),
                ("reason_values", models.JSONField(blank=True, default=dict)),
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
                (
                    "claim",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reanchorings",
                        to="annotations.claim",
                    ),
                ),
                (
                    "from_revision",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="annotations.articlerevision",
                    ),
                ),
                (
                    "revision",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reanchorings",
                        to="annotations.articlerevision",
                    ),
                ),
            ],
            options={
                "ordering": ["revision_id", "claim_id"],
            },
        ),
        migrations.CreateModel(
            name="ReviewEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "action",
                    models.CharField(
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
                        verbose_name="action",
                    ),
                ),
                (
                    "from_status",
                    models.CharField(
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
                        verbose_name="from status",
                    ),
                ),
                (
                    "to_status",
                    models.CharField(
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
                        verbose_name="to status",
                    ),
                ),
                (
                    "comment",
                    models.TextField(
                        blank=True,
                        validators=[annotations.validators.validate_clean_text],
                        verbose_name="comment",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now,
                        editable=False,
                        validators=[annotations.validators.validate_moment],
                        verbose_name="created at",
                    ),
                ),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="actor",
                    ),
                ),
                (
                    "claim",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="annotations.claim",
                        verbose_name="claim",
                    ),
                ),
            ],
            options={
                "verbose_name": "review event",
                "verbose_name_plural": "review events",
                "ordering": ["created_at", "id"],
            },
        ),
        migrations.CreateModel(
            name="Source",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "url",
                    models.URLField(
                        max_length=2000,
                        validators=[
                            annotations.validators.validate_clean_text,
                            annotations.validators.validate_http_url,
                        ],
                        verbose_name="URL",
                    ),
                ),
                (
                    "title",
                    models.CharField(
                        blank=True,
                        max_length=500,
                        validators=[annotations.validators.validate_clean_text],
                        verbose_name="title",
                    ),
                ),
                (
                    "publisher",
                    models.CharField(
                        blank=True,
                        max_length=300,
                        validators=[annotations.validators.validate_clean_text],
                        verbose_name="publisher",
                    ),
                ),
                (
                    "published_on",
                    models.DateField(
                        blank=True,
                        help_text="When it was published.",
                        null=True,
                        verbose_name="published on",
                    ),
                ),
                (
                    "accessed_on",
                    models.DateField(blank=True, null=True, verbose_name="accessed on"),
                ),
                (
                    "archive_url",
                    models.URLField(
                        blank=True,
                        max_length=2000,
                        validators=[
                            annotations.validators.validate_clean_text,
                            annotations.validators.validate_http_url,
                        ],
                        verbose_name="archive URL",
                    ),
                ),
                (
                    "passage",
                    models.TextField(
                        blank=True,
                        help_text="The passage relied on.",
                        validators=[annotations.validators.validate_clean_text],
                        verbose_name="passage",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("primary", "Primary document"),
                            ("official", "Official statement"),
                            ("news", "News report"),
                            ("expert", "Expert"),
                            ("dataset", "Dataset"),
                            ("other", "Other"),
                        ],
                        default="other",
                        max_length=20,
                        validators=[annotations.validators.validate_clean_text],
                        verbose_name="kind",
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                (
                    "claim",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sources",
                        to="annotations.claim",
                        verbose_name="claim",
                    ),
                ),
            ],
            options={
                "verbose_name": "source",
                "verbose_name_plural": "sources",
                "ordering": ["claim_id", "position", "id"],
            },
        ),
        migrations.CreateModel(
            name="Publication",
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
                        help_text="1 for the first publication, then 2, 3..."
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("published", "Published"),
                            ("corrected", "Corrected"),
                            ("retracted", "Retracted"),
                        ],
                        max_length=20,
                        validators=[annotations.validators.validate_clean_text],
                    ),
                ),
                (
                    "published_at",
                    models.DateTimeField(validators=[annotations.validators.validate_moment]),
                ),
                (
                    "first_published_at",
                    models.DateTimeField(validators=[annotations.validators.validate_moment]),
                ),
                (
                    "note",
                    models.TextField(
                        blank=True,
                        help_text="A correction's note (what changed and why) or a retraction's reason.",
                        validators=[annotations.validators.validate_clean_text],
                    ),
                ),
                ("start", models.PositiveIntegerField()),
                ("end", models.PositiveIntegerField()),
                (
                    "quote",
                    models.TextField(validators=[annotations.validators.validate_clean_text]),
                ),
                (
                    "claim_text",
                    models.TextField(validators=[annotations.validators.validate_clean_text]),
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
                (
                    "sources",
                    models.JSONField(
                        blank=True,
                        default=list,
                        encoder=django.core.serializers.json.DjangoJSONEncoder,
                    ),
                ),
                (
                    "verdict_label",
                    models.CharField(
                        blank=True,
                        max_length=100,
                        validators=[annotations.validators.validate_clean_text],
                    ),
                ),
                (
                    "verdict_description",
                    models.TextField(
                        blank=True, validators=[annotations.validators.validate_clean_text]
                    ),
                ),
                ("rating_value", models.SmallIntegerField(blank=True, null=True)),
                ("best_rating", models.SmallIntegerField(blank=True, null=True)),
                ("worst_rating", models.SmallIntegerField(blank=True, null=True)),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="annotations.article",
                    ),
                ),
                (
                    "claim",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="publications",
                        to="annotations.claim",
                    ),
                ),
                (
                    "revision",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="annotations.articlerevision",
                    ),
                ),
                (
                    "verdict",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="publications",
                        to="annotations.verdict",
                    ),
                ),
            ],
            options={
                "ordering": ["claim_id", "number"],
            },
        ),
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
                        validators=[django.core.validators.MaxValueValidator(2147483647)],
                        verbose_name="number",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now,
                        editable=False,
                        validators=[annotations.validators.validate_moment],
                        verbose_name="created at",
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
                        verbose_name="claimant",
                    ),
                ),
                (
                    "rationale",
                    models.TextField(
                        blank=True,
                        validators=[annotations.validators.validate_clean_text],
                        verbose_name="rationale",
                    ),
                ),
                ("sources", models.JSONField(blank=True, default=list, verbose_name="sources")),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="author",
                    ),
                ),
                (
                    "claim",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="versions",
                        to="annotations.claim",
                        verbose_name="claim",
                    ),
                ),
                (
                    "verdict",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="annotations.verdict",
                        verbose_name="verdict",
                    ),
                ),
            ],
            options={
                "verbose_name": "claim version",
                "verbose_name_plural": "claim versions",
                "ordering": ["claim_id", "number"],
            },
        ),
        migrations.AddField(
            model_name="claim",
            name="verdict",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="claims",
                to="annotations.verdict",
                verbose_name="verdict",
            ),
        ),
        migrations.CreateModel(
            name="ClaimSearch",
            fields=[
                (
                    "claim",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search",
                        serialize=False,
                        to="annotations.claim",
                    ),
                ),
                (
                    "document",
                    models.TextField(validators=[annotations.validators.validate_clean_text]),
                ),
                (
                    "claim_key",
                    models.TextField(validators=[annotations.validators.validate_clean_text]),
                ),
                (
                    "numbers",
                    models.TextField(
                        blank=True, validators=[annotations.validators.validate_clean_text]
                    ),
                ),
                (
                    "names",
                    models.TextField(
                        blank=True, validators=[annotations.validators.validate_clean_text]
                    ),
                ),
                (
                    "vector",
                    models.GeneratedField(
                        db_persist=True,
                        expression=annotations.models.search.SimpleVector("document"),
                        output_field=django.contrib.postgres.search.SearchVectorField(),
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["numbers"], name="claimsearch_numbers_idx")],
            },
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
        migrations.AddConstraint(
            model_name="article",
            constraint=models.CheckConstraint(
                condition=models.Q(("body", ""), _negated=True), name="article_body_not_empty"
            ),
        ),
        migrations.AddConstraint(
            model_name="claimant",
            constraint=models.UniqueConstraint(
                condition=models.Q(("merged_into__isnull", True)),
                fields=("name_key",),
                name="claimant_live_name_unique",
                violation_error_message="A claimant with this name exists already.",
            ),
        ),
        migrations.AddConstraint(
            model_name="claimant",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind__in", ["Person", "Organization"])),
                name="claimant_kind_known",
            ),
        ),
        migrations.AddConstraint(
            model_name="claimant",
            constraint=models.CheckConstraint(
                condition=models.Q(("name_key", ""), _negated=True), name="claimant_name_not_empty"
            ),
        ),
        migrations.AddConstraint(
            model_name="claimant",
            constraint=models.CheckConstraint(
                condition=models.Q(("merged_into", models.F("id")), _negated=True),
                name="claimant_not_merged_into_itself",
            ),
        ),
        migrations.AddConstraint(
            model_name="knownclaim",
            constraint=models.UniqueConstraint(
                fields=("article", "start", "end", "claim"), name="known_claim_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="knownclaim",
            constraint=models.CheckConstraint(
                condition=models.Q(("start__lt", models.F("end"))),
                name="known_claim_span_not_empty",
            ),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                fields=["recipient", "-created_at", "-id"], name="notification_list_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
        ),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "kind__in",
                        [
                            "changes_requested",
                            "rejected",
                            "published",
                            "corrected",
                            "reopened",
                            "retracted",
                            "article_changed",
                        ],
                    )
                ),
                name="notification_kind_known",
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
        migrations.AddIndex(
            model_name="reviewevent",
            index=models.Index(fields=["claim", "created_at"], name="event_claim_idx"),
        ),
        migrations.AddConstraint(
            model_name="source",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("kind__in", ["primary", "official", "news", "expert", "dataset", "other"])
                ),
                name="source_kind_known",
            ),
        ),
        migrations.AddConstraint(
            model_name="source",
            constraint=models.CheckConstraint(
                condition=models.Q(("url", ""), _negated=True), name="source_url_not_empty"
            ),
        ),
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(fields=["kind", "published_at"], name="publication_kind_time_idx"),
        ),
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(
                fields=["first_published_at", "claim"], name="publication_first_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="publication",
            constraint=models.UniqueConstraint(
                fields=("claim", "number"), name="publication_claim_number"
            ),
        ),
        migrations.AddConstraint(
            model_name="publication",
            constraint=models.CheckConstraint(
                condition=models.Q(("number__gte", 1)), name="publication_number_positive"
            ),
        ),
        migrations.AddConstraint(
            model_name="publication",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind__in", ["published", "corrected", "retracted"])),
                name="publication_kind_known",
            ),
        ),
        migrations.AddConstraint(
            model_name="publication",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("kind", "published"), ("number", 1)),
                    models.Q(("number__gt", 1), models.Q(("kind", "published"), _negated=True)),
                    _connector="OR",
                ),
                name="publication_first_is_published",
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
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["status", "submitted_at"], name="claim_queue_idx"),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                fields=["article", "start", "end", "id"], name="claim_document_order_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                fields=["status", "article", "start", "end", "id", "author"],
                name="claim_status_order_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["status", "author"], name="claim_count_idx"),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                fields=["reviewer", "status", "submitted_at", "id"], name="claim_held_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["status", "assigned_at"], name="claim_lease_idx"),
        ),
        migrations.AddConstraint(
            model_name="claim",
            constraint=models.CheckConstraint(
                condition=models.Q(("start__gte", 0)), name="claim_start_not_negative"
            ),
        ),
        migrations.AddConstraint(
            model_name="claim",
            constraint=models.CheckConstraint(
                condition=models.Q(("start__lt", models.F("end"))), name="claim_span_not_empty"
            ),
        ),
        migrations.AddConstraint(
            model_name="claim",
            constraint=models.CheckConstraint(
                condition=models.Q(("quote", ""), _negated=True), name="claim_quote_not_empty"
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
        migrations.AddConstraint(
            model_name="claim",
            constraint=models.CheckConstraint(
                condition=models.Q(("version__gte", 1)), name="claim_version_positive"
            ),
        ),
        migrations.RunPython(
            _database_objects.create_search_indexes,
            _database_objects.drop_search_indexes,
            elidable=False,
        ),
        migrations.RunPython(
            _database_objects.create_guard, _database_objects.drop_guard, elidable=False
        ),
    ]
