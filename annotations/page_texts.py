"""The sentences the annotation page's scripts show, for translation. The page data carries
each one the reader's language translates (page_texts()), keyed by its English text, which is
what the scripts write (annotations/static/annotations/texts.js: t("...")); a sentence not
listed here, or not translated, is shown in English. {name} marks a value the script puts in.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

PAGE_TEXTS: tuple[str, ...] = (
    # article-page.js
    gettext_noop("Select a passage of the text to record a claim."),
    gettext_noop("Selected {count} characters. Press “New claim” to record a claim."),
    gettext_noop("Delete this draft claim?"),
    gettext_noop("The draft and its sources are deleted for good."),
    gettext_noop("Delete the draft"),
    gettext_noop("Keep it"),
    gettext_noop("Discard your changes?"),
    gettext_noop("What you typed in the open claim form has not been saved."),
    gettext_noop("Discard changes"),
    gettext_noop("Keep editing"),
    # claim-form.js
    gettext_noop("New claim"),
    gettext_noop("Edit claim #{id}"),
    gettext_noop("Save draft"),
    gettext_noop("Save changes"),
    gettext_noop("Nothing was sent."),
    gettext_noop(
        "A correction note is required: this claim was published, so say what changed and why."
    ),
    gettext_noop("The claim could not be saved."),
    gettext_noop("Restored what you typed on {when}. It is not saved yet: save it, or discard it."),
    gettext_noop("Restored what you typed. It is not saved yet: save it, or discard it."),
    # claim-panel.js
    gettext_noop("by {actor}"),
    gettext_noop("Claimant"),
    gettext_noop("Rationale"),
    gettext_noop("Author"),
    gettext_noop("archived copy"),
    gettext_noop("Edit"),
    gettext_noop("Send for review"),
    gettext_noop("Withdraw"),
    gettext_noop("Delete"),
    gettext_noop("Review"),
    gettext_noop("Reopen or retract"),
    gettext_noop("Public page"),
    gettext_noop("Show in text"),
    gettext_noop("Nothing for you to do on this claim."),
    # panel-filters.js
    gettext_noop("All statuses"),
    gettext_noop("All verdicts"),
    gettext_noop("All authors"),
    gettext_noop("Not decided yet"),
    gettext_noop("Showing {shown} of {total} claims."),
    gettext_noop("{total} claims."),
    # conflict.js
    gettext_noop("(not decided yet)"),
    gettext_noop("Claim"),
    gettext_noop("Verdict"),
    gettext_noop("Sources"),
    gettext_noop("{label} (the same in both)"),
    gettext_noop("(empty)"),
    gettext_noop("Saved version"),
    gettext_noop("Yours, not saved"),
    gettext_noop(
        "The saved version is version {version} ({status}), saved since you opened the form."
    ),
    # hover-card.js and highlights.js
    gettext_noop("No verdict yet"),
    gettext_noop("By {author}"),
    gettext_noop("{count} claims on this passage"),
    gettext_noop("Claim: {text}"),
    gettext_noop("Status: {status}"),
    gettext_noop("Verdict: {verdict}"),
    gettext_noop("not decided"),
    # api.js
    gettext_noop("The server could not be reached. Nothing was saved; try again."),
    gettext_noop("The server answered {status} {reason}."),
    gettext_noop("The server answered {status}."),
    # claimant-picker.js
    gettext_noop("person"),
    gettext_noop("organisation"),
    gettext_noop("Known claimant ({kind})."),
    gettext_noop("New claimant: it is added when the claim is saved."),
    # checked-before.js
    gettext_noop("Checked before?"),
    gettext_noop("Checked before? Published fact-checks that say the same:"),
    gettext_noop("no verdict"),
    gettext_noop("(score {score})"),
    gettext_noop(
        "This passage already carries claim {ids}: check the list of claims before saving another."
    ),
    gettext_noop(
        "This passage already carries claims {ids}: check the list of claims before saving another."
    ),
    gettext_noop("Select this sentence in the text"),
    # reattach.js
    gettext_noop(
        "Select the passage of the article this claim refers to now, then press the button."
    ),
    gettext_noop("Not re-attached: {reason}"),
)


def page_texts() -> dict[str, str]:
    """Each sentence of PAGE_TEXTS the active language translates, by its English text."""
    translated = {text: gettext(text) for text in PAGE_TEXTS}
    return {text: words for text, words in translated.items() if words != text}
