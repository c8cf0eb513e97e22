"""Every page of tests/pagecheck.py, opened in Chromium, in light and in dark colours:

- no Content-Security-Policy violation and no Permissions-Policy header error (the listener is
  tests/browser/conftest.py's), 320 px wide and 1280 px wide;
- nothing scrolls sideways 320 px wide (WCAG 1.4.10, reflow);
- axe finds no accessibility violation, 1280 px wide: every rule in light colours, and in dark
  colours the rules colours decide (pagecheck.COLOUR_RULES; only the CSS reads the scheme).

Each page is loaded once: the colours and the width change on the open page (the CSS answers
prefers-color-scheme and the width live, and a picture fetches what the new width or colours
ask for, which the listener hears). The pages are walked in groups, one test a group, by the
data they need (pagecheck.prepare), so each group's rows are made once; a failure names its page
and every page of the group is still checked. The Nu HTML checker walks the same pages
(tests/website/test_html_valid.py).
"""

import itertools

import pytest

from tests.browser.conftest import browser_db, log_in_context, take_policy_violations
from tests.pagecheck import (
    COLOR_SCHEMES,
    COLOUR_RULES,
    MEMBER_PAGES,
    PUBLIC_PAGES,
    axe_violations,
    format_axe_violations,
    index_live_pages,
    make_page_member,
    prepare,
)

pytestmark = [pytest.mark.browser, browser_db]

NARROW = {"width": 320, "height": 800}
WIDE = {"width": 1280, "height": 900}
# Pictures and fonts still loading (after the load event, or a change of width or colours): wait
# for each to load or fail (at most 3 s; a lazy picture out of view never starts), so that what
# the policy refuses among them is reported before the check.
SETTLED = """() => Promise.race([new Promise((done) => setTimeout(done, 3000)), Promise.all([document.fonts.ready,
    ...[...document.images]
    .filter((img) => !img.complete && (img.loading !== "lazy" || img.getBoundingClientRect().top < innerHeight))
    .map((img) => new Promise((done) => { img.addEventListener("load", done); img.addEventListener("error", done); }))])])"""
WIDER_THAN_SCREEN = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
    .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))"""


def _groups():
    """(pages, signed_in) a group, by who looks and the data the pages need."""
    cases = []
    for signed_in, pages in ((False, PUBLIC_PAGES), (True, MEMBER_PAGES)):
        by_need = itertools.groupby(sorted(pages, key=lambda p: p.needs), key=lambda p: p.needs)
        for need, group in by_need:
            group = list(group)
            who = "member" if signed_in else "anonymous"
            cases.append(pytest.param(group, signed_in, id=f"{who}-{need or 'plain'}-{len(group)}-pages"))
    return cases


@pytest.fixture
def page_member(db):
    return make_page_member()


def _settle(page, viewport=None):
    if viewport:
        page.set_viewport_size(viewport)
    page.evaluate(SETTLED)


def check_page(page, violations, url, status, marker, label):
    """What is wrong with one page, as readable lines (an empty list when nothing is)."""
    problems = []

    def policy(where):
        found = take_policy_violations(page, violations)
        if found:
            problems.append(f"{label} {where}: the browser reported policy violations:\n  " + "\n  ".join(found))

    page.set_viewport_size(NARROW)
    page.emulate_media(color_scheme=COLOR_SCHEMES[0])
    response = page.goto(url)
    if response.status != status:
        return [f"{label}: answered {response.status}, expected {status}"]
    if marker and marker not in page.content():
        problems.append(f"{label}: the page does not contain {marker!r}")
    for index, scheme in enumerate(COLOR_SCHEMES):
        page.emulate_media(color_scheme=scheme)
        # goto waits for the load event; the site makes no request of its own after it (no htmx
        # trigger fires without a click, no script fetches), so waiting for the network to stay
        # idle half a second, a page, would only wait: pictures and fonts still coming are awaited.
        _settle(page, NARROW)
        if not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
            wider = page.evaluate(WIDER_THAN_SCREEN)
            problems.append(f"{label} scrolls sideways at 320 px in {scheme} colours; wider than the screen: {wider}")
        _settle(page, WIDE)
        found = axe_violations(page, scheme, rules=None if index == 0 else COLOUR_RULES)
        if found:
            problems.append(f"{label} [{scheme} colours, 1280 px]: axe found accessibility violations:\n"
                            f"{format_axe_violations(found)}")
        policy(f"at 320 and 1280 px in {scheme} colours")
    return problems


@pytest.mark.parametrize(("pages", "signed_in"), _groups())
def test_pages_pass_the_policy_reflow_and_axe(page, browser_context, live_server, policy_violations, page_member,
                                              pages, signed_in):
    if signed_in:
        log_in_context(browser_context, live_server, page_member)
    prepare(pages)
    index_live_pages()
    who = "signed in" if signed_in else "anonymous"
    problems = []
    for target in pages:
        url = target.url(page_member.username)
        problems += check_page(page, policy_violations, url, target.status, target.marker, f"GET {url} ({who})")
    assert not problems, f"{len(problems)} problem(s) on {len(pages)} pages:\n\n" + "\n\n".join(problems)
