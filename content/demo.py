"""The demo blog for `manage.py load_demo`: the blog index under the home page, 3 authors with
drawn portraits, 3 categories and 12 posts over the last months, with tags in several languages.
Every picture is drawn with Pillow and stored as a Wagtail image. Idempotent: authors, categories
and images are found by name, posts by slug; a second run leaves everything as it is."""

import datetime
import io
import random

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Locale

from .models import Author, BlogCategory, BlogIndexPage, BlogPage, BlogPageAuthor, HomePage

SEED = 2026
COLLECTION_PREFIX = "Demo blog: "  # image titles start with it, so a second run finds them
HERO_DESCRIPTION = "An abstract landscape drawn for the demo: a pale sun over soft hills"

AUTHORS = [
    # name, bio, skin, hair, shirt
    ("Ελένη Παπαδοπούλου", "Runs the linen workshop in Thessaloniki and writes about fabric, dye and mending.",
     "#c99b78", "#2b1d14", "#0f5c4d"),
    ("Åsne Solberg", "Designs our outerwear in Bergen, where the weather tests every seam.", "#f0cfb4", "#d9b36c", "#2d4a8a"),
    ("Zoltán Kovács", "Looks after the community and the repair café, from Budapest.", "#e0b08f", "#4a3426", "#8a3b12"),
]

CATEGORIES = [
    ("Care guides", "care", "How to wash, dry, store and mend what you wear, so it lasts for years."),
    ("Behind the seams", "behind-the-seams", "Where our fabrics come from and the people who make our clothes."),
    ("Community", "community", "Members' stories, meet-ups and the repair café."),
]

# slug, title, days ago, category slugs, tags, author indexes, summary, colours of the hero picture
POSTS = [
    ("washing-linen", "How to wash linen so it softens, not shrinks", 8, ["care"], ["linen", "λινό", "washing"], [0],
     "Cool water, a gentle spin and no tumble dryer: the three habits that make a linen shirt better every year.",
     ("#d8c3a0", "#0f5c4d")),
    ("bergen-rain-test", "Two hundred days of rain: testing the Fjord raincoat", 19, ["behind-the-seams"],
     ["raincoat", "regn", "testing"], [1],
     "We sent twelve prototypes to Bergen and asked for them back when they leaked. Here is what we changed.",
     ("#d4a017", "#1b2a38")),
    ("repair-cafe-budapest", "The first repair café in Budapest", 27, ["community"], ["repair", "javítás", "meet-up"], [2],
     "Forty members, eleven sewing machines and one very patient tailor: notes from our first repair evening.",
     ("#8a3b12", "#f1ede4")),
    ("darning-socks", "Darning socks: a ten-minute guide", 41, ["care"], ["repair", "wool", "socks"], [2, 0],
     "A darning mushroom, a blunt needle and some leftover yarn are all you need to save a favourite pair.",
     ("#7d7d80", "#a4502a")),
    ("plant-indigo", "Dyeing with plant indigo", 55, ["behind-the-seams"], ["linen", "λινό", "indigo"], [0],
     "Why our indigo shirts are a little different every time, and why we like it that way.",
     ("#2f3e6b", "#e3f1ed")),
    ("storing-wool", "Storing wool over the summer", 68, ["care"], ["wool", "moths", "ull"], [1],
     "Clean, dry and sealed away from moths: how to put your knitwear to bed until the autumn.",
     ("#e8e0cf", "#556b2f")),
    ("members-lookbook-aegean", "Members' lookbook: a week by the Aegean", 84, ["community"],
     ["linen", "Αιγαίο", "lookbook"], [0, 2],
     "Photos from members who took their linen island-hopping, and what they packed.",
     ("#3f7fa6", "#fbfaf8")),
    ("knitting-mill-visit", "A visit to the knitting mill", 97, ["behind-the-seams"], ["wool", "kötött", "makers"], [2],
     "Our striped jumpers are knitted two hours from Budapest. We spent a day on the factory floor.",
     ("#1f3a5f", "#c0392b")),
    ("waterproofing-again", "Re-proofing a raincoat at home", 113, ["care"], ["raincoat", "regn", "repair"], [1],
     "When water stops beading on your coat, a wash and a wash-in proofer bring it back.",
     ("#2e4a3f", "#d4a017")),
    ("trondheim-meet-up", "Notes from the Trondheim meet-up", 128, ["community"], ["meet-up", "håndlaget", "members"], [1, 2],
     "Coffee, cardigans and a long argument about buttons: an evening with members in Trondheim.",
     ("#6b4b3a", "#e8e0cf")),
    ("why-heavy-linen", "Why we chose heavier linen", 146, ["behind-the-seams"], ["linen", "λινό", "fabric"], [0],
     "A heavier weave creases less, lasts longer and drapes better. It also costs more, and here is why.",
     ("#6d7150", "#f1ede4")),
    ("first-year", "Our first year as a community", 171, ["community"], ["members", "anniversary"], [2, 0, 1],
     "A year of forum threads, photo posts and referrals: what we learned and what comes next.",
     ("#0f5c4d", "#d8c3a0")),
]

PARAGRAPHS = [
    "Most of what we make is meant to be worn for a decade, and that depends less on the fabric than on what happens "
    "to it between wearings. The habits below are the ones our workshop uses every day; none of them takes long.",
    "Start with the label, then ignore half of it. Care labels are written to protect the maker from the worst case, "
    "so they are cautious. A cool wash at thirty degrees with a mild detergent suits almost everything we sell.",
    "Give the garment room. An overfull drum rubs fibres against each other and against the metal, which is where "
    "pilling and thin patches begin. Half a load is kinder, and it rinses better too.",
    "Dry flat or on a wide hanger, out of direct sun. Heat is what shrinks natural fibres and fades dye; air does the "
    "same work more slowly and leaves the fabric softer.",
    "When something does wear through, mend it early. A small hole takes five minutes to darn; a large one takes an "
    "evening and shows. Members bring their mending to the repair café every month, and anyone is welcome.",
    "We test every new fabric the same way: forty washes, a season of wear by someone on the team, and a long look "
    "at what comes back. If it does not pass, it does not go into the shop, however good it looked on the roll.",
    "The people who make our clothes are part of this story. We visit every workshop we work with at least once a "
    "year, and we publish what we pay for the work alongside what we charge for the result.",
    "Thank you to everyone who wrote in with questions. Keep them coming in the forum: the best answers often come "
    "from other members, and we read every thread.",
]

QUOTES = [
    ("The best garment is the one you already own.", "A member at the repair café"),
    ("Linen is a fabric you wear in, not out.", "Ελένη, the linen workshop"),
    ("If it survives a Bergen autumn, it survives anything.", "Åsne"),
]


def _hex(colour):
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def hero_picture(seed, colours, size=(1600, 900)):
    """A calm abstract landscape: two colour bands, a sun and a few soft shapes. JPEG bytes."""
    rnd = random.Random(f"{SEED}:{seed}")
    first, second = _hex(colours[0]), _hex(colours[1])
    width, height = size
    img = Image.new("RGB", size, first)
    draw = ImageDraw.Draw(img)
    horizon = int(height * rnd.uniform(0.55, 0.7))
    for y in range(horizon, height):  # a gradient from the second colour down to a darker one
        t = (y - horizon) / max(1, height - horizon)
        draw.line([(0, y), (width, y)], fill=tuple(int(c * (1 - 0.35 * t)) for c in second))
    r = rnd.randint(height // 10, height // 6)
    cx, cy = rnd.randint(r, width - r), rnd.randint(r, horizon - r)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=tuple(min(255, c + 60) for c in first))
    for _ in range(5):
        w, h = rnd.randint(width // 8, width // 3), rnd.randint(height // 20, height // 8)
        x, y = rnd.randint(-w // 2, width), rnd.randint(horizon - h, height - h)
        shade = tuple(max(0, min(255, c + rnd.randint(-50, 50))) for c in second)
        draw.ellipse((x, y, x + w, y + h), fill=shade)
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=85)
    return out.getvalue()


def portrait_picture(seed, skin, hair, shirt, size=480):
    """A friendly generated portrait: shoulders, a face and hair on a pale background. JPEG bytes."""
    rnd = random.Random(f"{SEED}:{seed}")
    img = Image.new("RGB", (size, size), (236, 232, 225))
    draw = ImageDraw.Draw(img)
    s = size / 480
    draw.ellipse((60 * s, 330 * s, 420 * s, 640 * s), fill=_hex(shirt))  # shoulders
    draw.rectangle((205 * s, 280 * s, 275 * s, 350 * s), fill=_hex(skin))  # neck
    hair_len = rnd.randint(0, 120)
    draw.ellipse((130 * s, 70 * s, 350 * s, (300 + hair_len) * s), fill=_hex(hair))  # hair behind
    draw.ellipse((150 * s, 110 * s, 330 * s, 320 * s), fill=_hex(skin))  # face
    draw.chord((145 * s, 80 * s, 335 * s, 230 * s), 180, 360, fill=_hex(hair))  # fringe
    eye_y = 215 * s
    for ex in (205, 275):
        draw.ellipse(((ex - 7) * s, eye_y - 7 * s, (ex + 7) * s, eye_y + 7 * s), fill=(40, 32, 28))
    draw.arc((210 * s, 240 * s, 270 * s, 285 * s), 20, 160, fill=(120, 60, 50), width=max(1, int(4 * s)))
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=88)
    return out.getvalue()


def _image(title, data, description):
    Image_ = get_image_model()
    full_title = COLLECTION_PREFIX + title
    image = Image_.objects.filter(title=full_title).first()
    if image is None:
        slug = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")[:40]
        image = Image_(title=full_title, description=description, file=ImageFile(io.BytesIO(data), name=f"blog-{slug}.jpg"))
        image.file_size = len(data)
        image.save()
    return image


def _body(rnd, post_index, image):
    paragraphs = rnd.sample(PARAGRAPHS, k=rnd.randint(5, 8))
    blocks = [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs[:3]]
    quote, attribution = QUOTES[post_index % len(QUOTES)]
    blocks.append({"type": "quote", "value": {"quote": quote, "attribution": attribution}})
    blocks += [{"type": "paragraph", "value": f"<h2>{'What we learned' if post_index % 2 else 'In short'}</h2>"}]
    blocks += [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs[3:5]]
    blocks.append({"type": "image", "value": {"image": image.pk, "alt_text": "",
                                              "caption": "Drawn for the demo: every picture here is generated."}})
    blocks += [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs[5:]]
    return blocks


def _blog_index(home):
    blog = BlogIndexPage.objects.child_of(home).filter(slug="blog").first()
    if blog is None:
        blog = home.add_child(instance=BlogIndexPage(
            title="Blog", slug="blog", show_in_menus=True,
            intro="Care guides, the people behind our clothes and news from the community.",
        ))
        blog.save_revision().publish()
    elif not blog.show_in_menus:
        blog.show_in_menus = True
        blog.save_revision().publish()
    return blog


@transaction.atomic
def load(stdout):
    home = HomePage.objects.filter(depth=2).order_by("path").first()
    if home is None:
        stdout.write("Demo blog: skipped, there is no home page (run `manage.py migrate` first)")
        return
    blog = _blog_index(home)

    authors = []
    for name, bio, skin, hair, shirt in AUTHORS:
        author = Author.objects.filter(name=name).first()
        if author is None:
            photo = _image(f"portrait of {name}", portrait_picture(name, skin, hair, shirt), f"A drawn portrait of {name}")
            author = Author.objects.create(name=name, bio=bio, photo=photo)
        authors.append(author)
    categories = {}
    for name, slug, description in CATEGORIES:
        # The English category (its translations share the slug: content.demo_translations).
        categories[slug], _ = BlogCategory.objects.get_or_create(
            slug=slug, locale=Locale.get_default(), defaults={"name": name, "description": description})

    today = timezone.localdate()
    created = 0
    rnd = random.Random(SEED)
    for index, (slug, title, days_ago, category_slugs, tags, author_indexes, summary, colours) in enumerate(POSTS):
        if BlogPage.objects.child_of(blog).filter(slug=slug).exists():
            continue
        hero = _image(f"{title} (hero)", hero_picture(slug, colours), HERO_DESCRIPTION)
        inline = _image(f"{title} (detail)", hero_picture(f"{slug}-detail", colours[::-1], size=(1200, 800)),
                        "An abstract drawing of soft shapes")
        post = BlogPage(title=title, slug=slug, date=today - datetime.timedelta(days=days_ago), intro=summary, hero_image=hero,
                        search_description=summary)
        post.body = _body(rnd, index, inline)
        post.categories = [categories[c] for c in category_slugs]
        post.tags.set(tags)
        blog.add_child(instance=post)
        for order, author_index in enumerate(author_indexes):
            BlogPageAuthor.objects.create(page=post, author=authors[author_index], sort_order=order)
        post.save_revision().publish()
        created += 1
    stdout.write(f"Demo blog: {created} posts created, {len(POSTS) - created} already there, at {blog.url}")
