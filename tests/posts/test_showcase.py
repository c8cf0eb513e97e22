"""Posts shown off the wall: the CMS gallery block, the home page's "From our members", a product
page's "Seen on members". Only featurable posts; constant query counts; the cache versions that
refresh the pages showing them."""

import pytest
from django.utils import timezone

from community.posts import showcase
from community.posts.models import Post
from content.models import BrandStoryPage, HomePage
from content.posts_blocks import PostsGalleryBlock
from core.versions import version_get
from tests.factories import ProductFactory

from .conftest import make_post


def featurable(author, caption="Sun #sommerlook", **kwargs):
    return make_post(author, caption=caption, rights=True, **kwargs)


def feature(post):
    post.featured_at = timezone.now()
    post.save(update_fields=["featured_at"])
    return post


@pytest.fixture
def mix(alice, bob):
    """One post of each kind that must never show off the wall, and two that may."""
    no_rights = make_post(alice, caption="No rights #sommerlook")
    hidden = featurable(bob, caption="Hidden #sommerlook")
    pending = featurable(bob, caption="Pending #sommerlook")
    Post.objects.filter(pk=hidden.pk).update(hidden=True, featured_at=timezone.now())
    Post.objects.filter(pk=pending.pk).update(status=Post.Status.PENDING, featured_at=timezone.now())
    Post.objects.filter(pk=no_rights.pk).update(featured_at=timezone.now())
    shown = [featurable(alice), feature(featurable(bob, caption="Featured #other"))]
    return {"hidden": [no_rights, hidden, pending], "shown": shown}


def test_only_featurable_posts_show(mix):
    never = {p.pk for p in mix["hidden"]}
    tagged = showcase.posts_tagged("#SommerLook", 24)
    assert [p.pk for p in tagged] == [mix["shown"][0].pk]
    assert [p.pk for p in showcase.posts_featured(24)] == [mix["shown"][1].pk]
    assert not never & {p.pk for p in tagged + showcase.posts_featured(24)}
    assert showcase.posts_tagged("", 5) == [] and showcase.posts_tagged("nothing", 5) == []


def test_gallery_block_renders_tiles_and_validates(mix):
    block = PostsGalleryBlock()
    html = block.render(block.to_python({"source": "tagged", "hashtag": "sommerlook", "count": 6, "heading": ""}))
    assert html.count('class="photo-card"') == 1 and "From our members" in html and "/tags/sommerlook/" in html
    empty = block.render(block.to_python({"source": "tagged", "hashtag": "nothing", "count": 6}))
    assert str(empty).strip() == ""
    from django.core.exceptions import ValidationError

    for bad in ({"source": "tagged", "hashtag": ""}, {"source": "product", "product": None}):
        with pytest.raises(ValidationError):
            block.clean(block.to_python({"count": 6, "heading": "", **bad}))


def test_gallery_on_a_page_costs_the_same_queries_however_many_posts(client, alice, bob, assert_queries):
    product = ProductFactory()
    featurable(alice, products=[product])
    feature(featurable(bob))
    home = HomePage.objects.get()
    page = BrandStoryPage(title="Story", slug="story")
    page.body = [
        {"type": "posts_gallery", "value": {"heading": "Tagged", "source": "tagged", "hashtag": "sommerlook", "count": 24}},
        {"type": "posts_gallery", "value": {"heading": "Featured", "source": "featured", "count": 24}},
        {"type": "posts_gallery", "value": {"heading": "With it", "source": "product", "product": product.pk, "count": 24}},
    ]
    home.add_child(instance=page)
    page.save_revision().publish()

    def grow():
        for i in range(4):
            feature(featurable(alice if i % 2 else bob, caption=f"More {i} #sommerlook", products=[product], photos=2))

    response = assert_queries(_count(client, page.url), lambda: client.get(page.url), grow=grow)
    assert response.content.decode().count('class="photo-card"') == 6 + 5 + 5  # tagged (all six), featured, with the product


def _count(client, url):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return len(ctx.captured_queries)


def test_home_shows_featured_posts_only(client, mix):
    html = client.get("/").content.decode()
    assert "From our members" in html and html.count('class="photo-card"') == 1
    assert mix["shown"][1].get_absolute_url() in html
    assert mix["shown"][0].get_absolute_url() not in html  # featurable, but not featured


def test_home_without_featured_posts_has_no_strip(client, alice):
    featurable(alice)
    assert "From our members" not in client.get("/").content.decode()


def test_home_query_count_is_constant(client, alice, assert_queries):
    feature(featurable(alice))
    count = _count(client, "/")
    assert_queries(count, lambda: client.get("/"),
                   grow=lambda: [feature(featurable(alice, caption=f"{i} #x", photos=2)) for i in range(4)])


def test_product_page_shows_members_posts_that_tag_it(client, alice, bob, assert_queries):
    product, other = ProductFactory(), ProductFactory()
    shown = featurable(alice, products=[product])
    make_post(bob, products=[product])  # no rights: never off the wall
    featurable(bob, products=[other])
    url = product.get_absolute_url()
    html = client.get(url).content.decode()
    assert "Seen on members" in html and html.count('class="photo-card"') == 1 and shown.get_absolute_url() in html
    assert "Seen on members" not in client.get(ProductFactory().get_absolute_url()).content.decode()
    count = _count(client, url)
    assert_queries(count, lambda: client.get(url),
                   grow=lambda: [featurable(alice, caption=f"{i}", products=[product], photos=2) for i in range(3)])


XSS = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


def test_xss_in_captions_and_alt_texts_is_harmless_off_the_wall(client, alice):
    product = ProductFactory()
    post = make_post(alice, caption=f"{XSS} #sommerlook", rights=True, products=[product])
    post.photos.update(alt_text=XSS)
    feature(post)
    for url in ("/", product.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "<script>alert(1)" not in html and "<img src=x" not in html


# --- cache versions ---------------------------------------------------------------------------------

def versions(*keys):
    return tuple(version_get(key) for key in keys)


def test_pages_name_the_scopes_of_the_posts_they_show(client, alice, settings):
    """Each page that shows posts off the wall is kept under the scope their changes move."""
    from core.pagecache import page_scope_versions

    product = ProductFactory()
    feature(featurable(alice, products=[product]))
    seen = {}

    def grab(response):
        seen[response.wsgi_request.path] = set(page_scope_versions(response.wsgi_request))

    grab(client.get("/"))
    grab(client.get(product.get_absolute_url()))
    from community.forum.cache import member_scope
    from shop.cache import product_scope

    assert {showcase.FEATURED_SCOPE, member_scope(alice.pk)} <= seen["/"]
    assert showcase.SHOWCASE_SCOPE not in seen["/"]  # a new post leaves the home page cached
    assert {product_scope(product.pk), member_scope(alice.pk)} <= seen[product.get_absolute_url()]


def test_featuring_and_unfeaturing_move_the_home_and_cms_versions(alice):
    post = featurable(alice)
    keys = (showcase.FEATURED_SCOPE, showcase.SHOWCASE_SCOPE)
    before = versions(*keys)
    post = Post.objects.get(pk=post.pk)
    feature(post)
    after = versions(*keys)
    assert after[0] > before[0] and after[1] > before[1]
    post = Post.objects.get(pk=post.pk)
    post.featured_at = None
    post.save(update_fields=["featured_at"])
    assert versions(*keys)[0] > after[0]


def test_a_post_without_rights_moves_no_showcase_version(alice):
    keys = (showcase.FEATURED_SCOPE, showcase.SHOWCASE_SCOPE)
    before = versions(*keys)
    post = make_post(alice)
    post = Post.objects.get(pk=post.pk)
    post.caption = "edited"
    post.save(update_fields=["caption"])
    assert versions(*keys) == before


def test_a_new_post_with_a_product_moves_that_products_version_only(alice):
    from shop.cache import product_scope

    product, other = ProductFactory(slug="λινό-πουκάμισο"), ProductFactory()
    key, other_key = product_scope(product.pk), product_scope(other.pk)
    before = versions(key, other_key, showcase.FEATURED_SCOPE)
    featurable(alice, products=[product])
    after = versions(key, other_key, showcase.FEATURED_SCOPE)
    assert after[0] > before[0] and after[1:] == before[1:]


def test_hiding_a_featured_post_moves_the_home_version(alice):
    post = feature(featurable(alice))
    before = versions(showcase.FEATURED_SCOPE)
    post = Post.objects.get(pk=post.pk)
    post.hidden = True
    post.save(update_fields=["hidden"])
    assert versions(showcase.FEATURED_SCOPE) > before


def test_a_product_taken_off_a_post_moves_its_version(alice):
    from community.posts.services import post_edit
    from shop.cache import product_scope

    product = ProductFactory()
    post = featurable(alice, products=[product])
    before = versions(product_scope(product.pk))
    post_edit(alice, post, caption=post.caption, products=[])
    assert versions(product_scope(product.pk)) > before


def test_a_look_shows_the_members_wearing_it(client, alice, bob):
    from content.models import LookbookIndexPage, LookbookPage
    from tests.content.page_fixtures import image, look

    shown = featurable(alice, caption="By the sea #LinenWeek")
    hidden = make_post(bob, caption="No rights #linenweek")
    index = HomePage.objects.get().add_child(instance=LookbookIndexPage(title="Lookbooks", slug="lookbooks"))
    book = LookbookPage(title="Summer", slug="summer")
    book.looks = [look("By the sea", [image("Sea")], []),
                  {"type": "posts_gallery", "value": {"heading": "", "source": "featured", "count": 4}}]
    index.add_child(instance=book)
    book.save_revision().publish()
    html = client.get(book.url).content.decode()
    assert "Worn by members" in html and shown.get_absolute_url() in html and hidden.get_absolute_url() not in html
    assert html.count('class="look"') == 1  # the gallery block is not numbered as a look
