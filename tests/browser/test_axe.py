"""axe finds no accessibility violations on the public and member pages, in light and dark colours.

The pages are those of tests/pagecheck.py, which the Nu HTML checker test checks as well.
"""

import pytest

from tests.browser.conftest import browser_db, log_in_context
from tests.pagecheck import (
    INVALID_PROFILE_POST,
    MEMBER_PAGES,
    PUBLIC_PAGES,
    assert_no_axe_violations,
    index_live_pages,
    make_page_member,
    prepare,
)

pytestmark = [pytest.mark.browser, browser_db]

CASES = [pytest.param(p, False, id=f"anonymous-{p.slug}") for p in PUBLIC_PAGES] + [
    pytest.param(p, True, id=f"member-{p.slug}") for p in MEMBER_PAGES
]


@pytest.fixture
def page_member(db):
    return make_page_member()


@pytest.mark.parametrize(("target", "signed_in"), CASES)
def test_page_has_no_axe_violations(page, browser_context, live_server, page_member, target, signed_in):
    if signed_in:
        log_in_context(browser_context, live_server, page_member)
    prepare([target])
    index_live_pages()
    url = target.url(page_member.username)
    response = page.goto(url)
    assert response.status == target.status, f"GET {url} answered {response.status}, expected {target.status}"
    if target.marker:
        assert target.marker in page.content(), f"GET {url}: the page does not contain {target.marker!r}"
    assert_no_axe_violations(page, f"GET {url} ({'signed in' if signed_in else 'anonymous'})")


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
