"""Times are shown in the reader's time zone with the zone named: the zone they chose, else
their browser's, else the desk's TIME_ZONE. The API stays in UTC. The settings page sets the
zone and the language (tests/test_i18n.py for the language)."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from annotations.models import DisplaySettings
from annotations.services.preferences import display_settings_save
from tests.factories import make_claim

pytestmark = pytest.mark.django_db

SETTINGS = reverse("display-settings")
WINTER = datetime(2026, 12, 5, 13, 5, tzinfo=UTC)
SUMMER = datetime(2026, 7, 5, 13, 5, tzinfo=UTC)


def shown(value: datetime, zone: str, part: str = "") -> str:
    text = "{% load times %}{{ value|when" + (f':"{part}"' if part else "") + " }}"
    with timezone.override(zone):
        return Template(text).render(Context({"value": value}))


def test_a_time_is_written_in_the_active_zone_with_its_name() -> None:
    assert shown(WINTER, "Europe/Paris") == (
        '<time datetime="2026-12-05T13:05:00Z">5 Dec 2026, 14:05 CET</time>'
    )
    assert shown(SUMMER, "Europe/Paris").endswith(">5 Jul 2026, 15:05 CEST</time>")
    assert shown(WINTER, "America/New_York").endswith(">5 Dec 2026, 08:05 EST</time>")
    assert shown(WINTER, "Europe/Paris", "time").endswith(">14:05 CET</time>")


def test_a_zone_without_letters_is_named_by_its_offset() -> None:
    assert shown(WINTER, "Asia/Dubai").endswith(">5 Dec 2026, 17:05 +04</time>")


def test_a_time_across_midnight_shows_the_readers_day() -> None:
    late = datetime(2026, 12, 5, 23, 30, tzinfo=UTC)
    assert shown(late, "Asia/Tokyo").endswith(">6 Dec 2026, 08:30 JST</time>")


def test_an_unknown_part_is_a_template_error() -> None:
    from django.template import TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError):
        shown(WINTER, "UTC", "week")


def footer_zone(client: Client) -> str:
    html = client.get(reverse("public-claims")).content.decode()
    start = html.index("Times in ")
    return html[start : html.index("<", start)].removesuffix(" · ")


def test_the_desk_default_comes_from_the_time_zone_setting(client: Client, settings: Any) -> None:
    settings.TIME_ZONE = "Asia/Tokyo"
    assert footer_zone(client) == "Times in JST (Asia/Tokyo)"


def test_the_browsers_zone_is_used_until_the_reader_chooses(client: Client) -> None:
    client.cookies["tz"] = "America/New_York"
    assert footer_zone(client).startswith("Times in E")  # EST or EDT, by the season
    assert "(America/New_York)" in footer_zone(client)


def test_a_zone_the_browser_made_up_is_ignored(client: Client, settings: Any) -> None:
    settings.TIME_ZONE = "UTC"
    client.cookies["tz"] = "Mars/Olympus_Mons"
    assert footer_zone(client) == "Times in UTC"


def test_the_readers_choice_wins_over_the_browser(client: Client, reviewer: Any) -> None:
    display_settings_save(user=reviewer, time_zone="Asia/Tokyo")
    client.cookies["tz"] = "America/New_York"
    client.force_login(reviewer)
    assert footer_zone(client) == "Times in JST (Asia/Tokyo)"


def test_the_review_queue_shows_submission_times_in_the_readers_zone(
    client: Client, editor: Any, reviewer: Any
) -> None:
    claim = make_claim(author=editor, status="submitted")
    display_settings_save(user=reviewer, time_zone="Asia/Tokyo")
    client.force_login(reviewer)
    html = client.get(reverse("review-queue")).content.decode()
    expected = timezone.localtime(claim.submitted_at, zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert f"{expected:%H:%M} JST</time>" in html


def test_the_api_keeps_utc_whatever_the_reader_chose(client: Client, editor: Any) -> None:
    claim = make_claim(author=editor)
    display_settings_save(user=editor, time_zone="Asia/Tokyo")
    client.force_login(editor)
    body = client.get(f"/api/claims/{claim.pk}/").json()
    assert body["created_at"].endswith("Z")


def test_the_settings_page_saves_a_zone_and_says_so(client: Client, editor: Any) -> None:
    client.force_login(editor)
    page = client.get(SETTINGS)
    assert page.status_code == 200
    assert '<option value="Europe/Paris">Paris</option>' in page.content.decode()
    response = client.post(SETTINGS, {"time_zone": "Europe/Paris"}, follow=True)
    assert response.redirect_chain == [(SETTINGS, 302)]
    html = response.content.decode()
    assert "Saved: times are shown in Europe/Paris (CE" in html
    assert '<option value="Europe/Paris" selected>Paris</option>' in html
    assert DisplaySettings.objects.get(user=editor).time_zone == "Europe/Paris"


def test_following_the_browser_again_clears_the_choice(client: Client, editor: Any) -> None:
    display_settings_save(user=editor, time_zone="Europe/Paris")
    client.force_login(editor)
    response = client.post(SETTINGS, {"time_zone": ""}, follow=True)
    assert "times follow your browser" in response.content.decode()
    assert DisplaySettings.objects.get(user=editor).time_zone == ""


def test_an_unknown_zone_is_refused_and_the_choice_kept(client: Client, editor: Any) -> None:
    display_settings_save(user=editor, time_zone="Europe/Paris")
    client.force_login(editor)
    response = client.post(SETTINGS, {"time_zone": "Mars/Base"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert "Mars/Base is not one of the available choices" in html
    assert DisplaySettings.objects.get(user=editor).time_zone == "Europe/Paris"


def test_saving_goes_back_to_the_page_that_included_the_form(client: Client, editor: Any) -> None:
    client.force_login(editor)
    back = reverse("article-list")
    response = client.post(SETTINGS, {"time_zone": "UTC", "next": back})
    assert response["Location"] == back
    elsewhere = client.post(SETTINGS, {"time_zone": "UTC", "next": "https://evil.example/"})
    assert elsewhere["Location"] == SETTINGS


def test_the_settings_page_needs_a_sign_in(client: Client) -> None:
    response = client.get(SETTINGS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.post(SETTINGS, {"time_zone": "UTC"}).status_code == 302
    assert not DisplaySettings.objects.exists()


def test_the_service_refuses_an_unknown_zone(editor: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        display_settings_save(user=editor, time_zone="Europe/Atlantis")
    assert "time_zone" in refused.value.message_dict
    assert not DisplaySettings.objects.filter(user=editor, time_zone="Europe/Atlantis").exists()


def test_a_zone_whose_abbreviation_is_an_offset_is_named_by_its_key(
    client: Client, settings: Any
) -> None:
    settings.TIME_ZONE = "Etc/GMT+12"
    assert footer_zone(client) == "Times in -12 (Etc/GMT+12)"
