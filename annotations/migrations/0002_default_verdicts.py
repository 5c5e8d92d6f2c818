"""Seed the default rating scale: five numbered steps, plus two verdicts off the scale."""

from django.db import migrations

DEFAULT_SCALE = [
    # label, slug, rating, colour, description
    ("True", "true", 5, "#1a7f37", "The claim is accurate and nothing significant is missing."),
    ("Mostly true", "mostly-true", 4, "#6a9f2a", "Accurate, but needs clarification or context."),
    ("Half true", "half-true", 3, "#c9a227", "Partly accurate; leaves out important details."),
    ("Mostly false", "mostly-false", 2, "#d9782d", "Contains some truth but ignores critical facts."),
    ("False", "false", 1, "#c0392b", "The claim is not accurate."),
    ("Misleading", "misleading", None, "#8e44ad", "Accurate facts presented to give a false impression."),
    ("Unverifiable", "unverifiable", None, "#7f8c8d", "No evidence available can prove or disprove it."),
]


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
