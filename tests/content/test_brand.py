"""The brand (issue 17, item 21): a name, a logo and a voice set under Settings > Brand, used in the
header and footer, e-mails, share cards, search engines' Organization card and the admin."""

import json
import re

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site

from content.models import BrandSettings
from core.absolute import email_subject, site_name

pytestmark = pytest.mark.django_db


def brand(**fields):
    site = Site.objects.get(is_default_site=True)
    row, _created = BrandSettings.objects.update_or_create(site=site, defaults=fields)
    return row


def test_the_header_footer_and_share_cards_say_the_brands_name_and_voice(client):
    brand(name="Linden & Loom", tagline="Clothes made to last.")
    html = client.get(reverse("forum:index")).content.decode()
    header = re.search(r'<a class="brand".*?</a>', html, re.S).group(0)
    assert "<span>Linden &amp; Loom</span>" in header
    assert '<meta property="og:site_name" content="Linden &amp; Loom">' in html
    # a page without a description of its own speaks in the brand's voice
    products = client.get(reverse("shop:product_list")).content.decode()
    assert '<meta name="description" content="Clothes made to last.">' in products
    assert 'class="site-footer__tagline">Clothes made to last.</span>' in html
    assert "<title>Forum · Linden &amp; Loom</title>" in html


def test_the_name_is_the_sites_so_every_email_says_it(client):
    brand(name="Linden & Loom")
    assert Site.objects.get(is_default_site=True).site_name == "Linden & Loom"
    assert site_name() == "Linden & Loom"
    assert email_subject("Confirm") == "[Linden & Loom] Confirm"
    client.post(reverse("account_signup"), {"email": "new@example.org", "username": "newbie",
                                            "password1": "a long pass phrase 7", "password2": "a long pass phrase 7"})
    assert mail.outbox and mail.outbox[-1].subject.startswith("[Linden & Loom]")


def test_a_change_shows_at_once_and_an_empty_brand_falls_back_to_the_site_name(client):
    Site.objects.filter(is_default_site=True).update(site_name="Plain Site")
    assert "<span>Plain Site</span>" in client.get(reverse("forum:index")).content.decode()
    brand(name="Linden & Loom")
    assert "<span>Linden &amp; Loom</span>" in client.get(reverse("forum:index")).content.decode()


def test_a_logo_replaces_the_default_mark_and_is_the_organizations_logo(client):
    logo = Image.objects.create(title="Logo", file=get_test_image_file(size=(200, 200)))
    brand(name="Linden & Loom", logo=logo)
    html = client.get("/").content.decode()
    src = re.search(r'<a class="brand"[^>]*>\s*<img src="([^"]+)"', html).group(1)
    assert "/img/logo.svg" not in src and src.endswith(".png")
    organization = next(data for data in (json.loads(block) for block in re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html, re.S)) if data.get("@type") == "Organization")
    assert organization["name"] == "Linden & Loom" and organization["logo"].endswith(src)


def test_hostile_brand_text_is_escaped_everywhere(client, admin_client):
    brand(name="<script>alert(1)</script>", tagline="\"><img src=x onerror=alert(1)>")
    for html in (client.get("/").content.decode(), admin_client.get(reverse("wagtailadmin_home")).content.decode()):
        assert "<script>alert(1)" not in html and "<img src=x" not in html


def test_the_admin_carries_the_brand(admin_client):
    brand(name="Linden & Loom")
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert re.search(r"<title>[^<]*Linden &amp; Loom</title>", html)
    assert "Linden &amp; Loom: the editors&#x27; desk" in html or "Linden &amp; Loom: the editors' desk" in html
    assert "data-wagtail-sidebar-branding-logo><img" in html
    settings_url = reverse("wagtailsettings:edit", args=["content", "brandsettings"])
    assert admin_client.get(settings_url, follow=True).status_code == 200
