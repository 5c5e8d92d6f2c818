"""The annotation page in a real Chromium: selecting text, recording claims, and reading
them back from the server character by character."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from annotations import services
from annotations.models import Article, Claim
from annotations.roles import Role
from tests.browser.selecting import select_phrase_with_mouse, selected_text
from tests.factories import ArticleFactory, make_claim, make_user


@pytest.fixture
def desk(verdict_scale: None) -> dict[str, Any]:
    return {
        "editor": make_user(Role.EDITOR, "ed"),
        "editor2": make_user(Role.EDITOR, "ed2"),
        "admin": make_user(Role.ADMIN, "boss"),
    }


def imported(desk: dict[str, Any], body: str, title: str = "Imported") -> Article:
    return services.article_import(title=title, body=body, imported_by=desk["admin"]).article


def fill_new_claim(page: Page, **values: str) -> None:
    for label, value in values.items():
        page.get_by_label(label.replace("_", " "), exact=True).first.fill(value)


def test_editor_selects_with_mouse_and_records_a_claim_that_survives_reload(
    open_page: Any, desk: dict[str, Any]
) -> None:
    article = ArticleFactory()
    page = open_page(desk["editor"], f"/articles/{article.pk}/")
    phrase = "unemployment had fallen by half since 2020"
    start, end = select_phrase_with_mouse(page, article.body, phrase)
    assert selected_text(page) == phrase
    page.get_by_role("button", name="New claim").click()

    expect(page.get_by_label("Claim", exact=True)).to_have_value(phrase)
    page.get_by_label("Claimant", exact=True).fill("The mayor")
    page.get_by_label("Verdict", exact=True).select_option(label="False")
    page.get_by_label("Rationale", exact=True).fill("The labour survey shows a 12% fall.")
    page.get_by_label("Source URL", exact=True).fill("https://stats.example.org/labour")
    page.get_by_label("Source title", exact=True).fill("Labour survey 2024")
    page.get_by_role("button", name="Save draft").click()

    mark = page.locator("#article-text mark.claim-mark")
    expect(mark).to_have_text(phrase)
    claim = Claim.objects.get()
    assert (claim.start, claim.end, claim.quote) == (start, end, phrase)
    assert claim.status == "draft" and claim.author == desk["editor"]
    assert [(s.url, s.title) for s in claim.sources.all()] == [
        ("https://stats.example.org/labour", "Labour survey 2024")
    ]

    page.reload()
    expect(page.locator("#article-text mark.claim-mark")).to_have_text(phrase)
    assert page.locator("#article-text").text_content() == article.body


def record_draft(page: Page, body: str, phrase: str) -> Claim:
    """Select `phrase` with the mouse, save it as a draft, and return the stored claim."""
    before = set(Claim.objects.values_list("pk", flat=True))
    select_phrase_with_mouse(page, body, phrase)
    assert selected_text(page) == phrase
    page.get_by_role("button", name="New claim").click()
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#claim-form")).to_be_hidden()
    (claim,) = Claim.objects.exclude(pk__in=before)
    return claim


ASTRAL = (
    "Fans 🎉🎉 cheered; the 🇺🇦🇫🇷 flags flew and 𝒳 marked the spot.\n"
    "👩‍👩‍👧 The minister said exports rose 40% in 2023.\n"
)
CYRILLIC = (
    "Министр заявил, что безработица снизилась вдвое с 2020 года.\n"
    "Критики отметили, что отчёт не опубликован.\n"
)
CRLF = (
    "First line of the statement.\r\n"
    "The agency reported 1,200 new jobs in March.\r\n"
    "\r\n"
    "A last paragraph.\r\n"
)


@pytest.mark.parametrize(
    ("body", "phrase"),
    [
        (ASTRAL, "exports rose 40% in 2023"),
        (ASTRAL, "🇫🇷 flags flew and 𝒳"),
        (CYRILLIC, "безработица снизилась вдвое"),
        (CRLF, "1,200 new jobs in March"),
        (CRLF, "March.\r\n\r\nA last"),
    ],
    ids=["after-emoji", "astral-at-both-edges", "cyrillic", "crlf", "crlf-across-lines"],
)
def test_stored_claim_has_exactly_the_selected_characters(
    open_page: Any, desk: dict[str, Any], body: str, phrase: str
) -> None:
    article = imported(desk, body)
    # The import turns CRLF into LF; the page shows (and the reader selects) the stored text.
    phrase = phrase.replace("\r\n", "\n")
    page = open_page(desk["editor"], f"/articles/{article.pk}/")
    assert page.locator("#article-text").text_content() == article.body

    claim = record_draft(page, article.body, phrase)

    assert claim.quote == phrase
    assert article.body[claim.start : claim.end] == phrase
    assert claim.start == article.body.index(phrase)
    page.reload()
    expect(page.locator("#article-text mark.claim-mark")).to_have_text(phrase)


def set_selection(page: Page, script: str) -> None:
    """Run `script` (which receives the text container and the title) to place a selection."""
    page.evaluate(
        "(script) => { const text = document.getElementById('article-text');"
        " const title = document.getElementById('article-title');"
        " const selection = document.getSelection(); selection.removeAllRanges();"
        " const range = document.createRange(); new Function('text', 'title', 'range', script)"
        "(text, title, range); selection.addRange(range); }",
        script,
    )


def test_selection_reaching_outside_the_article_text_is_clipped_to_it(
    open_page: Any, desk: dict[str, Any]
) -> None:
    article = ArticleFactory()
    page = open_page(desk["editor"], f"/articles/{article.pk}/")
    # From inside the title to the end of the first sentence.
    first_sentence = article.body.split("\n")[0]
    set_selection(
        page,
        "range.setStart(title.firstChild, 3);"
        f"range.setEnd(text.firstChild, {len(first_sentence)});",
    )
    page.get_by_role("button", name="New claim").click()
    expect(page.get_by_label("Claim", exact=True)).to_have_value(first_sentence)
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#claim-form")).to_be_hidden()
    claim = Claim.objects.get()
    assert (claim.start, claim.end, claim.quote) == (0, len(first_sentence), first_sentence)

    # From the last sentence to past the end of the article (into the side panel).
    last = article.body.rstrip("\n").split("\n")[-1]
    set_selection(
        page,
        f"range.setStart(text.lastChild, text.lastChild.data.length - {len(last) + 1});"
        "range.setEndAfter(document.getElementById('claims-heading'));",
    )
    page.get_by_role("button", name="New claim").click()
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#claim-form")).to_be_hidden()
    newest = Claim.objects.latest("pk")
    assert newest.quote == last
    assert article.body[newest.start : newest.end] == last


def test_an_empty_or_blank_selection_offers_no_new_claim(
    open_page: Any, desk: dict[str, Any]
) -> None:
    article = ArticleFactory()
    page = open_page(desk["editor"], f"/articles/{article.pk}/")
    new_claim = page.get_by_role("button", name="New claim")
    expect(new_claim).to_be_disabled()
    page.locator("#article-text").click()  # a caret, no selection
    expect(new_claim).to_be_disabled()
    newline = article.body.index("\n")
    set_selection(
        page,
        f"range.setStart(text.firstChild, {newline});range.setEnd(text.firstChild, {newline + 1});",
    )
    expect(new_claim).to_be_disabled()
    set_selection(page, "range.setStart(title.firstChild, 0);range.setEnd(title.firstChild, 5);")
    expect(new_claim).to_be_disabled()
    set_selection(page, "range.setStart(text.firstChild, 4);range.setEnd(text.firstChild, 8);")
    expect(new_claim).to_be_enabled()


def test_keyboard_selection_records_a_claim(open_page: Any, desk: dict[str, Any]) -> None:
    article = ArticleFactory()
    page = open_page(desk["editor"], f"/articles/{article.pk}/")
    phrase = "4.2 million euros"
    start = article.body.index(phrase)
    # Focus the text, move the caret to the phrase, then extend the selection with Shift+Right.
    page.locator("#article-text").focus()
    expect(page.locator("#article-text")).to_be_focused()
    for _ in range(start):
        page.keyboard.press("ArrowRight")
    expect(page.get_by_role("button", name="New claim")).to_be_disabled()
    for _ in phrase:
        page.keyboard.press("Shift+ArrowRight")
    assert selected_text(page) == phrase
    page.keyboard.press("Enter")
    expect(page.get_by_label("Claim", exact=True)).to_have_value(phrase)
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#article-text mark.claim-mark")).to_have_text(phrase)
    assert Claim.objects.get().quote == phrase


def test_overlapping_and_nested_claims_render_and_each_stays_clickable(
    open_page: Any, desk: dict[str, Any]
) -> None:
    article = ArticleFactory()
    sentence = "The mayor said unemployment had fallen by half since 2020."
    outer = make_claim(author=desk["editor"], article=article, quote=sentence)
    inner = make_claim(author=desk["editor"], article=article, quote="fallen by half")
    crossing = make_claim(
        author=desk["editor2"],
        article=article,
        quote="since 2020.\nCritics noted",
        status="submitted",
    )
    page = open_page(desk["editor"], f"/articles/{article.pk}/")
    text = page.locator("#article-text")
    assert text.text_content() == article.body

    # Each segment is covered by the claims whose span contains it.
    segments = page.eval_on_selector_all(
        "#article-text mark.claim-mark",
        "marks => marks.map(m => [m.textContent, m.dataset.claims, m.dataset.claim])",
    )
    ids = {"outer": str(outer.pk), "inner": str(inner.pk), "crossing": str(crossing.pk)}
    assert segments == [
        ["The mayor said unemployment had ", ids["outer"], ids["outer"]],
        ["fallen by half", f"{ids['outer']} {ids['inner']}", ids["inner"]],
        [" ", ids["outer"], ids["outer"]],
        ["since 2020.", f"{ids['outer']} {ids['crossing']}", ids["crossing"]],
        ["\nCritics noted", ids["crossing"], ids["crossing"]],
    ]

    # A click selects the innermost claim under the pointer, in the text and in the panel.
    text.locator("mark", has_text="fallen by half").click()
    expect(page.locator(f"#claim-{inner.pk}")).to_have_class(re.compile(r"\bselected\b"))
    text.locator("mark", has_text="The mayor said").click()
    expect(page.locator(f"#claim-{outer.pk}")).to_have_class(re.compile(r"\bselected\b"))
    expect(page.locator(f"#claim-{inner.pk}")).not_to_have_class(re.compile(r"\bselected\b"))
    expect(text.locator("mark.selected")).to_have_count(4)  # every segment of the outer claim
    text.locator("mark", has_text="Critics noted").click()
    expect(page.locator(f"#claim-{crossing.pk}")).to_have_class(re.compile(r"\bselected\b"))

    # The panel lists them in document order and selects any of them, even one never on top.
    assert page.eval_on_selector_all(
        "#claim-list > li", "items => items.map(i => i.dataset.claim)"
    ) == [ids["outer"], ids["inner"], ids["crossing"]]
    page.locator(f"#claim-{outer.pk} .claim-select").click()
    expect(text.locator("mark.selected")).to_have_count(4)
    expect(text.locator("mark.overlap")).to_have_count(2)


def test_editor_cannot_edit_another_editors_claim_in_the_page_or_through_the_api(
    open_page: Any, desk: dict[str, Any]
) -> None:
    article = ArticleFactory()
    theirs = make_claim(author=desk["editor2"], article=article, status="submitted")
    their_draft = make_claim(
        author=desk["editor2"], article=article, quote="Critics noted that the figures"
    )
    page = open_page(desk["editor"], f"/articles/{article.pk}/")
    item = page.locator(f"#claim-{theirs.pk}")
    item.locator(".claim-select").click()
    expect(item.get_by_text("Nothing for you to do on this claim.")).to_be_visible()
    expect(item.get_by_role("button", name="Edit")).to_have_count(0)
    expect(item.get_by_role("button", name="Delete")).to_have_count(0)
    expect(item.get_by_role("link", name="Review")).to_have_count(0)  # editors do not review
    # Another editor's draft is not shown at all.
    expect(page.locator(f"#claim-{their_draft.pk}")).to_have_count(0)

    # The server refuses the same write made from this page's session.
    answer = page.evaluate(
        """async ([id, version]) => {
            const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
            const response = await fetch(`/api/claims/${id}/`, {
                method: "PATCH",
                headers: {"Content-Type": "application/json", "X-CSRFToken": token},
                body: JSON.stringify({version, rationale: "Overwritten"}),
            });
            return [response.status, await response.json()];
        }""",
        [theirs.pk, theirs.version],
    )
    assert answer[0] == 403
    assert answer[1]["error"]["status"] == 403
    theirs.refresh_from_db()
    assert theirs.rationale != "Overwritten"


HOSTILE = '<img src=x onerror="window.__ran=1"><script>window.__ran=2</script>'


def test_script_in_a_rationale_or_source_title_is_shown_as_text_and_never_runs(
    open_page: Any, desk: dict[str, Any]
) -> None:
    article = ArticleFactory(title=f"Budget {HOSTILE}")
    claim = make_claim(
        author=desk["editor"],
        article=article,
        claimant=HOSTILE,
        rationale=f"Because {HOSTILE}",
        sources=[{"url": "https://example.org/x", "title": f"Title {HOSTILE}"}],
    )
    page = open_page(desk["editor"], f"/articles/{article.pk}/")
    item = page.locator(f"#claim-{claim.pk}")
    item.locator(".claim-select").click()
    expect(item.get_by_text(f"Because {HOSTILE}")).to_be_visible()
    expect(item.get_by_role("link", name=f"Title {HOSTILE}")).to_be_visible()
    expect(page.locator("h1")).to_have_text(f"Budget {HOSTILE}")
    assert page.locator("#claim-list img, #claim-list script, h1 img").count() == 0

    # The same text typed into the form goes to the server and back as text.
    item.get_by_role("button", name="Edit").click()
    page.get_by_label("Rationale", exact=True).fill(f"Edited {HOSTILE}")
    page.get_by_role("button", name="Save draft").click()
    expect(item.get_by_text(f"Edited {HOSTILE}")).to_be_visible()
    page.reload()
    page.locator(f"#claim-{claim.pk} .claim-select").click()
    expect(page.get_by_text(f"Edited {HOSTILE}")).to_be_visible()
    assert page.evaluate("() => window.__ran") is None


def test_server_errors_are_shown_beside_the_form_and_nothing_typed_is_lost(
    open_page: Any, desk: dict[str, Any]
) -> None:
    article = ArticleFactory()
    page = open_page(desk["editor"], f"/articles/{article.pk}/")
    select_phrase_with_mouse(page, article.body, "4.2 million euros")
    page.get_by_role("button", name="New claim").click()
    page.get_by_label("Claimant", exact=True).fill("The council")
    page.get_by_label("Source URL", exact=True).fill("javascript:alert(1)")
    page.get_by_label("Source title", exact=True).fill("Minutes")
    page.get_by_role("button", name="Submit for review").click()

    errors = page.locator("#form-errors")
    expect(errors).to_be_visible()
    expect(errors).to_contain_text("Source 1")
    assert Claim.objects.count() == 0
    expect(page.get_by_label("Claimant", exact=True)).to_have_value("The council")
    expect(page.get_by_label("Source title", exact=True)).to_have_value("Minutes")

    # Fixing the source, but submitting without a verdict: the service's own refusal.
    page.get_by_label("Source URL", exact=True).fill("https://council.example.org/minutes")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator("[data-error-for=verdict]")).to_contain_text("Choose a verdict")
    assert Claim.objects.count() == 0

    page.get_by_label("Verdict", exact=True).select_option("true")
    page.get_by_label("Rationale", exact=True).fill("The minutes record the vote.")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator("#claim-form")).to_be_hidden()
    claim = Claim.objects.get()
    assert claim.status == "submitted"
    assert claim.claimant is not None and claim.claimant.name == "The council"
    expect(page.locator("#article-text mark.status-submitted")).to_have_text("4.2 million euros")


def test_editor_changes_and_deletes_their_own_draft_with_its_sources(
    open_page: Any, desk: dict[str, Any]
) -> None:
    article = ArticleFactory()
    claim = make_claim(author=desk["editor"], article=article)
    page = open_page(desk["editor"], f"/articles/{article.pk}/")
    item = page.locator(f"#claim-{claim.pk}")
    item.locator(".claim-select").click()
    item.get_by_role("button", name="Edit").click()
    expect(page.get_by_label("Source URL", exact=True)).to_have_value(
        "https://stats.example.org/unemployment"
    )
    page.get_by_label("Claimant", exact=True).fill("Mayor Jane Roe")
    page.get_by_role("button", name="Add source").click()
    page.get_by_label("Source URL", exact=True).nth(1).fill("https://news.example.org/fact")
    page.get_by_label("Source title", exact=True).nth(1).fill("Second report")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#claim-form")).to_be_hidden()
    claim.refresh_from_db()
    assert claim.claimant is not None and claim.claimant.name == "Mayor Jane Roe"
    assert [s.title for s in claim.sources.all()] == ["Labour survey", "Second report"]

    item.get_by_role("button", name="Edit").click()
    page.locator(".source-row").first.get_by_role("button", name="Remove source").click()
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#claim-form")).to_be_hidden()
    assert [s.title for s in claim.sources.all()] == ["Second report"]

    item.get_by_role("button", name="Delete").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete the draft").click()
    expect(page.locator(f"#claim-{claim.pk}")).to_have_count(0)
    expect(page.locator("#article-text mark")).to_have_count(0)
    assert not Claim.objects.filter(pk=claim.pk).exists()


def test_editor_can_change_a_claim_returned_with_changes_requested(
    open_page: Any, desk: dict[str, Any]
) -> None:
    article = ArticleFactory()
    claim = make_claim(author=desk["editor"], article=article, status="changes_requested")
    page = open_page(desk["editor"], f"/articles/{article.pk}/")
    item = page.locator(f"#claim-{claim.pk}")
    item.locator(".claim-select").click()
    expect(item.get_by_role("button", name="Delete")).to_have_count(0)
    item.get_by_role("button", name="Edit").click()
    page.get_by_label("Rationale", exact=True).fill("Corrected: the survey says 12%.")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator("#claim-form")).to_be_hidden()
    claim.refresh_from_db()
    assert claim.status == "submitted"
    assert claim.rationale == "Corrected: the survey says 12%."
    expect(page.locator(f"#claim-{claim.pk}")).to_have_class(re.compile("status-submitted"))


def test_sign_in_through_the_login_page_and_open_an_article(
    open_page: Any, desk: dict[str, Any]
) -> None:
    article = ArticleFactory(title="Council approves budget")
    page = open_page(None, "/")
    expect(page).to_have_url(re.compile(r"/login/"))
    page.get_by_label("Username").fill("ed")
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Council approves budget").click()
    expect(page).to_have_url(re.compile(rf"/articles/{article.pk}/$"))
    expect(page.locator("#article-text")).to_have_text(article.body)


def test_a_highlight_and_its_claim_bring_each_other_into_view(
    open_page: Any, desk: dict[str, Any]
) -> None:
    filler = "".join(f"Paragraph {n} says nothing in particular.\n\n" for n in range(80))
    article = imported(desk, f"{filler}At the very end the minister promised a new bridge.\n")
    claims = [
        make_claim(author=desk["editor"], article=article, quote=f"Paragraph {n} says")
        for n in range(0, 80, 4)
    ]
    last = make_claim(author=desk["editor"], article=article, quote="promised a new bridge")
    page = open_page(desk["editor"], f"/articles/{article.pk}/")
    page.set_viewport_size({"width": 1200, "height": 600})
    mark = page.locator(f"#article-text mark[data-claim='{last.pk}']")
    expect(mark).not_to_be_in_viewport()
    page.locator(f"#claim-{last.pk} .claim-select").click()
    expect(mark).to_be_in_viewport()

    page.evaluate("() => window.scrollTo(0, 0)")
    first = page.locator(f"#article-text mark[data-claim='{claims[0].pk}']")
    expect(first).to_be_in_viewport()
    first.click()
    expect(page.locator(f"#claim-{claims[0].pk}")).to_be_in_viewport()
    expect(page.locator(f"#claim-{claims[0].pk}")).to_have_class(re.compile(r"\bselected\b"))


def test_a_claim_changed_meanwhile_is_refused_and_the_typed_text_kept(
    open_page: Any, desk: dict[str, Any]
) -> None:
    article = ArticleFactory()
    claim = make_claim(author=desk["editor"], article=article)
    page = open_page(desk["editor"], f"/articles/{article.pk}/")
    # The same editor changes the claim in another tab.
    services.claim_update(
        claim_id=claim.pk,
        actor=desk["editor"],
        version=claim.version,
        changes={"claimant": "Other"},
    )
    page.locator(f"#claim-{claim.pk} .claim-select").click()
    page.locator(f"#claim-{claim.pk}").get_by_role("button", name="Edit").click()
    page.get_by_label("Rationale", exact=True).fill("My careful rewrite.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#conflict")).to_contain_text("saved by someone else")
    expect(page.get_by_label("Rationale", exact=True)).to_have_value("My careful rewrite.")
    claim.refresh_from_db()
    assert (
        claim.claimant is not None
        and claim.claimant.name == "Other"
        and claim.rationale != "My careful rewrite."
    )


def test_reviewer_goes_from_a_highlight_to_its_review_and_to_a_published_claims_page(
    open_page: Any, desk: dict[str, Any]
) -> None:
    article = ArticleFactory()
    submitted = make_claim(author=desk["editor"], article=article, status="submitted")
    published = make_claim(
        author=desk["editor"], article=article, quote="Critics noted", status="approved"
    )
    page = open_page(make_user(Role.REVIEWER, "rev"), f"/articles/{article.pk}/")
    page.locator("#article-text mark", has_text="Critics noted").click()
    page.locator(f"#claim-{published.pk}").get_by_role("link", name="Public page").click()
    expect(page).to_have_url(re.compile(rf"/claims/{published.pk}/$"))
    page.go_back()
    page.locator("#article-text mark", has_text="unemployment").click()
    page.locator(f"#claim-{submitted.pk}").get_by_role("link", name="Review").click()
    expect(page).to_have_url(re.compile(rf"/review/{submitted.pk}/$"))


def test_selecting_again_while_writing_a_new_claim_moves_its_span_and_keeps_the_typing(
    open_page: Any, desk: dict[str, Any]
) -> None:
    article = ArticleFactory()
    page = open_page(desk["editor"], f"/articles/{article.pk}/")
    select_phrase_with_mouse(page, article.body, "4.2 million euros")
    page.get_by_role("button", name="New claim").click()
    page.get_by_label("Rationale", exact=True).fill("The budget was 3.9 million.")
    select_phrase_with_mouse(page, article.body, "a budget of 4.2 million euros")
    page.get_by_role("button", name="New claim").click()
    expect(page.get_by_label("Claim", exact=True)).to_have_value("a budget of 4.2 million euros")
    expect(page.get_by_label("Rationale", exact=True)).to_have_value("The budget was 3.9 million.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#claim-form")).to_be_hidden()
    claim = Claim.objects.get()
    assert claim.quote == "a budget of 4.2 million euros"
    assert claim.rationale == "The budget was 3.9 million."
