"""The rating scale a new desk starts with: five numbered steps, plus two verdicts off the
scale. Admins change it in the admin; it is seeded again only when the scale is empty."""

DEFAULT_SCALE = [
    # label, slug, rating, colour, description
    ("True", "true", 5, "#1a7f37", "The claim is accurate and nothing significant is missing."),
    ("Mostly true", "mostly-true", 4, "#6a9f2a", "Accurate, but needs clarification or context."),
    ("Half true", "half-true", 3, "#c9a227", "Partly accurate; leaves out important details."),
    (
        "Mostly false",
        "mostly-false",
        2,
        "#d9782d",
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
        "#7f8c8d",
        "No evidence available can prove or disprove it.",
    ),
]
