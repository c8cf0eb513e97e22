"""The light/dark switch's markup (issue 17, item 20); tests/browser/test_theme_switch.py drives it."""

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_every_page_loads_the_theme_before_painting_and_offers_the_switch_to_scripts(client):
    html = client.get("/forum/").content.decode()
    head = html.split("</head>", 1)[0]
    script = re.search(r'<script src="[^"]*js/theme\.js"( defer)?></script>', head)
    assert script and not script.group(1)  # blocking, tiny: the theme is set before the first paint
    switch = re.search(r"<fieldset class=\"theme-switch\" data-theme-switch hidden>.*?</fieldset>", html, re.S).group(0)
    assert "<legend>Colours</legend>" in switch
    assert [value for value in re.findall(r'value="(\w+)"', switch)] == ["system", "light", "dark"]


def test_the_stylesheet_follows_a_choice_over_the_system_preference():
    css = open(finders.find("css/site.css")).read()
    assert ':root:not([data-theme="light"])' in css and ':root[data-theme="dark"]' in css
    js = open(finders.find("js/theme.js")).read()
    assert "localStorage" in js and "cookie" not in js.split("*/", 1)[1]
