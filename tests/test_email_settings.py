"""The e-mail settings: SMTP from the environment, the console without it, and a malformed
value that stops start-up with one line naming it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.test_settings_env import READ_BY_SETTINGS, load_settings


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in READ_BY_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", "sqlite:///:memory:")
    monkeypatch.setenv("SECRET_KEY", "tests-only-not-a-secret")
    monkeypatch.setenv("HTTPS", "0")
    return monkeypatch


def test_without_a_host_mail_goes_to_the_console(environment: pytest.MonkeyPatch) -> None:
    loaded = load_settings()
    assert loaded["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert loaded["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def test_smtp_is_configured_from_the_environment(environment: pytest.MonkeyPatch) -> None:
    for name, value in {
        "EMAIL_HOST": "smtp.example.org",
        "EMAIL_HOST_USER": "desk",
        "EMAIL_HOST_PASSWORD": "s3cret",
        "EMAIL_USE_SSL": "1",
        "DEFAULT_FROM_EMAIL": "Fact desk <desk@example.org>",
    }.items():
        environment.setenv(name, value)
    loaded = load_settings()
    assert loaded["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (loaded["EMAIL_HOST"], loaded["EMAIL_PORT"]) == ("smtp.example.org", 465)
    assert (loaded["EMAIL_USE_SSL"], loaded["EMAIL_USE_TLS"]) == (True, False)
    assert loaded["DEFAULT_FROM_EMAIL"] == "Fact desk <desk@example.org>"


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("EMAIL_PORT", "smtp", "is not a whole number"),
        ("EMAIL_USE_TLS", "perhaps", "is not a boolean"),
        ("DEFAULT_FROM_EMAIL", "desk at example.org", "is not an e-mail address"),
        ("DEFAULT_FROM_EMAIL", "Desk <desk@example.org>\nBcc: x@y.z", "is not an e-mail"),
    ],
)
def test_a_malformed_mail_setting_is_named(
    environment: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    environment.setenv(name, value)
    with pytest.raises(ImproperlyConfigured) as raised:
        load_settings()
    assert str(raised.value).startswith(name) and expected in str(raised.value)


def test_tls_and_ssl_together_are_refused(environment: pytest.MonkeyPatch) -> None:
    environment.setenv("EMAIL_USE_TLS", "1")
    environment.setenv("EMAIL_USE_SSL", "1")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_USE_TLS and EMAIL_USE_SSL"):
        load_settings()
