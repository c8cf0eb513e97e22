"""The "top reviews" block of CMS pages (home page sections, brand story, members-only pages):
one product or all, a lowest rating, a count; published reviews only; one query however many."""

import pytest

from community.reviews.models import Review
from content.models import HomePage
from tests.factories import MemberFactory, ProductFactory

pytestmark = pytest.mark.django_db


def review(product, rating=5, **extra):
    extra.setdefault("title", f"{rating} stars for {product.name}")
    return Review.objects.create(product=product, author=MemberFactory(), rating=rating, body="Lovely linen.",
                                 status=extra.pop("status", Review.Status.PUBLISHED), **extra)


def home_with(block_value):
    home = HomePage.objects.get()
    home.sections = [("top_reviews", block_value)]
    home.save_revision().publish()
    return home


def test_the_block_shows_published_reviews_rated_high_enough_most_helpful_first(client):
    shirt = ProductFactory(name="Linen shirt")
    review(shirt, 5, title="Best shirt", helpful_count=9)
    review(shirt, 4, title="Good shirt", helpful_count=1)
    review(shirt, 2, title="Poor shirt", helpful_count=20)
    review(shirt, 5, title="Waiting shirt", status=Review.Status.PENDING, helpful_count=50)
    review(shirt, 5, title="Hidden shirt", hidden=True, helpful_count=50)
    review(ProductFactory(active=False), 5, title="Gone product", helpful_count=50)
    home_with({"heading": "Loved by members", "product": None, "min_rating": "4", "count": 5})
    body = client.get("/").content.decode()
    assert "Loved by members" in body
    assert body.index("Best shirt") < body.index("Good shirt")
    for absent in ("Poor shirt", "Waiting shirt", "Hidden shirt", "Gone product"):
        assert absent not in body


def test_the_block_for_one_product_and_a_count(client):
    shirt, socks = ProductFactory(name="Linen shirt"), ProductFactory(name="Wool socks")
    review(socks, 5, title="Warm socks")
    for n in range(4):
        review(shirt, 5, title=f"Shirt review {n}", helpful_count=n)
    home_with({"heading": "", "product": shirt, "min_rating": "1", "count": 2})
    body = client.get("/").content.decode()
    assert "What members say" in body
    assert "Warm socks" not in body
    assert [n for n in range(4) if f"Shirt review {n}" in body] == [2, 3]


def test_no_reviews_no_section(client):
    home_with({"heading": "Loved", "product": None, "min_rating": "5", "count": 3})
    assert "Loved" not in client.get("/").content.decode()


def test_the_query_count_does_not_grow_with_the_reviews_shown(client, assert_queries, settings):
    settings.FRAGMENT_CACHE_SECONDS = 0  # the block made on each request (the page keeps it in a part)
    shirt, socks = ProductFactory(), ProductFactory()
    review(shirt, 5)
    home_with({"heading": "", "product": None, "min_rating": "1", "count": 12})
    client.get("/")  # warm the menu cache

    def more():
        for n in range(11):
            review(shirt if n % 2 else socks, 5, title=f"More {n}")

    # the home page's own queries (test_home pins them) and one for the block
    response = assert_queries(13, lambda: client.get("/"), grow=more, keep_cache=True)
    assert response.content.decode().count("top-reviews__item") == 12


def test_a_new_review_shows_in_the_kept_part_at_once(client):
    shirt = ProductFactory()
    review(shirt, 5, title="Soft from the first wash")
    home_with({"heading": "", "product": None, "min_rating": "1", "count": 12})
    assert "Soft from the first wash" in client.get("/").content.decode()
    from community.reviews.cache import reviews_changed

    review(shirt, 5, title="Still soft a year on")
    reviews_changed(shirt.pk)  # as the review services do: the highlights' scope, which the part follows
    assert "Still soft a year on" in client.get("/").content.decode()


def test_the_block_alone_takes_one_query(count_queries):
    from content.page_blocks import TopReviewsBlock

    shirt = ProductFactory()
    for n in range(5):
        review(shirt, 5, title=f"Shirt {n}")
    block = TopReviewsBlock()
    value = block.to_python({"heading": "", "product": shirt.pk, "min_rating": "4", "count": 5})
    with count_queries() as q:
        html = block.render(value)
    assert html.count("top-reviews__item") == 5
    assert q.count == 1  # the reviews with their authors and products (the product came with the value)


def test_user_text_in_the_block_is_escaped(client):
    product = ProductFactory(name="<img src=x onerror=alert(1)>")
    author = MemberFactory(display_name="<script>alert('name')</script>")
    Review.objects.create(product=product, author=author, rating=5, title="<script>alert('t')</script>",
                          body="<b onmouseover=alert(1)>hi</b>", status=Review.Status.PUBLISHED)
    home_with({"heading": "", "product": None, "min_rating": "1", "count": 3})
    body = client.get("/").content.decode()
    for raw in ("<script>alert('t')", "<script>alert('name')", "<img src=x", "<b onmouseover"):
        assert raw not in body
    assert "&lt;script&gt;alert(&#x27;t&#x27;)" in body


def test_the_brand_story_and_members_pages_offer_the_block():
    from content.page_blocks import MembersBodyBlock, StoryBodyBlock

    assert "top_reviews" in StoryBodyBlock.base_blocks and "top_reviews" in MembersBodyBlock.base_blocks
