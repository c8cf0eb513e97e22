"""The product page's reviews: summary, bars, filters, sort, pagination, badges, the photo strip,
the brand reply, JSON-LD merged into one Product node, escaping, and pinned query counts."""

import json
import re

import pytest
from django.urls import reverse

from community.reviews import services
from community.reviews.models import Review, ReviewPhoto
from core.images import image_process
from tests.factories import MemberFactory, ProductFactory

from .conftest import png_upload

# product, rating, reviews, photos, questions, answers, strip, site x3, brand, members' photos, the reviewers'
# badges and the help centre's care page (engagement.play, content: both from the cache once warm); + 6:
# the gallery, bought together (+ its renditions), the lookbooks (with the view restrictions) and the forum
# topics that show the product
PAGE_QUERIES_ANONYMOUS = 20
PAGE_QUERIES_MEMBER = 26  # brand, members' photos, + session, member, suspension, votes, own review, ...
XSS = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


def page(client, product, query=""):
    return client.get(f"{product.get_absolute_url()}{query}")


def add_reviews(product, count, *, start=0, photos=True, rating=None):
    """`count` published reviews by new members, every third with a photo row (bulk)."""
    members = [MemberFactory(verified=False) for _ in range(count)]
    reviews = Review.objects.bulk_create([
        Review(product=product, author=m, rating=rating or (i % 5) + 1, title=f"Review {start + i}",
               body=f"Body {start + i}", verified_buyer=i % 2 == 0, photo_count=1 if photos and i % 3 == 0 else 0)
        for i, m in enumerate(members)])
    ReviewPhoto.objects.bulk_create([ReviewPhoto(review=r, file="reviews/x.webp", width=40, height=30, alt_text="Sleeve")
                                     for r in reviews if r.photo_count])
    services.product_rating_recount(product.pk)
    return reviews


def ld_nodes(html):
    nodes = []
    for text in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        data = json.loads(text)
        nodes.extend(data if isinstance(data, list) else [data])
    return nodes


def test_summary_bars_and_reviews(client, product, fit):
    add_reviews(product, 10)
    services.review_submit(MemberFactory(), product, rating=5, title="Fits", body="Runs small for me.",
                           attributes={"fit": 1})
    html = page(client, product).content.decode()
    assert "out of 5 · 11 reviews" in html
    assert html.count('class="rating-bar"') == 5 and "?rating=5#reviews" in html
    assert "rating-bar__fill--" in html and 'style="' not in html
    assert "Fit</dt><dd>Runs small: 100 % of 1 answer" in html
    assert html.count('class="review stack"') == 10  # one page
    assert 'rel="next"' in html


def test_filters_and_sorts(client, product):
    add_reviews(product, 12)
    html = page(client, product, "?rating=5").content.decode()
    assert html.count('class="review stack"') == 2 and "Showing the 5-star reviews" in html
    html = page(client, product, "?photos=1").content.decode()
    assert html.count('class="review stack"') == 4
    html = page(client, product, "?verified=1").content.decode()
    assert html.count('class="review stack"') == 6 and html.count("Verified buyer<span") == 6
    titles = re.findall(r'review__title" id="[^"]+">([^<]+)<', page(client, product, "?sort=lowest").content.decode())
    assert titles[0] in {"Review 0", "Review 5", "Review 10"}
    for query in ("?rating=9", "?sort=nope", "?photos=abc", "?page=abc"):
        assert page(client, product, query).status_code == 200
    assert page(client, product, "?page=99").status_code == 404


def test_badges_edited_incentive_and_reply(client, alice, moderator, product, bought):
    from community.reviews.models import ReviewPolicy

    policy = ReviewPolicy.load()
    policy.rewarded = True
    policy.save()
    review = services.review_submit(alice, product, rating=5, title="Great", body="Lovely.")
    services.review_edit(alice, review, rating=4, title="Great", body="Lovely.")
    services.review_reply(moderator, review, "Thank you!")
    html = page(client, product).content.decode()
    assert 'class="verified-badge" tabindex="0" aria-describedby="review-' in html
    assert 'role="tooltip"' in html and "edited, rating changed" in html
    assert "received points for reviewing" in html and "Thank you!" in html


def test_photo_strip_and_viewer(client, alice, product):
    photo = services.PhotoInput(image_process(png_upload(), "review_photo"), "Sleeve detail")
    services.review_submit(alice, product, rating=5, title="Great", body="Lovely.", photos=[photo])
    html = page(client, product).content.decode()
    assert 'data-photo-viewer="review-photo-viewer"' in html and '<dialog id="review-photo-viewer"' in html
    assert 'alt="Sleeve detail"' in html and "js/reviews.js" in html
    assert re.search(r'<a class="review-photos__link" href="[^"]+\.webp" data-photo-viewer-item>', html)


def test_only_published_reviews_show(client, alice, bob, product):
    services.review_submit(alice, product, rating=1, title="Held", body="see https://x.example")
    html = page(client, product).content.decode()
    assert "Held" not in html and "No reviews yet." in html
    client.force_login(alice)
    assert "Your review waits for a moderator." in page(client, product).content.decode()


def test_write_links(client, alice, product):
    html = page(client, product).content.decode()
    assert "Sign in to write a review" in html and "next=/products/linen-shirt/review/" in html
    client.force_login(alice)
    assert reverse("reviews:write", kwargs={"slug": product.slug}) in page(client, product).content.decode()


def test_json_ld_one_product_node_with_rating_and_reviews(client, product):
    add_reviews(product, 3, photos=False, rating=4)
    services.review_submit(MemberFactory(), product, rating=1, title="Held", body="see https://x.example")
    nodes = ld_nodes(page(client, product).content.decode())
    products = [n for n in nodes if n.get("@type") == "Product"]
    assert len(products) == 1
    node = products[0]
    assert node["@id"].endswith("/products/linen-shirt/#product") and node["name"] == "Linen shirt"
    assert node["aggregateRating"] == {"@type": "AggregateRating", "ratingValue": 4.0, "reviewCount": 3,
                                       "bestRating": 5, "worstRating": 1}
    assert [r["@type"] for r in node["review"]] == ["Review"] * 3
    assert {r["reviewRating"]["ratingValue"] for r in node["review"]} == {4}
    assert "Held" not in json.dumps(node)
    assert any(n.get("@type") == "BreadcrumbList" for n in nodes)


def test_json_ld_without_reviews_has_no_rating(client, product):
    node = next(n for n in ld_nodes(page(client, product).content.decode()) if n.get("@type") == "Product")
    assert "aggregateRating" not in node and "review" not in node


def test_no_rating_on_pages_about_the_brand(client, product):
    add_reviews(product, 2)
    assert "aggregateRating" not in client.get("/").content.decode()


def test_xss_in_every_field_renders_harmless(client, moderator, product, fit):
    author = MemberFactory(display_name=XSS)
    photo = services.PhotoInput(image_process(png_upload(), "review_photo"), XSS)
    services.review_submit(author, product, rating=3, title=XSS[:120], body=XSS, photos=[photo],
                           attributes={"fit": 2})
    review = Review.objects.get()
    services.review_approve(moderator, review)
    services.review_reply(moderator, review, XSS)
    html = page(client, product).content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    for text in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        assert "<" not in text
    node = next(n for n in ld_nodes(html) if n.get("@type") == "Product")
    assert node["review"][0]["reviewBody"] == XSS and node["review"][0]["author"]["name"] == XSS
    client.force_login(moderator)
    for url in (reverse("review_admin:index") + "?status=all", reverse("review_admin:detail", args=[review.pk]),
                reverse("members:profile", args=[author.username])):
        html = client.get(url).content.decode()
        assert "<script>alert(1)" not in html and "<img src=x" not in html, url


@pytest.mark.parametrize("logged_in", [False, True])
def test_product_page_queries_do_not_grow(client, assert_queries, product, fit, logged_in, django_assert_max_num_queries):
    add_reviews(product, 5)
    if logged_in:
        client.force_login(MemberFactory())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        page(client, product)
    expected = len(first.captured_queries)
    assert_queries(expected, lambda: page(client, product), grow=lambda: add_reviews(product, 495, start=5))
    assert Review.objects.count() == 500
    assert expected == (PAGE_QUERIES_MEMBER if logged_in else PAGE_QUERIES_ANONYMOUS)


def test_filtered_pages_queries_do_not_grow(client, assert_queries, product):
    add_reviews(product, 15)  # one of them 5 stars with a photo
    # + 6 since the product page shows its gallery, what is bought with it, its lookbooks (with
    # the view restrictions), the forum topics about it and the reviewers' badges
    assert_queries(20, lambda: page(client, product, "?rating=5&photos=1&sort=helpful"),
                   grow=lambda: add_reviews(product, 100, start=15))


def test_product_list_shows_stars_in_constant_queries(client, assert_queries, product):
    add_reviews(product, 3, rating=4)
    html = client.get(reverse("shop:product_list")).content.decode()
    assert "4.0 out of 5 (3 reviews)" in html

    def more():
        for _ in range(5):
            add_reviews(ProductFactory(), 2)

    # count, products, their ratings (one query for the page), the filters' sizes and colours, and the
    # site's three
    assert_queries(9, lambda: client.get(reverse("shop:product_list")), grow=more)


def test_profile_lists_the_members_reviews(client, alice, product, assert_queries):
    services.review_submit(alice, product, rating=5, title="Lovely shirt", body="Lovely.")
    services.review_submit(alice, ProductFactory(name="Held one"), rating=2, title="Held", body="see www.x.example")
    url = reverse("members:profile", args=[alice.username])
    html = client.get(url).content.decode()
    assert "Lovely shirt" in html and "Held" not in html
    client.force_login(alice)
    assert "waiting for a moderator" in client.get(url).content.decode()
    client.logout()

    def more():
        for _ in range(5):
            services.review_submit(alice, ProductFactory(), rating=4, title="More", body="More text.")

    assert_queries(11, lambda: client.get(url), grow=more)  # 1 of them the reviews with their products, 1 badges


def test_site_search_finds_published_reviews(client, alice, bob, product, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the search index is updated after commit
        found = services.review_submit(alice, product, rating=5, title="Marvellous linen", body="Breathes in heat.")
        held = services.review_submit(bob, product, rating=5, title="Marvellous held", body="see www.x.example")
    html = client.get("/search/?q=marvellous").content.decode()
    assert f'href="{found.get_absolute_url()}"' in html and f'href="{held.get_absolute_url()}"' not in html


def test_the_page_cache_shows_every_review_write_at_once(client, settings, alice, bob, moderator, product):
    settings.PAGE_CACHE_SECONDS = 600
    assert page(client, product)["X-Page-Cache"] == "miss"
    assert page(client, product)["X-Page-Cache"] == "hit"
    review = services.review_submit(alice, product, rating=5, title="Cached?", body="Not for long.")
    response = page(client, product)
    assert response["X-Page-Cache"] == "miss" and "Cached?" in response.content.decode()
    services.review_vote(bob, review)
    assert "1 person found this helpful" in page(client, product).content.decode()
    services.review_set_hidden(moderator, review, True)
    assert "Cached?" not in page(client, product).content.decode()
