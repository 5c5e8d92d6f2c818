"""The public record, open to anyone: the list of fact-checks, the corrections, their Atom
feeds, the sitemap and the ClaimReview data feed."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.test import Client

from annotations.models import Claim
from tests.factories import ArticleFactory, make_claim, verdict
from tests.test_publication import NOTE, _act, correct

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def record(editor, reviewer, admin_user) -> dict[str, Claim]:
    """Three fact-checks online (one corrected), one retracted, one in review, one draft."""
    plain = make_claim(author=editor, status="approved", reviewer=reviewer)
    corrected = make_claim(
        author=editor, status="approved", reviewer=reviewer, claimant="The minister"
    )
    correct(corrected, editor=editor, reviewer=reviewer, admin=admin_user, verdict=verdict("true"))
    newest = make_claim(author=editor, status="approved", reviewer=reviewer, claimant="The mayor")
    retracted = make_claim(author=editor, status="approved", reviewer=reviewer)
    _act(retracted, admin_user, "retract", "Misattributed: the mayor never said it.")
    waiting = make_claim(author=editor, status="submitted")
    draft = make_claim(author=editor)
    return {
        "plain": plain,
        "corrected": corrected,
        "newest": newest,
        "retracted": retracted,
        "waiting": waiting,
        "draft": draft,
    }


def linked_claims(html: str) -> list[int]:
    import re

    return [int(pk) for pk in re.findall(r'class="claim-link" href="/claims/(\d+)/', html)]


def test_the_list_shows_fact_checks_online_newest_first_without_sign_in(record):
    response = Client().get("/claims/")
    assert response.status_code == 200
    shown = linked_claims(response.content.decode())
    assert shown == [record["newest"].pk, record["corrected"].pk, record["plain"].pk]


def test_the_list_filters_by_verdict_and_claimant(record):
    client = Client()
    by_verdict = linked_claims(client.get("/claims/", {"verdict": "true"}).content.decode())
    assert by_verdict == [record["corrected"].pk]
    by_claimant = linked_claims(client.get("/claims/", {"claimant": "the MAYOR"}).content.decode())
    assert record["newest"].pk in by_claimant and record["corrected"].pk not in by_claimant
    unknown = client.get("/claims/", {"verdict": "no-such-verdict"})
    assert unknown.status_code == 200
    assert "not understood" in unknown.content.decode()


def test_the_list_is_paginated(editor, reviewer):
    for _ in range(23):
        make_claim(author=editor, status="approved", reviewer=reviewer)
    client = Client()
    first = client.get("/claims/").content.decode()
    assert len(linked_claims(first)) == 20 and "Page 1 of 2" in first
    second = client.get("/claims/", {"page": 2}).content.decode()
    assert len(linked_claims(second)) == 3
    assert client.get("/claims/", {"page": "x", "verdict": "false"}).status_code == 200
    assert client.get("/claims/?page=1&page=2").status_code == 400


def test_corrections_lists_every_correction_and_retraction_with_date_and_note(record):
    html = Client().get("/corrections/").content.decode()
    assert NOTE in html
    assert "Misattributed: the mayor never said it." in html
    assert "Verdict changed from <strong>False</strong> to <strong>True</strong>" in html
    assert html.index("Retracted") < html.index("Corrected</strong>")
    assert f"/claims/{record['corrected'].pk}/#correction-2" in html


def _atom(path: str) -> ET.Element:
    response = Client().get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)  # noqa: S314 (our own answer)


def test_the_fact_checks_feed_is_atom_with_an_entry_per_fact_check_online(record):
    feed = _atom("/claims/feed/")
    entries = feed.findall(f"{ATOM}entry")
    links = [entry.find(f"{ATOM}link").get("href") for entry in entries]  # type: ignore[union-attr]
    assert links == [
        f"http://testserver/claims/{record[name].pk}/" for name in ("newest", "corrected", "plain")
    ]
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert titles[1] == f"True: {record['corrected'].claim_text}"


def test_the_corrections_feed_has_an_entry_per_correction_and_retraction(record):
    feed = _atom("/corrections/feed/")
    entries = feed.findall(f"{ATOM}entry")
    summaries = {entry.findtext(f"{ATOM}summary") for entry in entries}
    assert summaries == {NOTE, "Misattributed: the mayor never said it."}
    ids = {entry.findtext(f"{ATOM}id") for entry in entries}
    assert f"http://testserver/claims/{record['corrected'].pk}/#correction-2" in ids


def test_feed_links_follow_the_public_base_url(record, settings):
    settings.FACTCHECK_PUBLIC_BASE_URL = "https://checks.example.org"
    feed = _atom("/claims/feed/")
    href = feed.find(f"{ATOM}entry/{ATOM}link").get("href")  # type: ignore[union-attr]
    assert href == f"https://checks.example.org/claims/{record['newest'].pk}/"


def test_the_sitemap_lists_the_lists_and_every_fact_check_online(record):
    response = Client().get("/sitemap.xml")
    assert response.status_code == 200
    tree = ET.fromstring(response.content)  # noqa: S314 (our own answer)
    urls = {url.findtext(f"{SITEMAP}loc"): url for url in tree.findall(f"{SITEMAP}url")}
    expected = {
        f"http://testserver/claims/{record[n].pk}/" for n in ("plain", "corrected", "newest")
    }
    assert expected | {"http://testserver/claims/", "http://testserver/corrections/"} == set(urls)
    corrected = urls[f"http://testserver/claims/{record['corrected'].pk}/"]
    latest = record["corrected"].publications.order_by("-number").first()
    assert latest is not None
    assert corrected.findtext(f"{SITEMAP}lastmod") == latest.published_at.date().isoformat()


def _datafeed(client: Client) -> dict[str, Any]:
    response = client.get("/claims/datafeed.jsonld")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/ld+json"
    return json.loads(b"".join(response.streaming_content))  # type: ignore[arg-type]


def test_the_data_feed_needs_no_sign_in_and_no_token(record):
    feed = _datafeed(Client())
    assert feed["@context"] == "https://schema.org"
    assert feed["@type"] == "DataFeed"
    items = feed["dataFeedElement"]
    urls = [item["item"]["url"] for item in items]
    assert urls == [
        f"http://testserver/claims/{record[n].pk}/" for n in ("newest", "corrected", "plain")
    ]
    corrected = items[1]
    assert corrected["@type"] == "DataFeedItem"
    assert corrected["item"]["@type"] == "ClaimReview"
    assert corrected["item"]["reviewRating"]["alternateName"] == "True"
    assert corrected["item"]["dateModified"] == corrected["dateModified"][:10]
    assert "@context" not in corrected["item"]


def test_a_bad_token_does_not_lock_anyone_out_of_the_data_feed(record):
    client = Client(HTTP_AUTHORIZATION="Token not-a-token")
    assert len(_datafeed(client)["dataFeedElement"]) == 3


def test_the_data_feed_is_what_each_public_page_embeds(record):
    import re

    client = Client()
    item = _datafeed(client)["dataFeedElement"][1]["item"]
    html = client.get(f"/claims/{record['corrected'].pk}/").content.decode()
    embedded = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]  # type: ignore[index]
    )
    del embedded["@context"]
    assert embedded == item


def test_the_from_link_is_the_articles_own_url_and_never_a_sign_in_page(editor, reviewer):
    with_url = make_claim(author=editor, status="approved", reviewer=reviewer)
    html = Client().get(f"/claims/{with_url.pk}/").content.decode()
    assert f'From <a href="{with_url.article.source_url}"' in html
    without = make_claim(
        author=editor, status="approved", reviewer=reviewer, article=ArticleFactory(source_url="")
    )
    html = Client().get(f"/claims/{without.pk}/").content.decode()
    assert f"From <cite>{without.article.title}</cite>" in html
    assert f'href="http://testserver/articles/{without.article.pk}/"' not in html
    assert f'href="/articles/{without.article.pk}/"' not in html


def test_nothing_unpublished_reaches_the_public_record(record):
    client = Client()
    hidden = {record["waiting"].pk, record["draft"].pk}
    for path in ("/claims/", "/corrections/", "/claims/feed/", "/sitemap.xml"):
        html = client.get(path).content.decode()
        assert not any(f"/claims/{pk}/" in html for pk in hidden), path
    for pk in hidden:
        assert client.get(f"/claims/{pk}/").status_code == 404


def test_the_data_feed_costs_the_same_queries_however_many_fact_checks(editor, reviewer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            _datafeed(Client())
        return len(captured)

    make_claim(author=editor, status="approved", reviewer=reviewer)
    few = count()
    for _ in range(5):
        make_claim(author=editor, status="approved", reviewer=reviewer)
    assert count() == few
