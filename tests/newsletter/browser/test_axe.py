"""axe finds no violations on the newsletter's pages, in light and dark colours, including the
forms after a refused post (without JavaScript and swapped in by htmx) and after signing up."""

import pytest

from tests.browser.conftest import browser_db
from tests.newsletter.test_markup import newsletter_pages
from tests.pagecheck import assert_no_axe_violations

pytestmark = [pytest.mark.browser, browser_db]


def test_newsletter_pages_have_no_axe_violations(page, live_server):
    for label, method, path, _data, status in newsletter_pages():
        if method != "get":
            continue
        response = page.goto(path)
        assert response.status == status, f"{label}: {response.status}"
        assert_no_axe_violations(page, label)
    # the forms after a refused post, without JavaScript's help and with htmx
    page.goto("/newsletter/subscribe/")
    page.fill("#newsletter-page-email", "nope")
    with page.expect_navigation() as navigation:
        page.locator("main form button[type=submit]").click()
    assert navigation.value.status == 400
    assert_no_axe_violations(page, "sign-up page with errors")
    page.goto("/accounts/login/")
    page.fill("#newsletter-footer-email", "nope")
    page.locator("#newsletter-footer button").click()
    page.wait_for_selector("#newsletter-footer .errorlist")
    assert_no_axe_violations(page, "footer form with errors, swapped in by htmx")
    page.fill("#newsletter-footer-email", "someone@example.com")
    page.check("#newsletter-footer-consent")
    page.locator("#newsletter-footer button").click()
    page.wait_for_selector("#newsletter-footer .newsletter-done")
    assert_no_axe_violations(page, "footer after signing up, swapped in by htmx")
