import datetime
import io

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from content.models import Author, BlogCategory, BlogIndexPage, BlogPage, BlogPageAuthor, HomePage


def make_image(title="Picture", size=(64, 36), colour=(15, 92, 77)):
    out = io.BytesIO()
    PILImage.new("RGB", size, colour).save(out, format="PNG")
    image = get_image_model()(title=title, description=f"{title}, described", file=ImageFile(out, name="picture.png"))
    image.save()
    return image


def body(words=50, image=None):
    text = " ".join(["linen"] * words)
    blocks = [{"type": "paragraph", "value": f"<p>{text}</p>"},
              {"type": "quote", "value": {"quote": "Wear it, mend it", "attribution": "Ἀλίκη"}}]
    if image is not None:
        blocks.append({"type": "image", "value": {"image": image.pk, "alt_text": "", "caption": "A caption"}})
    return blocks


@pytest.fixture
def home(db):
    return HomePage.objects.get()


@pytest.fixture
def blog(home):
    index = home.add_child(instance=BlogIndexPage(title="Blog", slug="blog", intro="News from the workshop.", show_in_menus=True))
    index.save_revision().publish()
    return index


@pytest.fixture
def make_post(blog):
    counter = {"n": 0}

    def make(title=None, date=None, authors=(), categories=(), tags=(), hero=True, body_image=False, words=50, intro=None):
        counter["n"] += 1
        n = counter["n"]
        title = title or f"Post {n}"
        post = BlogPage(
            title=title, slug=f"post-{n}", date=date or datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
            intro=intro or f"The summary of {title}.",
            hero_image=make_image(f"Hero {n}") if hero else None,
        )
        post.body = body(words, make_image(f"Body {n}") if body_image else None)
        post.categories = list(categories)
        post.tags.set(list(tags))
        blog.add_child(instance=post)
        for i, author in enumerate(authors):
            BlogPageAuthor.objects.create(page=post, author=author, sort_order=i)
        post.save_revision().publish()
        return BlogPage.objects.get(pk=post.pk)

    return make


@pytest.fixture
def author(db):
    return Author.objects.create(name="Ελένη Παπαδοπούλου", bio="Writes about linen.", photo=make_image("Eleni"))


@pytest.fixture
def category(db):
    return BlogCategory.objects.create(name="Care guides", slug="care", description="How to look after what you wear.")
