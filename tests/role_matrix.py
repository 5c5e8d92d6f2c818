"""Who may take which review action, as an independent table that every way in (service,
pages, API, admin, commands) is tested against. Keep it in step with the issue, not with
annotations/permissions.py: it is the specification the code is checked against.

Actors are named relative to the claim: its author (an editor, or a reviewer/admin who wrote
it), another editor, a reviewer, an admin, and a signed-in user without a role.
"""

ACTORS = (
    "author",
    "other_editor",
    "reviewer",
    "admin",
    "no_role",
    "reviewer_author",
    "admin_author",
)

# action -> the status the claim is in when the action is tried -> actors allowed.
# author / reviewer_author / admin_author all mean "the person who wrote the claim".
ALLOWED = {
    "submit": ("draft", {"author", "reviewer_author", "admin_author"}),
    "withdraw": ("submitted", {"author", "reviewer_author", "admin_author"}),
    "approve": ("submitted", {"reviewer", "admin"}),
    "reject": ("submitted", {"reviewer", "admin"}),
    "request_changes": ("submitted", {"reviewer", "admin"}),
    "reopen": ("approved", {"admin", "admin_author"}),
    # Nothing submitted is deleted; an admin retracts it, from any state past draft.
    "retract": ("approved", {"admin", "admin_author"}),
}

# The other states an action starts from, with the same people allowed.
ALSO_FROM = {
    "submit": ("changes_requested",),
    "retract": ("submitted", "rejected", "changes_requested"),
}
