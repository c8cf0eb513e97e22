# The project's Chromium fixtures, package-scoped here too, so the browser (and the event loop
# Playwright runs) lives only while this folder's tests run.
from tests.browser.conftest import (  # noqa: F401
    browser,
    browser_context,
    page,
    policy_violations,
    pytest_runtest_makereport,
)
