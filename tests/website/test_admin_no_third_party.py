"""No third-party request from the admin (issue 17, item 13): editors' avatars are Wagtail's own
default (no Gravatar), the dashboard never asks Wagtail's release server for a new version, and the
admin's Content-Security-Policy names no such host, so a browser would refuse them anyway."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ADMIN_PAGES = ["wagtailadmin_home", "wagtailadmin_account", "wagtailusers_users:index"]
# What the browser fetches by itself: sources, stylesheets and preloads (a link to documentation an
# editor may follow is not a request).
THIRD_PARTY = re.compile(r"""(?:\bsrc(?:set)?=["']|<link\b[^>]*\bhref=["'])(?:https?:)?//(?!testserver)[^"']*""", re.I)


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_pages_load_nothing_from_another_site(admin_client, name):
    response = admin_client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert "gravatar" not in html.lower()
    assert "releases.wagtail.org" not in html and "data-w-upgrade" not in html
    assert not THIRD_PARTY.findall(html), THIRD_PARTY.findall(html)
    policy = response["Content-Security-Policy"]
    assert "gravatar" not in policy and "releases.wagtail.org" not in policy


def test_the_site_owner_can_turn_the_version_check_back_on(admin_client, settings):
    settings.WAGTAIL_ENABLE_UPDATE_CHECK = True
    assert "data-w-upgrade" in admin_client.get(reverse("wagtailadmin_home")).content.decode()
