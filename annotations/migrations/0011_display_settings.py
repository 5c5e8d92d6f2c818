import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import annotations.validators


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0010_verdict_colour_contrast"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
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
    ]
