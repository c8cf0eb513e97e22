"""The brand story, the lookbooks, the members-only pages and the home page's new sections: where
editors may create them, what they show, who sees what, their JSON-LD, and pinned query counts
that do not grow with the looks, products or lookbooks shown."""

import datetime
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from wagtail.models import Page

from content.models import BrandStoryPage, LookbookIndexPage, LookbookPage, MembersOnlyPage
from content.page_blocks import LookBlock
from tests.content.page_fixtures import image, look, make_check_pages
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

SECRET = "The secret members-only words of the interview."


def json_ld(html):
    return [json.loads(s) for s in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


@pytest.fixture
def pages(home):
    make_check_pages()
    return {
        "about": BrandStoryPage.objects.get(),
        "index": LookbookIndexPage.objects.get(),
        "summer": LookbookPage.objects.get(slug="summer-linen"),
        "winter": LookbookPage.objects.get(slug="winter-wool"),
        "interview": MembersOnlyPage.objects.get(),
    }


# --- where pages go ----------------------------------------------------------------------------

def test_page_tree_rules(home):
    root = Page.get_first_root_node()
    assert BrandStoryPage.can_create_at(home) and not BrandStoryPage.can_create_at(root)
    assert LookbookIndexPage.can_create_at(home)
    assert not LookbookPage.can_create_at(home)
    assert MembersOnlyPage.can_create_at(home)
    assert LookbookIndexPage.allowed_subpage_models() == [LookbookPage]
    assert LookbookPage.allowed_parent_page_models() == [LookbookIndexPage]
    assert BrandStoryPage.allowed_subpage_models() == []


def test_one_lookbook_index_and_lookbooks_only_under_it(pages, home):
    home.refresh_from_db()  # the fixture's copy predates its children
    assert not LookbookIndexPage.can_create_at(home)
    assert LookbookPage.can_create_at(pages["index"])
    assert not LookbookPage.can_create_at(pages["summer"])
    assert MembersOnlyPage.can_create_at(pages["interview"])  # a members' section can have sub-pages


# --- brand story -------------------------------------------------------------------------------

def test_brand_story_shows_every_block(client, pages):
    html = client.get("/about/").content.decode()
    assert "<h1>Our story</h1>" in html
    assert "Where it began" in html and "The first workshop" in html  # text, image caption
    assert "youtube-nocookie.com/embed/check-video" in html and "We cut, we sew." in html  # video + transcript
    assert "Make less, make it well." in html  # quote
    assert '<time datetime="2019">2019</time>' in html and "The community" in html  # timeline
    assert "Made to last" in html and "Fair pay" in html  # values
    assert "Ἀλίκη Παπαδοπούλου" in html and "Founder" in html  # people
    types = [item["@type"] for item in json_ld(html)]
    assert types == ["AboutPage", "BreadcrumbList"]


def test_video_that_cannot_be_embedded_links_to_where_it_is(client, pages):
    about = pages["about"]
    about.body = [{"type": "video", "value": {"video": "https://video.example.com/v/1", "title": "Elsewhere", "transcript": ""}}]
    about.save_revision().publish()
    with override_settings(WAGTAILEMBEDS_FINDERS=[{"class": "tests.content.test_pages.NoEmbeds"}]):
        html = client.get("/about/").content.decode()
    assert 'href="https://video.example.com/v/1"' in html and "Elsewhere" in html


class NoEmbeds:
    """An embed finder for the outside world this machine cannot reach: it finds nothing."""

    def __init__(self, **options):
        pass

    def accept(self, url):
        return True

    def find_embed(self, url, max_width=None, max_height=None):
        from wagtail.embeds.exceptions import EmbedNotFoundException

        raise EmbedNotFoundException


# --- lookbooks ---------------------------------------------------------------------------------

def test_lookbook_index_lists_live_lookbooks_newest_first(client, pages):
    html = client.get("/lookbooks/").content.decode()
    assert html.index("Summer linen") < html.index("Winter wool")
    pages["winter"].unpublish()
    assert "Winter wool" not in client.get("/lookbooks/").content.decode()


def test_lookbook_shows_its_looks_with_shop_the_look(client, pages):
    html = client.get("/lookbooks/summer-linen/").content.decode()
    assert 'id="look-1"' in html and 'id="look-2"' in html
    assert html.index("By the sea") < html.index("In town")
    assert "Roll the sleeves <b>twice</b>" in html
    assert 'href="/products/look-piece-0/"' in html and 'href="https://shop.example.com/p/look-0"' in html
    assert "€59.00" in html
    assert "#linenweek" in html and "#λινό" in html
    assert 'alt="By the sea, picture 1"' in html
    assert [item["@type"] for item in json_ld(html)] == ["CollectionPage", "BreadcrumbList"]


def test_a_look_leaves_out_products_made_inactive_or_deleted(client, pages):
    from shop.models import Product

    Product.objects.filter(slug="look-piece-0").update(active=False)
    Product.objects.filter(slug="look-piece-2").delete()
    html = client.get("/lookbooks/summer-linen/").content.decode()
    assert "/products/look-piece-0/" not in html and "/products/look-piece-2/" not in html
    assert "/products/look-piece-1/" in html
    assert html.count("Shop the look") == 1  # the second look has none left: no empty heading


@pytest.mark.parametrize("hashtag", ["#linen", "two words", "a-b", "x" * 51, "<b>"])
def test_look_hashtag_refuses_what_members_could_not_type(hashtag, home):
    picture = image("Look")
    block = LookBlock()
    value = block.to_python(look("A look", [picture], [], hashtag=hashtag)["value"])
    with pytest.raises(ValidationError):
        block.clean(value)


@pytest.mark.parametrize("hashtag", ["linenweek", "λινό", "regnvær", "summer_2026", ""])
def test_look_hashtag_takes_any_script(hashtag, home):
    picture = image("Look")
    block = LookBlock()
    block.clean(block.to_python(look("A look", [picture], [], hashtag=hashtag)["value"]))


def test_unknown_lookbook_is_404(client, pages):
    assert client.get("/lookbooks/no-such-lookbook/").status_code == 404


# --- members-only pages ------------------------------------------------------------------------

def test_visitors_see_the_teaser_and_an_invitation(client, pages):
    response = client.get("/in-the-studio/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "An interview with our founder." in html
    assert SECRET not in html and "Members first." not in html
    assert 'href="/accounts/signup/?next=/in-the-studio/"' in html
    assert 'href="/accounts/login/?next=/in-the-studio/"' in html
    assert "Cookie" in response["Vary"]
    page_ld = json_ld(html)[0]
    assert page_ld["isAccessibleForFree"] is False and page_ld["hasPart"]["cssSelector"] == ".members-content"


def test_members_see_the_body_privately(client, pages):
    client.force_login(MemberFactory())
    response = client.get("/in-the-studio/")
    html = response.content.decode()
    assert SECRET in html and "Members first." in html
    assert 'class="prose post__body members-content"' in html
    assert "private" in response["Cache-Control"]


def test_an_inactive_account_sees_the_teaser_only(client, pages):
    member = MemberFactory()
    client.force_login(member)
    member.is_active = False
    member.save()
    assert SECRET not in client.get("/in-the-studio/").content.decode()


@override_settings(PAGE_CACHE_SECONDS=600)
def test_the_anonymous_page_cache_never_serves_the_members_version(client, pages):
    member_client = client.__class__()
    member_client.force_login(MemberFactory())
    assert SECRET in member_client.get("/in-the-studio/").content.decode()
    first = client.get("/in-the-studio/")
    second = client.get("/in-the-studio/")
    assert SECRET not in first.content.decode() and SECRET not in second.content.decode()
    assert second["X-Page-Cache"] == "hit"
    assert SECRET in member_client.get("/in-the-studio/").content.decode()


def test_site_search_finds_the_teaser_but_not_the_members_content(client, pages):
    from tests.pagecheck import index_live_pages

    index_live_pages()
    assert "In the studio" in client.get("/search/", {"q": "interview founder"}).content.decode()
    assert "In the studio" not in client.get("/search/", {"q": "secret"}).content.decode()


# --- home page ---------------------------------------------------------------------------------

def test_home_features_the_newest_lookbook_unless_editors_choose(client, pages, home):
    html = client.get("/").content.decode()
    assert 'href="/lookbooks/summer-linen/"' in html and "Winter wool" not in html
    home.featured_lookbook = pages["winter"]
    home.save_revision().publish()
    html = client.get("/").content.decode()
    assert "Winter wool" in html and "Summer linen" not in html
    pages["winter"].unpublish()  # a chosen lookbook that is not live is not shown: the newest is
    assert "Summer linen" in client.get("/").content.decode()


def test_home_hero_and_community_strip(client, pages, home):
    home.hero_image = image("Home hero", (1600, 900))
    home.save_revision().publish()
    html = client.get("/").content.decode()
    assert 'class="hero hero--image"' in html and 'fetchpriority="high"' in html
    assert "From the community" in html


def test_home_without_lookbooks_has_no_lookbook_section(client):
    assert "The lookbook" not in client.get("/").content.decode()


def test_referral_call_waits_for_the_referrals_page(client, pages):
    # Only signed-in members are invited, and only once /me/referrals/ exists (the referrals issue).
    client.force_login(MemberFactory())
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("referrals:dashboard")
        expected = True
    except NoReverseMatch:
        expected = False
    assert ("Get your link" in client.get("/").content.decode()) is expected


# --- sitemap -----------------------------------------------------------------------------------

def test_sitemap_lists_the_new_pages_but_not_drafts(client, pages):
    draft = pages["index"].add_child(instance=LookbookPage(title="Draft", slug="draft", live=False))
    xml = client.get("/sitemap.xml").content.decode()
    for path in ("/about/", "/lookbooks/", "/lookbooks/summer-linen/", "/in-the-studio/"):
        assert f"{path}</loc>" in xml
    assert "/lookbooks/draft/" not in xml and draft.pk


# --- query counts ------------------------------------------------------------------------------
# The menu is cached and renditions are made on the first view, so each page is viewed once (and
# again after growing) before the count, which is the one every later visitor sees.

def _grow_lookbook(lookbook, client):
    """Four more looks, each with three new pictures and every product, two of them new."""
    def grow():
        from shop.models import Product

        Product.objects.bulk_create([
            Product(sku=f"MORE-{n}", name=f"More piece {n}", slug=f"more-piece-{n}", price=10, image=image(f"More {n}"))
            for n in range(2)
        ])
        every_product = list(Product.objects.all())
        looks = list(lookbook.looks.raw_data)
        for n in range(4):
            looks.append(look(f"More {n}", [image(f"Extra {n}.{m}") for m in range(3)], every_product))
        lookbook.looks = looks
        lookbook.save_revision().publish()
        client.get(lookbook.url)

    return grow


# Each: Wagtail's routing (site, locale, page, alias check, view restrictions), the page's locale,
# the breadcrumb ancestors, and then per page type one query per kind of thing shown, whatever
# their number: a lookbook its look pictures + renditions and its products + their renditions; the
# brand story its hero, each image block kind (body, timeline, people) + renditions and the video
# embed; the lookbook index its lookbooks + cover renditions; the home page its posts (restrictions,
# rows, authors, renditions), the featured lookbook + cover renditions, the latest forum topics and
# the shop strip's products + their image renditions.
# The page a path leads to (website.views.serve_page), a page's translations (hreflang and the
# language switcher name only the versions that exist: content_tags.page_language_links) and its
# link preview are kept under their scopes, so Wagtail's routing (site, locale, the page) costs no
# query here. The home page keeps its strips too ({% fragment %}): with them kept it runs the alias
# check, the restrictions and the latest topics; HOME_QUERIES_MADE when every part is made afresh.
LOOKBOOK_QUERIES = 8
ABOUT_QUERIES = 12
INDEX_QUERIES = 7
MEMBERS_PAGE_QUERIES = 7
HOME_QUERIES = 3
HOME_QUERIES_MADE = 16


def test_lookbook_query_count(client, pages, assert_queries):
    summer = LookbookPage.objects.get(slug="summer-linen")
    client.get("/lookbooks/summer-linen/")
    response = assert_queries(LOOKBOOK_QUERIES, lambda: client.get("/lookbooks/summer-linen/"),
                              grow=_grow_lookbook(summer, client), keep_cache=True)
    assert response.content.decode().count('class="look"') == 6


def test_about_query_count(client, pages, assert_queries):
    client.get("/about/")
    assert_queries(ABOUT_QUERIES, lambda: client.get("/about/"), keep_cache=True)


def test_lookbook_index_query_count(client, pages, assert_queries):
    def grow():
        for n in range(3):
            extra = LookbookPage(title=f"Extra {n}", slug=f"extra-{n}", date=datetime.date(2024, 1, 1 + n),
                                 cover_image=image(f"Cover {n}", (800, 500)))
            pages["index"].add_child(instance=extra)
            extra.save_revision().publish()
        client.get("/lookbooks/")

    client.get("/lookbooks/")
    assert_queries(INDEX_QUERIES, lambda: client.get("/lookbooks/"), grow=grow, keep_cache=True)


def test_members_page_query_count(client, pages, assert_queries):
    client.force_login(MemberFactory())
    client.get("/in-the-studio/")
    assert_queries(MEMBERS_PAGE_QUERIES, lambda: client.get("/in-the-studio/"), keep_cache=True)


@pytest.mark.parametrize(("fragment_seconds", "expected"), [(86400, HOME_QUERIES), (0, HOME_QUERIES_MADE)])
def test_home_query_count(client, pages, assert_queries, settings, fragment_seconds, expected):
    from tests.content.blog_fixtures import make_check_blog

    settings.FRAGMENT_CACHE_SECONDS = fragment_seconds
    make_check_blog()
    client.get("/")
    assert_queries(expected, lambda: client.get("/"), keep_cache=True)
