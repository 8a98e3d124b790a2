"""Browser tests: Playwright (from its PyPI package) driving Debian's Chromium against live_server.

`npx playwright install` cannot download a browser here, so the tests use /usr/bin/chromium, started
with the flags that keep it from reaching for the network.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("ZHENGTONG_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("ZHENGTONG_TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/ensure-system-packages.sh")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, request):
    """A fresh browser context at desktop size; blocks every request that leaves live_server."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    _only_local(context, live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A browser context the size of a phone."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2, locale="zh-CN")
    _only_local(context, live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _only_local(context, base_url: str) -> None:
    """Fail loudly if a page asks for anything from outside the platform (isolated network)."""
    outside: list[str] = []

    def route(route_obj):
        url = route_obj.request.url
        if url.startswith(base_url) or url.startswith("data:") or url.startswith("blob:"):
            route_obj.continue_()
        else:
            outside.append(url)
            route_obj.abort()

    context.route("**/*", route)
    context.outside_requests = outside


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def sign_in_as(page, live_server):
    """Sign in through the real form: sign_in_as(user, password) → page on the home page."""

    def _sign_in(user, password, *, target=page):
        target.goto(f"{live_server.url}/office/accounts/sign-in/")
        target.fill("#id_username", user.username)
        target.fill("#id_password", password)
        target.click("button[type=submit]")
        target.wait_for_load_state("networkidle")
        return target

    return _sign_in
