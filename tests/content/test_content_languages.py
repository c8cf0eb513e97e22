"""Content in four languages: a translated page is served under its language's prefix; a page not
translated yet falls back to English with lang="en" on its own text; hreflang names only the
versions that exist; the language switcher keeps the visitor on the same page; the sitemap lists
every language version; snippets (blog categories) are translatable; search ignores accents."""

import re

import pytest
from django.test import Client
from django.utils import translation
from wagtail.models import Locale

from content.models import BlogCategory, BrandStoryPage, HomePage

pytestmark = pytest.mark.django_db


def translate(page, code, **fields):
    """The page's translation into `code` (its parents too, as Wagtail copies them), published."""
    locale, _ = Locale.objects.get_or_create(language_code=code)
    copy = page.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save_revision().publish()
    return copy.__class__.objects.get(pk=copy.pk)


@pytest.fixture
def story(db):
    home = HomePage.objects.get()
    page = BrandStoryPage(title="Our story", slug="about", intro="A small workshop.")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def hreflangs(body):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', body))


def test_a_page_not_translated_is_english_under_another_prefix_marked_lang_en(client, story):
    response = client.get("/el/about/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="el"' in body  # the interface is Greek
    assert '<h1 lang="en">Our story</h1>' in body  # the page's own text is English, and says so
    assert '<p class="lead" lang="en">A small workshop.</p>' in body
    # hreflang only for the version that exists; the switcher still keeps the same page.
    assert set(hreflangs(body)) == {"en", "x-default"}
    assert 'href="/hu/about/" hreflang="hu" lang="hu"' in body


def test_a_translated_page_is_served_in_its_language_with_hreflang_for_both(client, story):
    translate(story, "el", title="Η ιστορία μας", intro="Ένα μικρό εργαστήριο.")
    body = client.get("/el/about/").content.decode()
    assert "<h1>Η ιστορία μας</h1>" in body  # no lang attribute: it is the page's language
    links = hreflangs(body)
    assert links["el"] == "http://testserver/el/about/"
    assert links["en"] == "http://testserver/about/"
    assert "nb" not in links and "hu" not in links
    # From the English page, the switcher leads to the Greek version.
    english = client.get("/about/").content.decode()
    assert 'href="/el/about/" hreflang="el" lang="el"' in english
    assert hreflangs(english)["el"] == "http://testserver/el/about/"


def test_a_missing_page_is_still_a_404_in_every_language(client, story):
    for prefix in ("", "/el", "/nb", "/hu"):
        assert client.get(f"{prefix}/no-such-page/").status_code == 404


def test_the_sitemap_lists_each_language_version(client, story):
    translate(story, "hu", title="Történetünk")
    body = client.get("/sitemap.xml").content.decode()
    locations = set(re.findall(r"<loc>https?://[^/<]+(/[^<]*)</loc>", body))
    assert {"/about/", "/hu/about/"} <= locations
    assert "/el/about/" not in locations  # no Greek version: not listed


def test_blog_categories_are_translatable_snippets(db):
    english = BlogCategory.objects.create(name="Care guides", slug="care")
    assert english.locale.language_code == "en"
    greek = english.copy_for_translation(Locale.objects.get_or_create(language_code="el")[0])
    greek.name = "Οδηγοί φροντίδας"
    greek.save()
    assert greek.translation_key == english.translation_key
    from content.blog.selectors import blog_category_or_404

    with translation.override("el"):
        assert blog_category_or_404("care") == greek
    with translation.override("nb"):
        assert blog_category_or_404("care") == english  # not translated: the English one


def test_forum_category_names_follow_the_language(client):
    from community.forum.models import Category

    category = Category.objects.create(name="Care and repair", slug="care-and-repair",
                                       name_el="Φροντίδα και επιδιόρθωση", description="Washing and mending.")
    body = Client().get("/el/forum/").content.decode()
    assert "Φροντίδα και επιδιόρθωση" in body
    with translation.override("el"):
        greek_url = category.get_absolute_url()
    with translation.override("nb"):
        norwegian_url = category.get_absolute_url()
    page = Client().get(greek_url)
    assert page.status_code == 200, greek_url
    assert "<h1>Φροντίδα και επιδιόρθωση</h1>" in page.content.decode()
    # Norwegian has no name yet: the English one, marked as English.
    page = Client().get(norwegian_url)
    assert '<h1 lang="en">Care and repair</h1>' in page.content.decode()


@pytest.mark.parametrize(("stored", "query"), [
    ("Καλοκαίρι στη Θεσσαλονίκη", "καλοκαιρι"),
    ("Καλοκαιρι στη Θεσσαλονικη", "καλοκαίρι"),
    ("ΚΑΛΟΚΑΊΡΙ", "καλοκαίρι"),
    ("Nyári ruha gyapjúból", "nyári"),
    ("Nyári ruha gyapjúból", "nyari"),
    ("Åsne syr en jakke", "åsne"),
])
def test_search_finds_words_with_and_without_accents(stored, query):
    from wagtail.search.backends import get_search_backend

    from community.forum.models import Category, Topic
    from tests.factories import MemberFactory

    category = Category.objects.create(name="General", slug="general")
    topic = Topic.objects.create(category=category, title=stored, slug="t", author=MemberFactory())
    backend = get_search_backend()
    backend.add(topic)
    assert topic in list(backend.search(query, Topic.objects.all()))


def test_greek_titles_make_readable_slugs():
    from community.forum.services.posting import topic_slug

    assert topic_slug("Καλοκαίρι στη Θεσσαλονίκη!") == "καλοκαίρι-στη-θεσσαλονίκη"
