"""The blog index, its tag and category archives and a post, as a visitor sees them."""

import datetime
import json
import re

import pytest
from wagtail.search.index import insert_or_update_object

from content.models import Author, BlogCategory, BlogPage, BlogPageAuthor

pytestmark = pytest.mark.django_db


def html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def json_ld(page_html):
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page_html, re.S)
    return [json.loads(script) for script in scripts]


def test_index_lists_posts_newest_first_with_date_authors_summary_and_thumbnail(client, make_post, author):
    co_author = Author.objects.create(name="Åsne Solberg")
    make_post(title="Older post", date=datetime.date(2026, 3, 1), authors=[author])
    make_post(title="Newer post", date=datetime.date(2026, 4, 1), authors=[co_author, author])
    body = html(client.get("/blog/"))
    assert body.index("Newer post") < body.index("Older post")
    assert '<time datetime="2026-04-01">' in body
    assert "Åsne Solberg and Ελένη Παπαδοπούλου" in body  # authors in their order
    assert "The summary of Newer post." in body
    assert 'type="image/avif"' in body and 'type="image/webp"' in body and ".jpg" in body
    assert body.count("<article") == 2
    # the first thumbnail is above the fold, the others load lazily
    assert 'loading="eager"' in body and 'loading="lazy"' in body
    assert 'rel="alternate" type="application/rss+xml"' in body and 'href="/blog/feed/"' in body
    assert 'type="application/atom+xml"' in body and 'href="/blog/feed/atom/"' in body


def test_index_is_in_the_main_menu(client, blog):
    assert '<a href="/blog/"' in html(client.get("/"))


def test_index_paginates_ten_to_a_page(client, make_post):
    for i in range(12):
        make_post(title=f"Story {i:02d}", date=datetime.date(2026, 1, 1) + datetime.timedelta(days=i))
    first = html(client.get("/blog/"))
    assert first.count("<article") == 10 and "Story 11" in first and "Story 01" not in first
    assert '<nav class="pagination"' in first and "?page=2" in first
    second = html(client.get("/blog/?page=2"))
    assert second.count("<article") == 2 and "Story 00" in second
    # core.pagination's rules: a value that is not a positive integer shows the first page; a
    # page past the last is 404
    assert "Story 11" in html(client.get("/blog/?page=abc"))
    assert "Story 11" in html(client.get("/blog/?page=0"))
    assert client.get("/blog/?page=3").status_code == 404


def test_empty_blog_renders(client, blog):
    assert "No posts here yet." in html(client.get("/blog/"))


def test_tag_archive_with_non_ascii_tag(client, make_post):
    make_post(title="Linen post", tags=["λινό"])
    make_post(title="Wool post", tags=["wool"])
    body = html(client.get("/blog/tag/λινό/"))
    assert "Linen post" in body and "Wool post" not in body
    assert "Posts tagged “λινό”" in body
    assert 'href="/blog/tag/%CE%BB%CE%B9%CE%BD%CF%8C/feed/"' in body
    assert 'href="/blog/tag/%CE%BB%CE%B9%CE%BD%CF%8C/feed/atom/"' in body
    assert html(client.get("/blog/tag/%CE%BB%CE%B9%CE%BD%CF%8C/")) == body


def test_category_archive(client, make_post, category):
    other = BlogCategory.objects.create(name="Community", slug="community")
    make_post(title="Care post", categories=[category])
    make_post(title="Meet-up post", categories=[other])
    body = html(client.get("/blog/category/care/"))
    assert "Care post" in body and "Meet-up post" not in body
    assert "<h1>Care guides</h1>" in body and "How to look after what you wear." in body
    assert 'href="/blog/category/care/feed/"' in body and 'href="/blog/category/care/feed/atom/"' in body


def test_unknown_tag_category_or_route_is_404(client, make_post, category):
    make_post(tags=["linen"], categories=[category])
    assert client.get("/blog/tag/no-such-tag/").status_code == 404
    assert client.get("/blog/category/no-such-category/").status_code == 404
    assert client.get("/blog/tag/no-such-tag/feed/").status_code == 404
    assert client.get("/blog/category/no-such-category/feed/atom/").status_code == 404
    assert client.get("/blog/tag/").status_code == 404
    assert client.get("/blog/no-such-post/").status_code == 404


def test_a_tag_of_another_app_is_not_a_blog_archive(client, blog):
    from taggit.models import Tag

    Tag.objects.create(name="elsewhere", slug="elsewhere")
    assert client.get("/blog/tag/elsewhere/").status_code == 404


def test_post_shows_everything(client, make_post, author, category):
    post = make_post(title="Washing linen", authors=[author], categories=[category], tags=["λινό", "care"],
                     body_image=True, words=600, date=datetime.date(2026, 5, 4))
    body = html(client.get("/blog/post-1/"))
    assert "<h1>Washing linen</h1>" in body
    assert '<time datetime="2026-05-04">' in body
    assert "3 minute read" in body  # 600 words at 200 a minute
    # the hero: a picture with AVIF, WebP and JPEG, dimensions, not lazy (it is at the top)
    hero = re.search(r'<div class="post__hero">(.*?)</div>', body, re.S).group(1)
    assert 'type="image/avif"' in hero and 'type="image/webp"' in hero and ".jpg" in hero
    assert re.search(r'<img [^>]*width="\d+"', hero) and re.search(r'<img [^>]*height="\d+"', hero)
    assert "loading=" not in hero
    # the body's image, lower down, is lazy and captioned; the quote is a blockquote
    assert re.search(r'<figure class="post-figure">\s*<picture>.*loading="lazy"', body, re.S)
    assert "<figcaption>A caption</figcaption>" in body
    assert "<blockquote><p>Wear it, mend it</p></blockquote>" in body
    # authors with photo and bio; categories and tags linked to their archives
    assert "Ελένη Παπαδοπούλου" in body and "Writes about linen." in body and 'class="avatar avatar--m"' in body
    assert 'href="/blog/category/care/">Care guides</a>' in body
    assert 'href="/blog/tag/%CE%BB%CE%B9%CE%BD%CF%8C/">#λινό</a>' in body
    assert post.reading_minutes == 3


def test_reading_time_is_at_least_a_minute(make_post):
    assert make_post(words=10).reading_minutes == 1
    assert make_post(words=1000).reading_minutes == 5


def test_related_posts_share_a_tag_or_category_newest_first_at_most_three(client, make_post, category):
    base = datetime.date(2026, 1, 1)
    post = make_post(title="The post", tags=["linen"], date=base)
    make_post(title="Unrelated", tags=["wool"], date=base + datetime.timedelta(days=9))
    for i in range(4):
        make_post(title=f"Related {i}", tags=["linen"] if i % 2 else [], categories=[] if i % 2 else [category],
                  date=base + datetime.timedelta(days=i + 1))
    post.categories = [category]
    post.save_revision().publish()
    body = html(client.get("/blog/post-1/"))
    related = body[body.index('id="related-heading"'):]
    titles = re.findall(r"<h3><a [^>]*>([^<]+)</a></h3>", related)
    assert titles == ["Related 3", "Related 2", "Related 1"]


def test_previous_and_next_by_date(client, make_post):
    make_post(title="First", date=datetime.date(2026, 1, 1))
    make_post(title="Second", date=datetime.date(2026, 2, 1))
    make_post(title="Third", date=datetime.date(2026, 3, 1))
    body = html(client.get("/blog/post-2/"))
    nav = re.search(r'<nav class="post-nav"[^>]*>(.*?)</nav>', body, re.S).group(1)
    assert re.search(r'rel="prev" href="/blog/post-1/"><span>Older post</span> First', nav)
    assert re.search(r'rel="next" href="/blog/post-3/"><span>Newer post</span> Third', nav)
    first = html(client.get("/blog/post-1/"))
    assert 'rel="prev"' not in re.search(r'<nav class="post-nav".*?</nav>', first, re.S).group(0)


def test_drafts_are_not_listed_or_served(client, make_post):
    post = make_post(title="Soon")
    post.unpublish()
    assert "Soon" not in html(client.get("/blog/"))
    assert client.get("/blog/post-1/").status_code == 404


def test_post_json_ld(client, make_post, author):
    make_post(title="A </script><script>alert(1)</script> title", authors=[author], date=datetime.date(2026, 5, 4))
    body = html(client.get("/blog/post-1/"))
    assert "</script><script>alert(1)" not in body
    posting, breadcrumbs = json_ld(body)
    assert posting["@type"] == "BlogPosting"
    assert posting["headline"] == "A </script><script>alert(1)</script> title"
    assert posting["datePublished"] == "2026-05-04"
    assert posting["dateModified"].startswith("20")
    assert posting["author"] == [{"@type": "Person", "name": "Ελένη Παπαδοπούλου"}]
    assert posting["image"].startswith("http://testserver/media/images/") and posting["image"].endswith(".jpg")
    assert posting["url"] == "http://testserver/blog/post-1/"
    assert posting["publisher"]["@type"] == "Organization" and posting["publisher"]["name"]
    assert breadcrumbs["@type"] == "BreadcrumbList"
    items = breadcrumbs["itemListElement"]
    assert [i["position"] for i in items] == [1, 2, 3]
    assert [i["item"] for i in items] == ["http://testserver/", "http://testserver/blog/", "http://testserver/blog/post-1/"]


def test_site_search_finds_posts(client, make_post):
    post = make_post(title="Indigo dyeing", intro="Plants, vats and patience.")
    make_post(title="Unrelated")
    insert_or_update_object(post)
    for query in ("indigo", "patience"):  # the title and the summary
        body = html(client.get(f"/search/?q={query}"))
        assert 'href="/blog/post-1/"' in body and 'href="/blog/post-2/"' not in body


def test_previews_render_unsaved_changes(make_post, author, category, blog):
    post = make_post(title="Published title", categories=[category], tags=["linen"])
    make_post(title="Sibling", categories=[category])
    post.title = "Draft title"
    post.blog_authors = [BlogPageAuthor(author=author)]  # in memory only, as the editor's form holds it
    response = post.make_preview_request()
    assert response.status_code == 200
    body = response.content.decode()
    assert "Draft title" in body and "Ελένη Παπαδοπούλου" in body and "Sibling" in body

    new = BlogPage(title="Brand new", slug="brand-new", intro="Not saved yet.", date=datetime.date(2026, 6, 1))
    new.depth = blog.depth + 1
    new.path = new._get_path(blog.path, new.depth, blog.numchild + 1)  # as Wagtail's create preview does
    new.set_url_path(blog)
    new.categories = [category]
    response = new.make_preview_request()
    assert response.status_code == 200
    assert "Brand new" in response.content.decode()

    index_preview = blog.make_preview_request()
    assert index_preview.status_code == 200 and "Published title" in index_preview.content.decode()


def test_small_images_give_no_duplicate_srcset_widths(client, make_post):
    # The test pictures are 64 pixels wide: Wagtail does not enlarge them, so every width asked for
    # comes out at 64 and only one candidate per format may stay (two of one width is invalid HTML).
    make_post(body_image=True)
    make_post()
    for url in ("/blog/", "/blog/post-1/"):
        body = html(client.get(url))
        srcsets = re.findall(r'srcset="([^"]*)"', body)
        assert srcsets
        for srcset in srcsets:
            widths = [candidate.split()[-1] for candidate in srcset.split(", ")]
            assert len(widths) == len(set(widths)), srcset
        assert 'type="image/avif"' in body and 'type="image/webp"' in body
