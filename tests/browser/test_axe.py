"""axe finds no accessibility violations on a form sent back with its errors, in light and dark
colours. The site's pages are walked by tests/browser/test_page_walk.py (axe, policy and reflow).
"""

import pytest

from tests.browser.conftest import browser_db, log_in_context
from tests.pagecheck import INVALID_PROFILE_POST, assert_no_axe_violations, make_page_member

pytestmark = [pytest.mark.browser, browser_db]


@pytest.fixture
def page_member(db):
    return make_page_member()


def test_invalid_profile_form_has_no_axe_violations(page, browser_context, live_server, page_member):
    log_in_context(browser_context, live_server, page_member)
    page.goto("/me/profile/")
    page.fill("#id_display_name", INVALID_PROFILE_POST["display_name"])
    # The textarea's maxlength stops typing at 500 characters; the server must refuse more too.
    page.eval_on_selector("#id_bio", "(el, text) => { el.value = text; }", INVALID_PROFILE_POST["bio"])
    with page.expect_navigation() as navigation:
        page.locator("main form button[type=submit]").click()
    assert navigation.value.status == 400
    assert_no_axe_violations(page, "POST /me/profile/ with a bio that is too long")
