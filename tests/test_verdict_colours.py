"""Verdict colours carry the white text of a badge at WCAG AA contrast: the defaults do, the
rule refuses a lighter one wherever a verdict is saved (service, admin, native import), and
the data migration moves verdicts still at a retired default colour, and only those."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from annotations import services
from annotations.defaults import DEFAULT_SCALE, RETIRED_DEFAULT_COLOURS
from annotations.models import Verdict
from annotations.native_import import NativeImportError, claims_import_native
from annotations.validators import AA_CONTRAST, contrast_ratio, validate_verdict_colour

pytestmark = pytest.mark.django_db

ADD = reverse("admin:annotations_verdict_add")


def test_contrast_ratio_follows_wcag() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1)
    # WCAG's own example values: #777777 on white is just under 4.5:1.
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize(("label", "colour"), [(row[0], row[3]) for row in DEFAULT_SCALE])
def test_every_default_verdict_colour_reaches_aa_with_white_text(label: str, colour: str) -> None:
    assert contrast_ratio(colour, "#ffffff") >= AA_CONTRAST, label
    validate_verdict_colour(colour)


def test_every_retired_default_colour_is_replaced_by_one_that_passes() -> None:
    for old, new in RETIRED_DEFAULT_COLOURS.items():
        assert contrast_ratio(old, "#ffffff") < AA_CONTRAST, old
        validate_verdict_colour(new)


def test_a_light_colour_is_refused_with_the_ratio_it_reached() -> None:
    with pytest.raises(ValidationError) as refused:
        validate_verdict_colour("#c9a227")
    assert refused.value.code == "low_contrast"
    assert "2.42:1" in refused.value.messages[0]
    assert "4.5:1" in refused.value.messages[0]


def test_a_malformed_colour_is_refused_as_malformed_not_as_light() -> None:
    with pytest.raises(ValidationError) as refused:
        validate_verdict_colour("yellow")
    assert refused.value.code == "invalid_colour"


def test_the_service_refuses_a_light_colour_and_saves_nothing(admin_user: Any) -> None:
    verdict = Verdict(label="Pants on fire", slug="pants-on-fire", colour="#ffcc00")
    with pytest.raises(ValidationError) as refused:
        services.verdict_save(verdict=verdict, actor=admin_user)
    assert "colour" in refused.value.message_dict
    assert not Verdict.objects.filter(slug="pants-on-fire").exists()


def test_a_new_verdict_without_a_colour_gets_one_that_passes(admin_user: Any) -> None:
    verdict = services.verdict_save(
        verdict=Verdict(label="Satire", slug="satire"), actor=admin_user
    )
    validate_verdict_colour(verdict.colour)


def admin_form(colour: str) -> dict[str, str]:
    return {
        "label": "Pants on fire",
        "slug": "pants-on-fire",
        "rating": "",
        "description": "",
        "colour": colour,
        "order": "8",
    }


def test_the_admin_refuses_a_light_colour_and_keeps_what_was_typed(
    client: Client, admin_user: Any
) -> None:
    client.force_login(admin_user)
    response = client.post(ADD, admin_form("#ffcc00"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "too light for the white text" in page
    assert 'value="Pants on fire"' in page
    assert not Verdict.objects.filter(slug="pants-on-fire").exists()


def test_the_admin_saves_a_dark_enough_colour(client: Client, admin_user: Any) -> None:
    client.force_login(admin_user)
    response = client.post(ADD, admin_form("#7a1f1f"))
    assert response.status_code == 302
    assert Verdict.objects.get(slug="pants-on-fire").colour == "#7a1f1f"


def test_the_admin_offers_a_colour_picker(client: Client, admin_user: Any) -> None:
    client.force_login(admin_user)
    assert 'type="color"' in client.get(ADD).content.decode()


def native_file(colour: str) -> dict[str, Any]:
    return {
        "format": "factcheck-native",
        "version": 1,
        "exported_at": "2026-03-01T12:00:00Z",
        "verdicts": [{"slug": "old-scale", "label": "Old scale", "colour": colour, "order": 9}],
        "articles": [],
        "claims": [],
    }


def test_a_native_file_from_before_keeps_its_verdict_with_the_new_default_colour() -> None:
    claims_import_native(native_file("#C9A227"))
    assert Verdict.objects.get(slug="old-scale").colour == "#8a6a00"


def test_a_native_file_with_a_light_colour_of_its_own_is_refused_by_name() -> None:
    with pytest.raises(NativeImportError) as refused:
        claims_import_native(native_file("#ffee00"))
    assert "verdicts[0]" in str(refused.value)
    assert "too light" in str(refused.value)
    assert not Verdict.objects.filter(slug="old-scale").exists()
