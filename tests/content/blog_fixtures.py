"""A small blog that does not depend on the demo data, for the page checks (Nu HTML checker and
axe, tests/pagecheck.py) and the tests here: every block type, an author with a photo, a category,
a non-ASCII tag, and 11 posts so the index has a second page.

make_check_blog() returns the paths worth checking, with the status each should answer."""

import datetime
import io

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from content.models import Author, BlogCategory, BlogIndexPage, BlogPage, BlogPageAuthor, HomePage


def _image(title, size=(320, 180), colour=(15, 92, 77)):
    out = io.BytesIO()
    PILImage.new("RGB", size, colour).save(out, format="PNG")
    image = get_image_model()(title=title, description=f"{title}: a plain green rectangle", file=ImageFile(out, name="check.png"))
    image.save()
    return image


def make_check_blog():
    home = HomePage.objects.get()
    blog = home.add_child(instance=BlogIndexPage(title="Blog", slug="blog", intro="News from the workshop.", show_in_menus=True))
    blog.save_revision().publish()
    author = Author.objects.create(name="Ἀλίκη Παπαδοπούλου", bio="Writes about linen.", photo=_image("Portrait", (160, 160)))
    category = BlogCategory.objects.create(name="Care guides", slug="care", description="How to look after what you wear.")
    hero, picture = _image("Hero", (1000, 560)), _image("Detail", colour=(200, 180, 150))  # several widths; one width
    for n in range(11):
        post = BlogPage(title=f"Linen story {n}", slug=f"linen-story-{n}", intro=f"The summary of story {n}.",
                        date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n), hero_image=hero)
        post.body = [
            {"type": "paragraph", "value": "<h2>Washing</h2><p>Cool water and a <b>gentle</b> spin.</p>"},
            {"type": "image", "value": {"image": picture.pk, "alt_text": "", "caption": "A caption"}},
            {"type": "quote", "value": {"quote": "Wear it, mend it.", "attribution": "Ἀλίκη"}},
        ]
        post.categories = [category]
        post.tags.set(["λινό", "care"])
        blog.add_child(instance=post)
        BlogPageAuthor.objects.create(page=post, author=author, sort_order=0)
        post.save_revision().publish()
    return [
        ("/blog/", 200),
        ("/blog/?page=2", 200),
        ("/blog/tag/λινό/", 200),
        ("/blog/category/care/", 200),
        ("/blog/linen-story-5/", 200),  # has an older and a newer post, related posts, every block
        ("/blog/tag/no-such-tag/", 404),
        ("/blog/?page=9", 404),
    ]
