"""The rest of the demo site for `manage.py load_demo`: the home page's hero, the brand story at
/about/, two lookbooks whose looks link the demo shop's products, and a members-only interview.
Pictures are drawn with Pillow (content.demo's drawings and a stylised figure wearing each look).
Idempotent: pages are found by slug and images by title; a second run changes nothing.

There is no video block in the demo: an embed is fetched from its provider (YouTube, Vimeo), and a
fresh install may have no way out to them."""

import datetime
import io
import random

from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from shop.demo import PRODUCTS
from shop.models import Product

from .demo import SEED, _hex, _image, hero_picture, portrait_picture
from .models import BrandStoryPage, HomePage, LookbookIndexPage, LookbookPage, MembersOnlyPage


def look_picture(seed, background, top, bottom, size=(960, 1200)):
    """A stylised figure in a look: a head, a top and trousers or a skirt in the look's colours,
    standing on a plain backdrop. JPEG bytes."""
    rnd = random.Random(f"{SEED}:look:{seed}")
    width, height = size
    img = Image.new("RGB", size, _hex(background))
    draw = ImageDraw.Draw(img)
    floor = int(height * 0.86)
    draw.rectangle((0, floor, width, height), fill=tuple(max(0, c - 25) for c in _hex(background)))
    cx = width // 2 + rnd.randint(-width // 10, width // 10)
    skin = _hex(rnd.choice(["#c99b78", "#f0cfb4", "#e0b08f", "#8d5a3b"]))
    hair = _hex(rnd.choice(["#2b1d14", "#d9b36c", "#4a3426", "#1b1b1b"]))
    unit = height / 100
    draw.ellipse((cx - 7 * unit, 6 * unit, cx + 7 * unit, 22 * unit), fill=hair)  # hair
    draw.ellipse((cx - 6 * unit, 8 * unit, cx + 6 * unit, 22 * unit), fill=skin)  # face
    draw.rectangle((cx - 2 * unit, 21 * unit, cx + 2 * unit, 25 * unit), fill=skin)  # neck
    # the bottom half first, so the top's hem falls over it
    draw.polygon([(cx - 10 * unit, 50 * unit), (cx + 10 * unit, 50 * unit), (cx + 11 * unit, floor),
                  (cx + 2 * unit, floor), (cx, 60 * unit), (cx - 2 * unit, floor), (cx - 11 * unit, floor)], fill=_hex(bottom))
    draw.polygon([(cx - 12 * unit, 25 * unit), (cx + 12 * unit, 25 * unit), (cx + 19 * unit, 50 * unit),
                  (cx + 15 * unit, 52 * unit), (cx + 11 * unit, 40 * unit), (cx + 11 * unit, 55 * unit),
                  (cx - 11 * unit, 55 * unit), (cx - 11 * unit, 40 * unit), (cx - 15 * unit, 52 * unit),
                  (cx - 19 * unit, 50 * unit)], fill=_hex(top))
    for hand in (-17, 17):
        draw.ellipse((cx + (hand - 2) * unit, 50 * unit, cx + (hand + 2) * unit, 54 * unit), fill=skin)
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=85)
    return out.getvalue()


LOOKBOOKS = [
    # slug, title, season, days ago, intro, cover colours, looks
    ("summer-linen", "Summer linen", "Summer 2026", 40,
     "Linen for the hottest weeks: loose, washed soft and made to be worn every day until September.",
     ("#d8c3a0", "#3f7fa6"), [
         ("By the sea", "#f1ede4", ["LIN-SHIRT-SAND", "LIN-SHORTS", "LIN-SCARF"], "linenweek",
          "A sand shirt over shorts, a scarf against the wind off the water.",
          "<p>Wear the shirt <b>open over a tee</b> or buttoned to the top; roll the sleeves twice, just under the elbow. "
          "Linen creases: that is the point.</p>"),
         ("In town", "#e3f1ed", ["LIN-SHIRT-INDIGO", "LIN-TROUSERS"], "λινό",
          "Indigo and olive for a day between meetings and a late dinner.",
          "<p>Drawstring trousers take a belt as well. Tuck the shirt in <i>at the front only</i> for a looser line.</p>"),
         ("The long dress", "#fbe9dc", ["LIN-DRESS", "BAG-TOTE"], "linenweek",
          "One piece from morning to evening, with everything in the tote.",
          "<p>Tie the belt loosely at the back; in the evening add a light knit over the shoulders.</p>"),
     ]),
    ("winter-wool", "Winter wool", "Winter 2025", 330,
     "Layers for rain, wind and snow, from the socks up, tested by members in Bergen, Tromsø and Budapest.",
     ("#1b2a38", "#e8e0cf"), [
         ("Fjord rain", "#d6dde3", ["RAIN-FJORD", "KNIT-FISHERMAN", "WOOL-SOCKS-RAGG"], "regnvær",
          "A raincoat over cable knit: warm and dry on a grey day.",
          "<p>Size the raincoat <b>one up</b> if you wear it over a chunky jumper; the hood fits over a beanie.</p>"),
         ("Tromsø morning", "#eef2f5", ["PARKA-TROMSO", "WOOL-BEANIE", "WOOL-GLOVES"], "",
          "The parka, a beanie and gloves that work with a phone.",
          "<p>Keep the layer under the parka thin: down is warmest when it has room to loft.</p>"),
         ("Budapest stripes", "#f3ece1", ["KNIT-CSIKOS", "JACKET-CHORE", "CAP-WAXED"], "csíkos",
          "Stripes under canvas for the city in November.",
          "<p>The chore jacket softens with every wash; wear it open over the jumper.</p>"),
     ]),
]

ABOUT_INTRO = "A small workshop, a stubborn idea about clothes that last, and the community that grew around both."

TIMELINE = [
    (2016, "Two tables in Thessaloniki", "Ελένη starts cutting linen shirts in a rented room above a bakery."),
    (2018, "The first raincoat", "Åsne joins from Bergen with a coat that survived two hundred days of rain."),
    (2021, "A knitting mill in Hungary", "Zoltán finds the mill that still knits our striped jumpers."),
    (2024, "The repair café", "Members start bringing their mending to a monthly evening in Budapest."),
    (2026, "This community", "The forum, photo posts and rewards for sharing: one place for everyone who wears the brand."),
]

VALUES = [
    ("Made to last", "Every fabric goes through forty washes and a season of wear before it reaches the shop."),
    ("Fair pay, published", "We visit every workshop each year and publish what we pay beside what we charge."),
    ("Mend before you buy", "Repair guides, the repair café and spare buttons with every shirt."),
    ("Less, but better", "Two collections a year, small runs and no sales that train you to wait."),
]

INTERVIEW_BODY = [
    "<p>We sat down with Ελένη in the workshop on a hot afternoon in July, between two fittings, to talk about the "
    "next collection, the fabrics that did not make it and why the linen takes a year to choose.</p>",
    "<h2>Why does a fabric take a year?</h2><p>Because it has to go through every season. A linen that feels lovely "
    "in the spring can pill by August or go stiff in a hard-water town. We wear the samples, wash them at home and "
    "send them to members who volunteer. Only then do we order the roll.</p>",
    "<h2>What is coming next?</h2><p>A heavier linen jacket, cut like the chore jacket, and a dress with pockets deep "
    "enough for a paperback. Members will see the samples first, here, before anything is in the shop.</p>",
]


def _lookbook(index, slug, title, season, days_ago, intro, colours, looks, products, product_colours):
    page = LookbookPage.objects.child_of(index).filter(slug=slug).first()
    if page is not None:
        return page, False
    cover = _image(f"{title} (cover)", hero_picture(f"{slug}-cover", colours, size=(1600, 1000)),
                   "An abstract landscape drawn for the demo lookbook")
    page = LookbookPage(title=title, slug=slug, season=season, intro=intro, cover_image=cover,
                        date=timezone.localdate() - datetime.timedelta(days=days_ago), search_description=intro)
    blocks = []
    for number, (look_title, background, skus, hashtag, caption, notes) in enumerate(looks, start=1):
        worn = [products[sku] for sku in skus if sku in products]
        worn_colours = [product_colours[p.sku] for p in worn] + ["#0f5c4d", "#333333"]
        top, bottom = worn_colours[0], worn_colours[1]
        pictures = [
            _image(f"{title}, look {number} ({view})",
                   look_picture(f"{slug}-{number}-{view}", background, top if view == "front" else bottom,
                                bottom if view == "front" else top),
                   f"A drawn figure wearing the look “{look_title}”")
            for view in ("front", "detail")
        ]
        blocks.append({"type": "look", "value": {
            "title": look_title,
            "images": [{"image": p.pk, "alt_text": ""} for p in pictures],
            "caption": caption,
            "styling_notes": notes,
            "products": [p.pk for p in worn],
            "hashtag": hashtag,
        }})
    page.looks = blocks
    index.add_child(instance=page)
    page.save_revision().publish()
    return page, True


def _about(home, interview):
    if BrandStoryPage.objects.child_of(home).filter(slug="about").exists():
        return False
    hero = _image("Our story (hero)", hero_picture("about", ("#0f5c4d", "#d8c3a0")), "An abstract landscape drawn for the demo")
    workshop = _image("The workshop", hero_picture("workshop", ("#e8e0cf", "#6b4b3a"), size=(1200, 800)),
                      "An abstract drawing of the workshop's warm colours")
    people = [
        ("Ελένη Παπαδοπούλου", "Founder, linen", "#c99b78", "#2b1d14", "#0f5c4d",
         "Cuts every pattern herself and still answers the care questions in the forum."),
        ("Åsne Solberg", "Design, outerwear", "#f0cfb4", "#d9b36c", "#2d4a8a", "Tests every seam in the Bergen rain."),
        ("Zoltán Kovács", "Community and repair", "#e0b08f", "#4a3426", "#8a3b12", "Runs the repair café and this community."),
    ]
    photos = {name: _image(f"portrait of {name}", portrait_picture(name, skin, hair, shirt), f"A drawn portrait of {name}")
              for name, _role, skin, hair, shirt, _bio in people}
    page = BrandStoryPage(title="Our story", slug="about", intro=ABOUT_INTRO, hero_image=hero, show_in_menus=True,
                          search_description=ABOUT_INTRO)
    page.body = [
        {"type": "paragraph", "value": (
            "<h2>Where it began</h2><p>We started with one question: why do the clothes we love wear out so fast? The "
            "answer was rarely the fabric. It was cheap thread, hurried seams and a business that needs you back in the "
            "shop every season. So we set out to make fewer things, better, and to help you keep them.</p>")},
        {"type": "image", "value": {"image": workshop.pk, "alt_text": "", "caption": "The workshop, drawn for the demo."}},
        {"type": "quote", "value": {"quote": "Make less, make it well, and mend it when it tears.",
                                    "attribution": "Ελένη Παπαδοπούλου, founder"}},
        {"type": "timeline", "value": {"heading": "How we got here", "events": [
            {"year": year, "title": title, "text": text, "image": None} for year, title, text in TIMELINE
        ]}},
        {"type": "values", "value": {"heading": "What we care about", "values": [
            {"title": title, "text": text} for title, text in VALUES
        ]}},
        {"type": "people", "value": {"heading": "The people behind the brand", "people": [
            {"name": name, "role": role, "photo": photos[name].pk, "bio": bio} for name, role, _s, _h, _c, bio in people
        ]}},
        {"type": "paragraph", "value": (
            "<h2>Join us</h2><p>The best ideas for what we make next come from the people who wear it. Ask in the "
            "forum, share your photos under our hashtags, and bring your friends. Members also read "
            f'<a linktype="page" id="{interview.pk}">our interviews from the studio</a> before anyone else.</p>')},
    ]
    home.add_child(instance=page)
    page.save_revision().publish()
    return True


def _interview(home):
    """The members-only interview, which the brand story links."""
    hero = _image("In the studio (hero)", hero_picture("studio", ("#6b4b3a", "#f1ede4")), "An abstract drawing of a warm studio")
    intro = ("An interview with our founder about the next collection, the fabrics that did not make it, "
             "and why linen takes a year.")
    page = MembersOnlyPage(title="In the studio with Ελένη", slug="in-the-studio", intro=intro, hero_image=hero,
                           search_description=intro)
    page.body = [{"type": "paragraph", "value": INTERVIEW_BODY[0]},
                 {"type": "quote", "value": {"quote": "Members see the samples first, before anything is in the shop.",
                                             "attribution": "Ελένη"}},
                 {"type": "paragraph", "value": INTERVIEW_BODY[1]},
                 {"type": "paragraph", "value": INTERVIEW_BODY[2]}]
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def _early_access(interview):
    """A first look opened early to the second loyalty tier (Insider in the starting table) for two
    weeks, under the interview: Eleni (VIP) and Maya (Insider) read it, Åsne and Jonas see how far
    they are from Insider, visitors the invitation. Skipped when there are fewer than two tiers."""
    import datetime

    from django.utils import timezone

    from referrals.loyalty.models import Tier

    tiers = list(Tier.objects.order_by("threshold")[:2])
    if len(tiers) < 2 or MembersOnlyPage.objects.child_of(interview).filter(slug="autumn-samples").exists():
        return False
    intro = "The autumn samples, photographed on the cutting table: a first look before they reach the shop."
    page = MembersOnlyPage(title="Autumn samples: a first look", slug="autumn-samples", intro=intro,
                           search_description=intro, early_access_tier=tiers[1],
                           early_access_until=timezone.now() + datetime.timedelta(days=14))
    page.body = [{"type": "paragraph", "value": "<p>Three wools, two linens and a cotton we almost did not make. "
                                                "Tell us in the forum which one should go into production first.</p>"}]
    interview.add_child(instance=page)
    page.save_revision().publish()
    return True


BRAND_NAME = "Linden & Loom"
BRAND_TAGLINE = "Clothes made to last, and the people who wear them, mend them and pass them on."


def _brand():
    """The demo's brand (Settings > Brand): its name, which the Site and every e-mail take, and its
    voice. The logo stays the site's default mark (static/img/logo.svg, a linden leaf)."""
    from wagtail.models import Site

    from .models import BrandSettings

    site = Site.objects.filter(is_default_site=True).first()
    if site is None or BrandSettings.objects.filter(site=site).exists():
        return False
    BrandSettings.objects.create(site=site, name=BRAND_NAME, tagline=BRAND_TAGLINE)
    return True


@transaction.atomic
def load(stdout):
    home = HomePage.objects.filter(depth=2).order_by("path").first()
    if home is None:
        stdout.write("Demo pages: skipped, there is no home page (run `manage.py migrate` first)")
        return
    made = []
    if _brand():
        made.append("brand")
    if home.hero_image_id is None:
        home.hero_image = _image("Home (hero)", hero_picture("home", ("#d8c3a0", "#0f5c4d")),
                                 "An abstract landscape drawn for the demo: a pale sun over soft hills")
        home.save_revision().publish()
        home.refresh_from_db()
        made.append("home hero")
    interview = MembersOnlyPage.objects.child_of(home).filter(slug="in-the-studio").first()
    if interview is None:
        interview = _interview(home)
        made.append("/in-the-studio/")
    if _about(home, interview):
        made.append("/about/")
    if _early_access(interview):
        made.append("/in-the-studio/autumn-samples/ (early access)")

    index = LookbookIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=LookbookIndexPage(
            title="Lookbooks", slug="lookbooks", show_in_menus=True,
            intro="How we wear what we make, season by season, and how members wear it.",
        ))
        index.save_revision().publish()
        made.append("/lookbooks/")
    colours = {sku: colour for sku, _name, _price, _kind, colour, _description in PRODUCTS}
    products = {product.sku: product for product in Product.objects.filter(sku__in=colours, active=True)}
    for slug, title, season, days_ago, intro, cover_colours, looks in LOOKBOOKS:
        page, created = _lookbook(index, slug, title, season, days_ago, intro, cover_colours, looks, products, colours)
        if created:
            made.append(page.url)
    stdout.write(f"Demo pages: {', '.join(made) if made else 'already there'}")
