"""Chromium reports no Content-Security-Policy violation, and no Permissions-Policy header error, on
any page of the site, in light and in dark colours; nor on the Wagtail admin's main screens under
the admin's own policy. The site's pages are opened 320 px wide, and none scrolls sideways there
(WCAG 1.4.10, reflow).

The pages are those of tests/pagecheck.py (the Nu HTML checker and axe walk them too). The
listener is tests/browser/conftest.py's, which every browser test has: the journeys, with their
htmx swaps, fail on a violation as well.
"""

import pytest
from wagtail.models import Page as WagtailPage

from tests.browser.conftest import assert_no_policy_violations, browser_db, log_in_context
from tests.factories import MemberFactory
from tests.pagecheck import COLOR_SCHEMES, MEMBER_PAGES, PUBLIC_PAGES, index_live_pages, make_page_member, prepare

pytestmark = [pytest.mark.browser, browser_db]

CASES = [pytest.param(p, False, id=f"anonymous-{p.slug}") for p in PUBLIC_PAGES] + [
    pytest.param(p, True, id=f"member-{p.slug}") for p in MEMBER_PAGES
]


@pytest.fixture
def page_member(db):
    return make_page_member()


def open_in_both_schemes(page, violations, url, status=200):
    page.set_viewport_size({"width": 320, "height": 800})
    for scheme in COLOR_SCHEMES:
        page.emulate_media(color_scheme=scheme)
        response = page.goto(url)
        assert response.status == status, f"GET {url} answered {response.status}, expected {status}"
        page.wait_for_load_state("networkidle")
        assert_no_policy_violations(page, violations, f" on {url} in {scheme} colours")
        wider = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
            .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))""")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
            f"{url} scrolls sideways at 320 px in {scheme} colours; wider than the screen: {wider}")


@pytest.mark.parametrize(("target", "signed_in"), CASES)
def test_page_has_no_policy_violations(page, browser_context, live_server, policy_violations, page_member, target,
                                       signed_in):
    if signed_in:
        log_in_context(browser_context, live_server, page_member)
    prepare([target])
    index_live_pages()
    open_in_both_schemes(page, policy_violations, target.url(page_member.username), target.status)


def test_the_wagtail_admin_has_no_policy_violations(page, browser_context, live_server, policy_violations):
    log_in_context(browser_context, live_server, MemberFactory(is_staff=True, is_superuser=True))
    home = WagtailPage.objects.get(depth=2)
    for url in ("/admin/", f"/admin/pages/{home.pk}/", f"/admin/pages/{home.pk}/edit/", "/admin/images/"):
        response = page.goto(url)
        assert response.status == 200, f"GET {url} answered {response.status}"
        page.wait_for_load_state("networkidle")
        assert_no_policy_violations(page, policy_violations, f" on {url}")
