"""Verdict colours reach WCAG AA with the white text of their badges: the field's rule, and
the verdicts still at a retired default colour moved to its replacement. A colour an admin
chose is left as it is; the admin asks for a darker one at its next save."""

from typing import Any

from django.db import migrations, models

import annotations.validators
from annotations.defaults import RETIRED_DEFAULT_COLOURS


def move_retired_defaults(apps: Any, schema_editor: Any) -> None:
    Verdict = apps.get_model("annotations", "Verdict")
    for verdict in Verdict.objects.all():
        replacement = RETIRED_DEFAULT_COLOURS.get(verdict.colour.lower())
        if replacement is not None:
            Verdict.objects.filter(pk=verdict.pk).update(colour=replacement)


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0009_notifications"),
    ]

    operations = [
        migrations.AlterField(
            model_name="verdict",
            name="colour",
            field=models.CharField(
                default="#5f6b6d",
                help_text=(
                    "#RRGGBB. Verdict badges show white text on it, so it must be dark enough "
                    "for WCAG AA contrast (4.5:1)."
                ),
                max_length=7,
                validators=[
                    annotations.validators.validate_clean_text,
                    annotations.validators.validate_verdict_colour,
                ],
            ),
        ),
        # Old colours are not restored on the way back: the new ones pass the old rule too.
        migrations.RunPython(move_retired_defaults, migrations.RunPython.noop, elidable=False),
    ]
