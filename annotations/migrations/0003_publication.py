"""The public record: what each approval and retraction put before the public
(models.Publication), with the rating as it was published."""

import django.core.serializers.json
import django.db.models.deletion
from django.db import migrations, models

import annotations.validators


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0002_record"),
    ]

    operations = [
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
                "indexes": [
                    models.Index(fields=["kind", "published_at"], name="publication_kind_time_idx"),
                    models.Index(
                        fields=["first_published_at", "claim"], name="publication_first_idx"
                    ),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("claim", "number"), name="publication_claim_number"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("number__gte", 1)), name="publication_number_positive"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["published", "corrected", "retracted"])),
                        name="publication_kind_known",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("kind", "published"), ("number", 1)),
                            models.Q(
                                ("number__gt", 1), models.Q(("kind", "published"), _negated=True)
                            ),
                            _connector="OR",
                        ),
                        name="publication_first_is_published",
                    ),
                ],
            },
        ),
    ]
