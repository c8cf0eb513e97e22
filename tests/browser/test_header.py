"""The header (issue 17, item 8): one row on a desktop for a signed-in member with a long name and
unread notifications; on a phone, the brand, the notification count and a Menu button that opens
the navigation, search and account links (closed by the button or Escape); without script all of
it shows. Nothing scrolls sideways at 320 px."""

import pytest

from community.members.services import notification_send
from tests.browser.conftest import browser_db, log_in_context
from tests.factories import MemberFactory

pytestmark = [pytest.mark.browser, browser_db]

ROWS = """() => {
  const tops = [...document.querySelectorAll('.brand, .main-nav, .search-box, .account-links, .notifications-link')]
    .filter(e => e.getClientRects().length)
    .map(e => Math.round(e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2));
  return {height: document.querySelector('.site-header').getBoundingClientRect().height,
          spread: Math.max(...tops) - Math.min(...tops), shown: tops.length,
          sideways: document.documentElement.scrollWidth > window.innerWidth};
}"""


@pytest.fixture
def signed_in(browser_context, live_server):
    member = MemberFactory(username="eleni", display_name="Ελένη Παπαδοπούλου-Καραγιάννη")
    actor = MemberFactory(username="maya", display_name="Maya")
    for n in range(3):
        notification_send(member, "mention", actor=actor, url="/members/maya/", title="Maya mentioned you",
                          source_key=f"header:{n}")
    log_in_context(browser_context, live_server, member)
    return member


def test_one_row_on_a_desktop(page, signed_in):
    for width in (1280, 1440):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto("/forum/")
        rows = page.evaluate(ROWS)
        assert rows["shown"] == 5 and rows["spread"] <= 4, rows
        assert rows["height"] < 80, rows
        assert not page.locator(".menu-toggle").is_visible()


def test_a_compact_menu_on_a_phone(page, signed_in):
    page.set_viewport_size({"width": 320, "height": 700})
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.goto("/forum/")
        rows = page.evaluate(ROWS)
        assert rows["height"] < 80 and not rows["sideways"], rows
        assert page.locator(".notifications-link .count-badge").is_visible()
        assert page.locator(".notifications-link").get_attribute("href") == "/me/notifications/"
        toggle = page.get_by_role("button", name="Menu")
        assert toggle.get_attribute("aria-expanded") == "false"
        assert not page.locator(".main-nav").is_visible()
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        assert page.locator(".main-nav").get_by_role("link", name="Forum").is_visible()
        assert page.get_by_role("button", name="Log out").is_visible()
        assert not page.evaluate(ROWS)["sideways"]
        page.keyboard.press("Escape")
        assert toggle.get_attribute("aria-expanded") == "false" and not page.locator(".main-nav").is_visible()
        assert page.evaluate("document.activeElement.classList.contains('menu-toggle')")


def test_without_script_everything_shows(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 700})
    try:
        page = context.new_page()
        page.goto(live_server.url + "/forum/")
        assert page.locator(".main-nav").is_visible()
        assert page.locator("header").get_by_role("link", name="Log in", exact=True).is_visible()
        assert not page.locator(".menu-toggle").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()
