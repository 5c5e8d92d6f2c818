"""The rating scale a new desk starts with: five numbered steps, plus two verdicts off the
scale. Admins change it in the admin; it is seeded again only when the scale is empty.

Each colour carries the white text of a verdict badge at WCAG AA contrast
(annotations.validators.validate_verdict_colour)."""

DEFAULT_SCALE = [
    # label, slug, rating, colour, description
    ("True", "true", 5, "#1a7f37", "The claim is accurate and nothing significant is missing."),
    ("Mostly true", "mostly-true", 4, "#4f7a1c", "Accurate, but needs clarification or context."),
    ("Half true", "half-true", 3, "#8a6a00", "Partly accurate; leaves out important details."),
    (
        "Mostly false",
        "mostly-false",
        2,
        "#b45309",
        "Contains some truth but ignores critical facts.",
    ),
    ("False", "false", 1, "#c0392b", "The claim is not accurate."),
    (
        "Misleading",
        "misleading",
        None,
        "#8e44ad",
        "Accurate facts presented to give a false impression.",
    ),
    (
        "Unverifiable",
        "unverifiable",
        None,
        "#5f6b6d",
        "No evidence available can prove or disprove it.",
    ),
]

# A colour a new verdict gets when none is given.
DEFAULT_VERDICT_COLOUR = "#5f6b6d"

# The default colours before they were checked for contrast, and their replacements: a
# verdict still at one of them is moved on by migration 0006, and a native file exported
# before then is read with the replacement. A colour an admin chose is never changed.
RETIRED_DEFAULT_COLOURS = {
    "#6a9f2a": "#4f7a1c",
    "#c9a227": "#8a6a00",
    "#d9782d": "#b45309",
    "#7f8c8d": "#5f6b6d",
    "#888888": DEFAULT_VERDICT_COLOUR,
}


def modern_colour(colour: str) -> str:
    """`colour`, or its replacement when it is one of the retired default colours."""
    return RETIRED_DEFAULT_COLOURS.get(colour.lower(), colour)
