"""An image's alt text in each language (core.image_alt): given by editors on the image's edit page,
shown by the pages in the visitor's language, the default one (marked lang="en") where a language
has none; read as one cached dictionary per language, so a page of many pictures costs one query
at most."""

import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from content.models import BrandStoryPage, HomePage
from core.image_alt import ImageAlt, image_alt, image_alt_texts, image_alt_texts_set
from core.models import ImageAltText
from tests.content.conftest import make_image
from tests.content.test_content_languages import translate
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

GREEK = "Λινό πουκάμισο στον ήλιο"
HUNGARIAN = "Lenvászon ing a napon"


@pytest.fixture
def picture():
    image = make_image("Linen shirt")  # description: "Linen shirt, described"
    image_alt_texts_set(image, {"el": GREEK, "hu": HUNGARIAN})
    return image


def test_the_alt_text_in_each_language_and_the_fallback(picture):
    table = [
        # (language, own text, expected)
        ("en", "", ImageAlt("Linen shirt, described", None)),   # the default language: nothing to mark
        ("el", "", ImageAlt(GREEK, "el")),
        ("hu", "", ImageAlt(HUNGARIAN, "hu")),
        ("nb", "", ImageAlt("Linen shirt, described", "en")),   # none in Norwegian: the default, marked
        ("el", "Ένα δικό του", ImageAlt("Ένα δικό του", None)),  # the block's own text wins
    ]
    for language, own, expected in table:
        with translation.override(language):
            assert image_alt(picture, own) == expected, language
    assert image_alt(None) == ImageAlt("")


def test_setting_them_trims_and_an_empty_one_removes_it(picture):
    image_alt_texts_set(picture, {"el": "  Λινό   πουκάμισο ", "hu": "", "en": "ignored: the description is the default"})
    rows = dict(ImageAltText.objects.filter(image=picture).values_list("language", "alt_text"))
    assert rows == {"el": "Λινό πουκάμισο"}


def test_one_cached_query_per_language_and_a_change_shows_at_once(picture, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert image_alt_texts("el") == {picture.pk: GREEK}
    with django_assert_num_queries(0):
        assert image_alt_texts("el") == {picture.pk: GREEK}
    image_alt_texts_set(picture, {"el": "Νέο κείμενο"})
    assert image_alt_texts("el") == {picture.pk: "Νέο κείμενο"}
    picture.delete()  # its rows go with it, and the dictionary follows
    assert image_alt_texts("el") == {}


def test_a_page_of_many_pictures_reads_the_alt_texts_once(picture, assert_queries):
    request = RequestFactory().get("/el/")
    template = Template("{% load alt_text %}{% for image in images %}{% image_alt image as alt %}"
                        "<img alt=\"{{ alt.text }}\" lang=\"{{ alt.lang }}\">{% endfor %}")
    images = [picture]

    def render():
        with translation.override("el"):
            return template.render(Context({"request": request, "images": list(images)}))

    def more():
        for n in range(5):
            image = make_image(f"Look {n}")
            image_alt_texts_set(image, {"el": f"Εμφάνιση {n}"})
            images.append(image)
        request.__dict__.pop("_image_alt_texts", None)

    html = assert_queries(1, render, grow=more)
    assert html.count('lang="el"') == 6 and "Εμφάνιση 4" in html


def test_in_the_default_language_nothing_is_looked_up(picture, django_assert_num_queries):
    template = Template("{% load alt_text %}{% image_alt image as alt %}{{ alt.text }}|{{ alt.lang }}")
    with django_assert_num_queries(0):
        assert template.render(Context({"image": picture, "request": RequestFactory().get("/")})) \
            == "Linen shirt, described|None"


# --- the pages ---------------------------------------------------------------------------------------

@pytest.fixture
def story(picture):
    body_image = make_image("Workshop")
    image_alt_texts_set(body_image, {"el": "Το εργαστήριο"})
    page = BrandStoryPage(title="Our story", slug="about", intro="A small workshop.", hero_image=picture)
    page.body = [{"type": "image", "value": {"image": body_image.pk, "alt_text": "", "caption": "The bench"}}]
    HomePage.objects.get().add_child(instance=page)
    page.save_revision().publish()
    return page


def imgs(html):
    """(alt, lang or None) of each <img> with an alt text."""
    found = []
    for tag in re.findall(r"<img\b[^>]*>", html):
        alt = re.search(r'\salt="([^"]*)"', tag)
        lang = re.search(r'\slang="([^"]*)"', tag)
        if alt and alt.group(1):
            found.append((alt.group(1), lang.group(1) if lang else None))
    return found


def test_the_greek_page_shows_the_greek_alt_texts(client, story):
    translate(story, "el", title="Η ιστορία μας", intro="Ένα μικρό εργαστήριο.")
    html = client.get("/el/about/").content.decode()
    assert imgs(html) == [(GREEK, "el"), ("Το εργαστήριο", "el")]
    assert f'<meta property="og:image:alt" content="{GREEK}">' in html


def test_a_language_without_them_falls_back_to_the_default_marked_english(client, story):
    translate(story, "nb", title="Historien vår")
    html = client.get("/nb/about/").content.decode()
    assert '<html lang="nb"' in html
    assert imgs(html) == [("Linen shirt, described", "en"), ("Workshop, described", "en")]


def test_an_untranslated_page_under_a_prefix_still_gets_the_languages_alt_texts(client, story):
    """The English page served under /hu/: its text is marked lang="en", the Hungarian alt text its own lang."""
    html = client.get("/hu/about/").content.decode()
    assert imgs(html) == [(HUNGARIAN, "hu"), ("Workshop, described", "en")]


def test_the_english_page_is_unchanged(client, story):
    html = client.get("/about/").content.decode()
    assert imgs(html) == [("Linen shirt, described", None), ("Workshop, described", None)]


# --- the admin ----------------------------------------------------------------------------------------

def test_editors_give_them_on_the_images_edit_page(client, picture):
    client.force_login(MemberFactory(is_staff=True, is_superuser=True))
    url = reverse("wagtailimages:edit", args=[picture.pk])
    page = client.get(url).content.decode()
    for language in ("el", "nb", "hu"):
        assert f'name="alt_text_{language}"' in page
    assert GREEK in page and HUNGARIAN in page  # what is stored is shown
    response = client.post(url, {
        "title": picture.title, "description": picture.description, "collection": picture.collection_id,
        "tags": "", "focal_point_x": "", "focal_point_y": "", "focal_point_width": "", "focal_point_height": "",
        "alt_text_el": "Λινό πουκάμισο", "alt_text_nb": "Linskjorte i sola", "alt_text_hu": "",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    rows = dict(ImageAltText.objects.filter(image=picture).values_list("language", "alt_text"))
    assert rows == {"el": "Λινό πουκάμισο", "nb": "Linskjorte i sola"}
    response = client.post(url, {"title": picture.title, "collection": picture.collection_id, "alt_text_el": "x" * 256})
    assert response.status_code == 200  # too long: a form error, nothing changed
    assert ImageAltText.objects.get(image=picture, language="el").alt_text == "Λινό πουκάμισο"
