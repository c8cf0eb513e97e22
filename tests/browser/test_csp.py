"""Chromium reports no Content-Security-Policy violation, and no Permissions-Policy header error,
on the Wagtail admin's main screens under the admin's own policy.

The site's own pages are walked by tests/browser/test_page_walk.py (policy, reflow and axe, each
page loaded once). The listener is tests/browser/conftest.py's, which every browser test has: the
journeys, with their htmx swaps, fail on a violation as well.
"""

import pytest
from wagtail.models import Page as WagtailPage

from tests.browser.conftest import assert_no_policy_violations, browser_db, log_in_context
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, browser_db]


def test_the_wagtail_admin_has_no_policy_violations(page, browser_context, live_server, policy_violations):
    log_in_context(browser_context, live_server, MemberFactory(is_staff=True, is_superuser=True))
    home = WagtailPage.objects.get(depth=2)
    for url in ("/admin/", f"/admin/pages/{home.pk}/", f"/admin/pages/{home.pk}/edit/", "/admin/images/"):
        response = page.goto(url)
        assert response.status == 200, f"GET {url} answered {response.status}"
        page.wait_for_load_state("networkidle")
        assert_no_policy_violations(page, policy_violations, f" on {url}")
