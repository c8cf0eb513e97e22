"""Fixtures for the browser tests: the system Chromium driven by Playwright's sync API.

One browser for the whole run of this package (start-up is the slow part) and a fresh context
per test, pointed at pytest-django's live_server. The tests need a transactional database, since
the live server answers from another thread: mark them with `browser_db` from this module.
"""

import contextlib
import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.conftest import skip_or_fail

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
RESULTS_DIR = Path(__file__).resolve().parent.parent.parent / "test-results"  # git-ignored

# transaction=True: the live server thread must see what the test writes.
# serialized_rollback=True: a transactional test empties every table when it ends, which would
# take the home page and the Wagtail site (made by a data migration) away from the next test.
browser_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_test_failed = report.failed
    return report


@pytest.fixture(scope="package")
def browser(django_db_setup):
    """Chromium, started once and stopped after the last test of this package.

    Package scope rather than session scope: while Playwright runs, its event loop changes how
    Django behaves in this thread, and the tests of other packages must not run under it.
    The test database is set up first (django_db_setup), outside that loop.
    """
    executable = shutil.which("chromium")
    if not executable:
        skip_or_fail("Chromium is not installed (apt-get install chromium): the browser tests need it")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Django refuses database calls from a thread with a running event loop unless told that
    # this is deliberate. Only while the browser runs: a process that a later test starts must not
    # inherit the variable (check --deploy rightly reports it as an error).
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    # While the loop runs, asgiref hands Django a second set of connection objects (its
    # thread-critical locals switch to context-variable storage when a loop is running). The
    # snapshot that serialized_rollback restores lives on the first set: share it.
    snapshots = {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}
    try:
        with sync_playwright() as playwright:
            for alias, snapshot in snapshots.items():
                if snapshot is not None:
                    connections[alias]._test_serialized_contents = snapshot
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
            try:
                yield browser
            finally:
                browser.close()
                # Leave no connection of the second set open: PostgreSQL cannot drop a database
                # that is in use when the session ends.
                connections.close_all()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


# Every document of every browser test reports what its Content-Security-Policy refuses (the
# securitypolicyviolation event) to Python, where the page fixture fails the test on any.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolation(`${event.effectiveDirective} refused ${event.blockedURI || "inline code"}`
    + ` at ${event.documentURI} (line ${event.lineNumber}): ${event.sample || ""}`);
});
"""
# What Chromium writes to the console when a policy refuses something or a header does not parse.
POLICY_CONSOLE_MESSAGE = re.compile(r"Content Security Policy|Refused to|Permissions-Policy|Permissions policy", re.I)


@pytest.fixture
def policy_violations():
    """Each CSP violation (and Permissions-Policy header error) the browser reports during a test."""
    return []


@pytest.fixture
def browser_context(browser, live_server, policy_violations):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    context.expose_binding("__cspViolation", lambda source, text: policy_violations.append(text))
    context.add_init_script(CSP_LISTENER)
    yield context
    context.close()


def take_policy_violations(page, violations):
    """The violations reported so far (the page's queued events delivered first), emptying the list."""
    # A page that crashed or is navigating away: what arrived is still reported.
    with contextlib.suppress(Exception):
        if not page.is_closed():
            page.evaluate("() => new Promise((resolve) => setTimeout(resolve, 50))")
    found, violations[:] = list(violations), []
    return found


def assert_no_policy_violations(page, violations, where=""):
    found = take_policy_violations(page, violations)
    assert not found, f"the browser reported policy violations{where}:\n  " + "\n  ".join(found)


@pytest.fixture
def page(request, browser_context, policy_violations):
    page = browser_context.new_page()

    def on_console(message):
        if POLICY_CONSOLE_MESSAGE.search(message.text):
            policy_violations.append(f"console {message.type}: {message.text}")

    page.on("console", on_console)
    yield page
    if not getattr(request.node, "browser_test_failed", True):
        # Every browser test (the journeys and their htmx swaps, the axe walk) fails on a violation.
        assert_no_policy_violations(page, policy_violations, f" during {request.node.name}")
    if getattr(request.node, "browser_test_failed", False):
        # A screenshot and the HTML of where the test stopped, for whoever reads the CI log.
        RESULTS_DIR.mkdir(exist_ok=True)
        name = "".join(c if c.isalnum() or c in "-_." else "_" for c in request.node.name)
        try:
            page.screenshot(path=str(RESULTS_DIR / f"{name}.png"), full_page=True)
            (RESULTS_DIR / f"{name}.html").write_text(page.content(), encoding="utf-8")
            print(f"browser state saved to {RESULTS_DIR / name}.png/.html (at {page.url})")
        except Exception as exc:  # the page may have crashed; the test's own failure matters more
            print(f"could not save the browser state: {exc}")


def log_in_context(context, live_server, user):
    """Sign `user` in to a browser context by copying a session cookie made by the test client."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    context.add_cookies([{
        "name": django_settings.SESSION_COOKIE_NAME,
        "value": cookie.value,
        "url": live_server.url,
        "httpOnly": True,
        "sameSite": "Lax",
    }])
