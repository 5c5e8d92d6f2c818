"""A real Chromium for the browser tests: one per session, a fresh context per test, and a
page signed in as a given user. A script error or a Content-Security-Policy violation on any
page fails the test that opened it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from annotations import services

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Generous, for a busy machine: waits end as soon as the condition holds.
WAIT_MS = 10_000
expect.set_options(timeout=WAIT_MS)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One Chromium for all the browser tests, closed when they are done.

    Playwright's sync API keeps an event loop running in this thread, which makes Django
    refuse ORM calls; the tests' own ORM calls are synchronous and safe, so that refusal is
    lifted exactly while the browser lives and never leaks into the rest of the suite
    (`check --deploy` rightly refuses DJANGO_ALLOW_ASYNC_UNSAFE).
    """
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"The browser tests need Chromium at {CHROMIUM}: install it (Debian: "
            "'apt-get install chromium') or set CHROMIUM=/path/to/chromium.",
            pytrace=False,
        )
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def verdict_scale(transactional_db: None) -> None:
    """The database of a browser test (live server, so transactional), with the default
    verdict scale in it."""
    services.verdicts_ensure()


@pytest.fixture
def context(browser: Browser, live_server: Any, verdict_scale: None) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(WAIT_MS)
    yield context
    context.close()


@pytest.fixture
def open_page(context: BrowserContext, live_server: Any) -> Iterator[Callable[..., Page]]:
    """open_page(user, path) -> a page signed in as `user` (None: signed out) showing `path`."""
    errors: list[str] = []

    def record_console(message: Any) -> None:
        # A refused API call is logged as a failed load; the tests check those answers themselves.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(f"console: {message.text}")

    def open_as(user: Any, path: str = "/") -> Page:
        if user is not None:
            client = Client()
            client.force_login(user)
            session = client.cookies["sessionid"].value
            context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"script error: {error}"))
        page.on("console", record_console)
        page.goto(path)
        return page

    yield open_as
    assert errors == [], "the page reported errors"
