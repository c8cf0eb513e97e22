"""The product page (issue 17, item 15): a gallery, sizes and colours, materials and care, the
lookbooks that style it, the forum topics that talk about it, and related products; the list filters
by size and colour. Each part is read from an index, in a fixed number of queries."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from community.forum.models import Category, ProductMention
from community.forum.product_links import product_slugs
from community.forum.services import post_edit, post_reply, topic_create
from community.forum.services.moderation import post_set_hidden
from content.models import HomePage, LookbookIndexPage, LookbookPage, LookbookProduct
from core.versions import version_get
from shop.cache import product_scope
from shop.models import ProductImage, split_list
from shop.selectors import product_sizes, products_bought_together, products_related
from tests.content.page_fixtures import image, look
from tests.factories import MemberFactory, OrderFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shirt(db):
    product = ProductFactory(
        name="Linen shirt", slug="linen-shirt", price=Decimal("79.00"), product_type="Shirts", sizes="XS, S, M, L",
        colours="Sand, Indigo", materials="100 % linen\nSewn in Portugal",
        care_guide="Wash at 40 °C.\n\nDry in the shade.", image=image("Shirt", (200, 200)),
    )
    for order, title in enumerate(["Close-up", "Laid flat"]):
        ProductImage.objects.create(product=product, image=image(title, (200, 200)), sort_order=order,
                                    alt_text=f"The shirt, {title.lower()}")
    return product


def page(client, product):
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_the_gallery_options_materials_and_care(client, shirt):
    html = page(client, shirt)
    slides = re.search(r'<ul class="product-gallery__slides".*?</ul>', html, re.S).group(0)
    assert slides.count('<li id="picture-') == 3
    assert 'alt="The shirt, close-up"' in slides and 'alt="The shirt, laid flat"' in slides
    assert html.count('href="#picture-') == 3  # thumbnails are plain links: no script needed
    assert re.findall(r'<li class="chip">([^<]+)</li>', html) == ["XS", "S", "M", "L", "Sand", "Indigo"]
    assert "<li>100 % linen</li>" in html and "<li>Sewn in Portugal</li>" in html
    assert '<details id="care">' in html and "<p>Dry in the shade.</p>" in html


def test_a_plain_product_shows_no_empty_parts(client):
    product = ProductFactory(name="Gift card", slug="gift-card")
    html = page(client, product)
    for part in ("product-gallery", "product-options", "product-details", "product-lookbooks", "product-topics",
                 "product-related"):
        assert part not in html


def test_split_list_trims_and_drops_repeats():
    assert split_list(" XS, s ,S,, M ,") == ["XS", "s", "M"]
    assert split_list("") == []


def test_the_list_filters_by_whole_sizes_and_colours(client, shirt):
    ProductFactory(name="Small scarf", slug="small-scarf", sizes="XS", colours="Sandstone")
    ProductFactory(name="Socks", slug="socks", sizes="36–38, 39–41", colours="Grey")

    def names(query):
        html = client.get(reverse("shop:product_list") + query).content.decode()
        return re.findall(r'<h2><a href="[^"]+">([^<]+)</a></h2>', html)

    assert names("?size=S") == ["Linen shirt"]  # "S" is not "XS"
    assert names("?size=XS") == ["Linen shirt", "Small scarf"]
    assert names("?colour=Sand") == ["Linen shirt"]  # not "Sandstone"
    assert names("?size=39–41") == ["Socks"]
    assert names("?size=XXXL") == ["Linen shirt", "Small scarf", "Socks"]  # not a choice: ignored
    assert product_sizes() == ["XS", "S", "M", "L", "36–38", "39–41"]


def test_related_are_bought_together_first_then_the_same_type(shirt):
    trousers, belt, cap = (ProductFactory(name="Trousers", product_type="Trousers"), ProductFactory(name="Belt"),
                           ProductFactory(name="Cap"))
    ProductFactory(name="Another shirt", product_type="Shirts")
    ProductFactory(name="Mug", product_type="Home")
    OrderFactory(lines=[shirt, trousers, belt])
    OrderFactory(lines=[shirt, trousers])
    OrderFactory(lines=[shirt, cap], status="cancelled")  # not paid: does not count
    assert [p.name for p in products_bought_together([shirt.pk])] == ["Trousers", "Belt"]
    assert [p.name for p in products_related(shirt, limit=3)] == ["Trousers", "Belt", "Another shirt"]


def test_lookbooks_that_show_the_product_are_listed_and_follow_publishing(client, shirt):
    index = HomePage.objects.get().add_child(instance=LookbookIndexPage(title="Lookbooks", slug="lookbooks"))
    book = LookbookPage(title="Summer linen", slug="summer-linen", season="Summer 2026")
    book.looks = [look("By the sea", [image("Sea")], [shirt])]
    index.add_child(instance=book)
    before = version_get(product_scope(shirt.pk))
    book.save_revision().publish()
    assert version_get(product_scope(shirt.pk)) > before
    assert list(LookbookProduct.objects.values_list("page_id", "product_id")) == [(book.pk, shirt.pk)]
    html = page(client, shirt)
    assert "Styled in our lookbooks" in html and "Summer linen" in html

    book.looks = [look("By the sea", [image("Sea")], [])]  # the shirt taken out of the look
    book.save_revision().publish()
    assert not LookbookProduct.objects.exists()
    assert "Styled in our lookbooks" not in page(client, shirt)

    book.looks = [look("By the sea", [image("Sea")], [shirt])]
    book.save_revision().publish()
    book.unpublish()
    assert not LookbookProduct.objects.exists()


@pytest.fixture
def forum(db):
    author = MemberFactory(username="alice")
    author.date_joined = author.date_joined.replace(year=2020)
    author.save(update_fields=["date_joined"])
    return author, Category.objects.create(name="Care", slug="care"), Category.objects.create(
        name="Lounge", slug="lounge", members_only=True)


def test_forum_topics_that_link_the_product_are_listed(client, shirt, forum):
    author, care, lounge = forum
    url = shirt.get_absolute_url()
    topic = topic_create(author, care, title="Washing linen", body="Any tips?")
    before = version_get(product_scope(shirt.pk))
    reply = post_reply(author, topic, body=f"The [care guide]({url}#care) says 40 °C.")
    assert version_get(product_scope(shirt.pk)) > before
    private = topic_create(author, lounge, title="Samples of the shirt", body=f"[Linen shirt](http://testserver{url})")
    assert ProductMention.objects.count() == 2

    html = page(client, shirt)
    assert "Talked about in the forum" in html and "Washing linen" in html
    assert "Samples of the shirt" not in html  # members only: not for visitors, and not its title either
    client.force_login(MemberFactory())
    assert "Samples of the shirt" in page(client, shirt)
    client.logout()

    post_set_hidden(MemberFactory(is_staff=True), reply, True)
    assert "Washing linen" not in page(client, shirt)
    post_set_hidden(MemberFactory(is_staff=True), reply, False)
    post_edit(author, reply, body="No link any more.")
    assert not ProductMention.objects.filter(post=reply).exists()
    assert private.pk and "Washing linen" not in page(client, shirt)


@pytest.mark.parametrize("href, found", [
    ("/products/linen-shirt/", ["linen-shirt"]),
    ("/el/products/linen-shirt/", ["linen-shirt"]),
    ("http://testserver/hu/products/linen-shirt/#care", ["linen-shirt"]),
    ("https://elsewhere.example.org/products/linen-shirt/", []),
    ("javascript:alert(1)", []),
    ("/forum/", []),
    ("/products/", []),
    ("products/linen-shirt/", []),
])
def test_product_links_are_found_only_on_this_site(settings, href, found):
    settings.ALLOWED_HOSTS = ["testserver"]
    assert product_slugs(f'<p><a href="{href}">link</a></p>') == found


def test_the_page_reads_a_fixed_number_of_queries(client, shirt, forum, assert_queries):
    author, care, _lounge = forum

    def grow():
        for n in range(3):
            other = ProductFactory(product_type="Shirts", image=image(f"Other {n}", (60, 60)))
            OrderFactory(lines=[shirt, other])
            ProductImage.objects.create(product=shirt, image=image(f"More {n}", (60, 60)), sort_order=5 + n)
            topic_create(author, care, title=f"Topic {n}", body=f"[It, {n}]({shirt.get_absolute_url()})")
        client.get(shirt.get_absolute_url())  # the new pictures' renditions made once

    ProductFactory(product_type="Shirts", image=image("Neighbour", (60, 60)))  # a related product from the start
    client.get(shirt.get_absolute_url())  # renditions made once
    # (+ 1 the help centre's care page, engagement.play)
    assert_queries(17, lambda: client.get(shirt.get_absolute_url()), grow=grow)
