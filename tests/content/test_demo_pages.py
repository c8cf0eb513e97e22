import io
from decimal import Decimal

import pytest
from wagtail.images import get_image_model

from content import demo, demo_pages
from content.models import BrandStoryPage, HomePage, LookbookIndexPage, LookbookPage, MembersOnlyPage
from shop.models import Product
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def counts():
    return (BrandStoryPage.objects.live().count(), LookbookIndexPage.objects.live().count(),
            LookbookPage.objects.live().count(), MembersOnlyPage.objects.live().count(), get_image_model().objects.count())


def test_demo_pages_load_twice_with_the_same_counts(client):
    # The looks link the demo shop's products; two of them are enough to see the links.
    Product.objects.create(sku="LIN-SHIRT-SAND", name="Linen shirt – sand", slug="linen-shirt-sand", price=Decimal("79"))
    Product.objects.create(sku="RAIN-FJORD", name="Fjord raincoat", slug="fjord-raincoat", price=Decimal("229"))
    demo.load(io.StringIO())  # the blog first, as load_demo does
    out = io.StringIO()
    demo_pages.load(out)
    first = counts()
    assert first[:4] == (1, 1, 2, 2)  # the interview and its early-access first look
    assert "/about/" in out.getvalue()
    demo_pages.load(io.StringIO())
    assert counts() == first

    home = HomePage.objects.get()
    assert home.hero_image_id is not None
    html = client.get("/").content.decode()
    assert 'href="/lookbooks/summer-linen/"' in html  # the newest lookbook is featured
    about = client.get("/about/").content.decode()
    assert 'class="timeline"' in about and 'class="values"' in about and 'class="people"' in about
    assert 'href="/in-the-studio/"' in about  # the brand story points members to the interview
    summer = client.get("/lookbooks/summer-linen/").content.decode()
    assert summer.count('class="look"') == 3 and 'href="/products/linen-shirt-sand/"' in summer
    assert 'href="/products/fjord-raincoat/"' in client.get("/lookbooks/winter-wool/").content.decode()
    assert "members-gate" in client.get("/in-the-studio/").content.decode()
    client.force_login(MemberFactory())
    assert "members-content" in client.get("/in-the-studio/").content.decode()
    # the first look is open early to the second tier: a new member sees how to reach it
    early = client.get("/in-the-studio/autumn-samples/").content.decode()
    assert 'class="prose post__body members-content"' not in early and "Early access for Insider members" in early
