"""The light/dark switch (issue 17, item 20): beside the system preference, remembered in the
browser's localStorage (no cookie, so no banner), applied before the page paints."""

import pytest

from tests.browser.conftest import browser_db

pytestmark = [pytest.mark.browser, browser_db]

BACKGROUND = "getComputedStyle(document.body).backgroundColor"
LIGHT_BG, DARK_BG = "rgb(251, 250, 248)", "rgb(18, 20, 19)"


def test_the_choice_overrides_the_system_and_is_remembered_without_a_cookie(page, live_server, browser_context):
    page.emulate_media(color_scheme="light")
    page.goto(live_server.url + "/")
    switch = page.locator("fieldset[data-theme-switch]")
    assert switch.is_visible()
    assert page.locator('input[name="theme"][value="system"]').is_checked()
    assert page.evaluate(BACKGROUND) == LIGHT_BG

    page.get_by_label("Dark").check()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert page.evaluate(BACKGROUND) == DARK_BG

    page.goto(live_server.url + "/forum/")
    assert page.evaluate(BACKGROUND) == DARK_BG
    assert page.locator('input[name="theme"][value="dark"]').is_checked()
    assert not [c for c in browser_context.cookies() if "theme" in c["name"].lower()]

    page.emulate_media(color_scheme="dark")
    page.get_by_label("Light").check()
    assert page.evaluate(BACKGROUND) == LIGHT_BG  # light, although the system says dark

    page.get_by_label("As the device").check()
    assert page.evaluate("document.documentElement.hasAttribute('data-theme')") is False
    assert page.evaluate(BACKGROUND) == DARK_BG
    assert page.evaluate("localStorage.getItem('theme')") is None


def test_without_script_the_switch_is_not_offered(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        assert not page.locator("fieldset[data-theme-switch]").is_visible()
    finally:
        context.close()
