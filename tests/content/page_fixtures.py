"""The brand story, two lookbooks and a members-only page, independent of the demo data, for the
page checks (Nu HTML checker and axe, tests/pagecheck.py), the browser journey and the tests here.
Every block type of each page appears at least once.

make_check_pages() makes them (with the products the looks link) and returns the paths worth
checking with the status each should answer."""

import datetime
import io
from decimal import Decimal

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.images import get_image_model

from content.models import BrandStoryPage, HomePage, LookbookIndexPage, LookbookPage, MembersOnlyPage
from core.image_alt import image_alt_texts_set
from shop.models import Product

VIDEO_URL = "https://www.youtube.com/watch?v=check-video"
# The outside world (YouTube's oEmbed endpoint) cannot be reached from the tests: the embed is stored
# as Wagtail's embed finder would have stored it, so the page renders the player without a fetch.
VIDEO_HTML = ('<iframe title="In the workshop" src="https://www.youtube-nocookie.com/embed/check-video" '
              'width="480" height="270" allow="fullscreen" loading="lazy"></iframe>')


GREEK_HERO_ALT = "Το πρώτο εργαστήριο: ένα απλό ορθογώνιο"


def image(title, size=(320, 400), colour=(15, 92, 77)):
    out = io.BytesIO()
    PILImage.new("RGB", size, colour).save(out, format="PNG")
    img = get_image_model()(title=title, description=f"{title}: a plain rectangle", file=ImageFile(out, name="check.png"))
    img.save()
    return img


def store_video_embed(url=VIDEO_URL, html=VIDEO_HTML):
    Embed.objects.update_or_create(
        hash=get_embed_hash(url, 1280), defaults={
            "url": url, "max_width": 1280, "type": "video", "html": html, "title": "In the workshop",
            "provider_name": "YouTube", "width": 480, "height": 270, "cache_until": None,
        },
    )


def products(count=3):
    made = []
    for n in range(count):
        made.append(Product.objects.create(
            sku=f"LOOK-{n}", name=f"Λινό πουκάμισο {n}" if n == 0 else f"Look piece {n}", slug=f"look-piece-{n}",
            description="Made to last.", shop_url=f"https://shop.example.com/p/look-{n}", price=Decimal("59.00") + n,
            currency="EUR", image=image(f"Product {n}", (200, 200), (200, 180, 150)),
        ))
    return made


def look(title, pictures, linked, hashtag="linenweek"):
    return {"type": "look", "value": {
        "title": title,
        "images": [{"image": p.pk, "alt_text": f"{title}, picture {i + 1}"} for i, p in enumerate(pictures)],
        "caption": "Linen for a warm day.",
        "styling_notes": "<p>Roll the sleeves <b>twice</b>; wear it loose.</p>",
        "products": [p.pk for p in linked],
        "hashtag": hashtag,
    }}


def make_check_pages():
    home = HomePage.objects.get()
    store_video_embed()
    portrait = image("Portrait", (240, 240), (200, 160, 140))
    hero = image("Story hero", (1000, 560))
    about = BrandStoryPage(title="Our story", slug="about", intro="Who we are and why we make clothes to keep.",
                           hero_image=hero, show_in_menus=True)
    about.body = [
        {"type": "paragraph", "value": "<h2>Where it began</h2><p>A small workshop and a <i>big</i> idea.</p>"},
        {"type": "image", "value": {"image": hero.pk, "alt_text": "", "caption": "The first workshop"}},
        {"type": "video", "value": {"video": VIDEO_URL, "title": "In the workshop", "transcript": "We cut, we sew."}},
        {"type": "quote", "value": {"quote": "Make less, make it well.", "attribution": "Ἀλίκη"}},
        {"type": "timeline", "value": {"heading": "Our years", "events": [
            {"year": 2019, "title": "A workshop", "text": "Two tables.", "image": portrait.pk},
            {"year": 2024, "title": "The community", "text": "The forum opens.", "image": None},
        ]}},
        {"type": "values", "value": {"heading": "What we care about", "values": [
            {"title": "Made to last", "text": "Forty washes before anything goes on sale."},
            {"title": "Fair pay", "text": "We publish what we pay."},
        ]}},
        {"type": "people", "value": {"heading": "The people", "people": [
            {"name": "Ἀλίκη Παπαδοπούλου", "role": "Founder", "photo": portrait.pk, "bio": "Cuts the patterns."},
            {"name": "Åsne Solberg", "role": "Design", "photo": None, "bio": ""},
        ]}},
    ]
    home.add_child(instance=about)
    about.save_revision().publish()
    # Alt texts in Greek (core.image_alt): /el/about/ shows them, /nb/ falls back to English, marked so.
    image_alt_texts_set(hero, {"el": GREEK_HERO_ALT})

    index = home.add_child(instance=LookbookIndexPage(title="Lookbooks", slug="lookbooks", intro="How we wear it.",
                                                      show_in_menus=True))
    index.save_revision().publish()
    linked = products()
    pictures = [image(f"Look picture {n}", colour=(40 * n, 92, 77)) for n in range(3)]
    summer = LookbookPage(title="Summer linen", slug="summer-linen", season="Summer 2026", intro="Linen for the heat.",
                          date=datetime.date(2026, 6, 1), cover_image=image("Summer cover", (1000, 600)))
    summer.looks = [look("By the sea", pictures, linked[:2]), look("In town", pictures[:1], linked[2:], hashtag="λινό")]
    index.add_child(instance=summer)
    summer.save_revision().publish()
    winter = LookbookPage(title="Winter wool", slug="winter-wool", season="Winter 2025", intro="Wool for the cold.",
                          date=datetime.date(2025, 12, 1), cover_image=None)
    winter.looks = [look("In the snow", pictures[1:2], [], hashtag="")]
    index.add_child(instance=winter)
    winter.save_revision().publish()

    interview = MembersOnlyPage(title="In the studio", slug="in-the-studio", intro="An interview with our founder.",
                                hero_image=hero)
    interview.body = [
        {"type": "paragraph", "value": "<p>The secret members-only words of the interview.</p>"},
        {"type": "quote", "value": {"quote": "Members first.", "attribution": "Ἀλίκη"}},
    ]
    home.add_child(instance=interview)
    interview.save_revision().publish()
    return [
        ("/about/", 200),
        ("/lookbooks/", 200),
        ("/lookbooks/summer-linen/", 200),
        ("/lookbooks/winter-wool/", 200),
        ("/in-the-studio/", 200),
    ]
