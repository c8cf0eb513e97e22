"""axe finds no accessibility violations on the Insights admin pages (issue 19), with figures in
them, in light and dark colours; the Nu HTML checker checks the same pages (ADMIN_PAGES of
tests/pagecheck.py) in tests/insights/test_markup.py."""

import pytest

from tests.browser.conftest import browser_db, log_in_context
from tests.pagecheck import ADMIN_PAGES, assert_no_axe_violations, make_admin_user, prepare

pytestmark = [pytest.mark.browser, browser_db]


@pytest.mark.parametrize("target", [pytest.param(p, id=p.slug) for p in ADMIN_PAGES])
def test_insights_page_has_no_axe_violations(page, browser_context, live_server, target):
    prepare([target])
    log_in_context(browser_context, live_server, make_admin_user())
    url = target.url()
    response = page.goto(url)
    assert response.status == target.status, f"GET {url} answered {response.status}, expected {target.status}"
    if target.marker:
        assert target.marker in page.content(), f"GET {url}: the page does not contain {target.marker!r}"
    assert_no_axe_violations(page, f"GET {url} (superuser)")
