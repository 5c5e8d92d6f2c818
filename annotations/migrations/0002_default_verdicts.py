"""Seed the default rating scale."""

from django.db import migrations

from annotations.defaults import DEFAULT_SCALE


def add_scale(apps, schema_editor):
    Verdict = apps.get_model("annotations", "Verdict")
    for order, (label, slug, rating, colour, description) in enumerate(DEFAULT_SCALE):
        Verdict.objects.get_or_create(
            slug=slug,
            defaults={
                "label": label,
                "rating": rating,
                "colour": colour,
                "description": description,
                "order": order,
            },
        )


def remove_scale(apps, schema_editor):
    Verdict = apps.get_model("annotations", "Verdict")
    Verdict.objects.filter(slug__in=[row[1] for row in DEFAULT_SCALE], claims__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("annotations", "0001_initial")]
    operations = [migrations.RunPython(add_scale, remove_scale)]
