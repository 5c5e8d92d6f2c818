"""The public page of a published claim: open to anyone, 404 for everything else, with its
ClaimReview embedded so that user text cannot break out of the script element."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from annotations import export
from tests.export.conftest import Desk
from tests.factories import ArticleFactory, make_claim, make_user

pytestmark = pytest.mark.django_db


class Scripts(HTMLParser):
    """Collects every <script> element with its type and text, as a browser would split them."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str | None, str]] = []
        self._type: str | None = None
        self._inside = False
        self.links: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._inside = True
            self._type = dict(attrs).get("type")
            self.found.append((self._type, ""))
        if tag == "a":
            self.links.append(dict(attrs))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            kind, text = self.found[-1]
            self.found[-1] = (kind, text + data)


def parse(html: str) -> Scripts:
    parser = Scripts()
    parser.feed(html)
    return parser


def test_anyone_can_read_a_published_claim(desk: Desk):
    claim = desk.claims[0]
    response = Client().get(f"/claims/{claim.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert claim.claim_text in html
    assert '<mark class="quote">unemployment had fallen by half since 2020</mark>' in html
    assert "The mayor said " in html  # the context around the quote
    assert ">False</strong>" in html
    assert "Official statistics show a 12% fall, not 50%." in html
    assert "Labour force survey" in html


@pytest.mark.parametrize("index", [3, 4, 5], ids=["submitted", "rejected", "draft"])
def test_claims_not_published_are_not_found(desk: Desk, index: int):
    assert Client().get(f"/claims/{desk.claims[index].pk}/").status_code == 404


def test_a_signed_in_author_gets_404_for_their_draft_too(desk: Desk):
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username="ed"))
    assert client.get(f"/claims/{desk.claims[5].pk}/").status_code == 404


def test_a_claim_reopened_for_correction_stays_public_as_last_approved(desk: Desk):
    from annotations import services
    from tests.factories import make_user

    claim = desk.claims[0]
    before = Client().get(f"/claims/{claim.pk}/").content.decode()
    services.claim_transition(
        claim_id=claim.pk,
        actor=make_user("admin", "boss"),
        action="reopen",
        version=claim.version,
        comment="Wrong figure.",
    )
    response = Client().get(f"/claims/{claim.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Under correction." in html
    assert parse(html).found == parse(before).found, "the published ClaimReview is unchanged"


def test_unknown_claim_is_not_found(desk: Desk):
    assert Client().get("/claims/987654321/").status_code == 404


def test_page_embeds_its_claim_review_and_no_other_script(desk: Desk):
    claim = desk.claims[0]
    html = Client().get(f"/claims/{claim.pk}/").content.decode()
    scripts = parse(html).found
    assert [kind for kind, _ in scripts] == ["application/ld+json"]
    embedded = json.loads(scripts[0][1])
    record = claim.publications.select_related("article").get()
    assert embedded == export.public_review(record)
    assert embedded["url"] == f"https://desk.example.org/claims/{claim.pk}/"


def test_user_text_cannot_close_the_json_ld_script(desk: Desk):
    claim = desk.claims[2]  # its rationale and quote hold </script>, <b> and &
    html = Client().get(f"/claims/{claim.pk}/").content.decode()
    scripts = parse(html).found
    assert len(scripts) == 1, "user text opened or closed a script element"
    text = scripts[0][1]
    assert "<" not in text and ">" not in text and "&" not in text
    embedded = json.loads(text)
    assert embedded["claimReviewed"] == claim.claim_text
    assert '<b>cost</b> nothing & was "free"' in embedded["claimReviewed"]
    # Shown to readers as text, not markup.
    assert "the bridge &lt;b&gt;cost&lt;/b&gt; nothing &amp; was &quot;free&quot;" in html


def test_source_links_do_not_pass_trust_or_referrer(desk: Desk):
    claim = desk.claims[0]
    links = parse(Client().get(f"/claims/{claim.pk}/").content.decode()).links
    external = [a for a in links if (a.get("href") or "").startswith("https://")]
    hrefs = {a["href"] for a in external}
    assert {
        "https://stats.example.org/unemployment",
        "https://news.example.org/jobs-report",
        "https://archive.example.org/jobs-report",
        "https://news.example.org/paris-10-february",
    } <= hrefs
    for link in external:
        assert set((link.get("rel") or "").split()) == {"noopener", "noreferrer", "nofollow"}


def test_page_is_served_under_the_strict_content_security_policy(desk: Desk):
    response = Client().get(f"/claims/{desk.claims[0].pk}/")
    policy = response["Content-Security-Policy"]
    assert re.search(r"script-src 'self'(;|$)", policy)
    assert "unsafe-inline" not in policy


def test_context_is_the_quote_s_own_paragraph_also_without_blank_lines(desk: Desk):
    # One sentence per line and no blank line: the page shows the quote's line, not the
    # whole article (the review page's context, anchoring.paragraph_around, shows the same).
    body = "Intro line.\nThe mayor said unemployment had fallen by half since 2020.\nOutro line.\n"
    article = ArticleFactory(body=body)
    author, reviewer = make_user("editor"), make_user("reviewer")
    claim = make_claim(author=author, reviewer=reviewer, article=article, status="approved")
    html = Client().get(f"/claims/{claim.pk}/").content.decode()
    quoted = re.search(r'<blockquote class="quote-context">(.*?)</blockquote>', html, re.S)
    assert quoted is not None
    assert quoted.group(1) == (
        'The mayor said <mark class="quote">unemployment had fallen by half since 2020</mark>.'
    )
