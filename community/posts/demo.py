"""The demo photo posts for `manage.py load_demo`: 80 posts by the demo members over 15 hashtags in
several scripts (#sommerlook, #été, #καλοκαίρι, #nyár, ...), with drawn photos and their alt texts,
products from the demo shop, a running campaign (#layerup) and an upcoming one, featured posts
(with their authors' rights) for the home page and the galleries, a few waiting for approval,
likes and comments.

Every photo is drawn with Pillow at load time (an outfit on a backdrop, a flat lay or a landscape,
in the colours of the products it shows): no file ships with the project. Rows are written in
bulk and the counters computed from them, as the forum's demo does; the renditions are made here
in a few threads instead of one background task per photo (the result is the same manifest), so
the demo loads in seconds. Idempotent: nothing is written when the demo campaign exists."""

import io
import os
import random
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw
from wagtail.search.backends import get_search_backend

from community.members.demo import DEMO_MEMBERS
from core.images import image_use
from core.renditions import renditions_make
from shop.demo import PRODUCTS
from shop.models import Product

from .app_settings import app_settings
from .hashtags import hashtag_key
from .models import Campaign, Comment, Post, PostLike, PostPhoto, PostProduct, RightsEvent, TaggedPost
from .services import caption_render, counters_recount, hashtags_get

SEED = 2026
POSTS = 80
CAMPAIGN_SLUG = "layer-up"
# Mostly portrait, as phones take them; 640 pixels wide, so each photo needs renditions at two
# widths only (320 and its own): the demo's photos cost about 60 ms of CPU each to draw and encode.
SIZES = [(640, 800), (640, 800), (640, 640), (640, 480)]

# hashtag as written, the words its captions use
HASHTAGS = [
    ("sommerlook", "Sommerlook fra Bergen: endelig sol!"),
    ("été", "L'été en lin, tout simplement."),
    ("καλοκαίρι", "Καλοκαίρι στη Θεσσαλονίκη με λινό."),
    ("nyár", "Nyár a Balatonnál."),
    ("summerlook", "Summer look for the long evenings."),
    ("linenweek", "Linen week, day three."),
    ("λινό", "Λινό πουκάμισο, δεύτερο καλοκαίρι."),
    ("regnvær", "Regnvær igjen, men tørr under jakka."),
    ("csíkos", "Csíkos pulóver, novemberi reggel."),
    ("LayerUp", "Three layers and still warm."),
    ("repaircafé", "Mended at the repair café, good as new."),
    ("mendingmatters", "A darn a day keeps the holes away."),
    ("OOTD", "Today's outfit."),
    ("Budapest", "Budapest, a Duna-parton."),
    ("vinter", "Vinter i Tromsø: parkas og ull."),
]
CAMPAIGN_TAG = "LayerUp"
SCENES = ["outfit", "flatlay", "landscape"]
BACKDROPS = ["#f1ede4", "#e3f1ed", "#fbe9dc", "#d6dde3", "#eef2f5", "#f3ece1", "#fdf6e3", "#e8eaf6", "#fce4ec"]
SKY = ["#87b5d9", "#f6c28b", "#c9e4de", "#b0a8d9", "#ffd6a5"]
ALT = {
    "outfit": "A drawn figure wearing a {top} top and {bottom} trousers in front of a plain backdrop",
    "flatlay": "A flat lay drawn from above: a {top} shirt folded beside {bottom} socks on a table",
    "landscape": "A drawing of hills under a low sun, with a {top} jacket hanging on a {bottom} fence",
}
COLOUR_NAMES = {
    "#d8c3a0": "sand", "#2f3e6b": "indigo", "#f1ede4": "off-white", "#6d7150": "olive", "#b9a27a": "beige",
    "#9c4f3c": "terracotta", "#3f7fa6": "Aegean blue", "#7d7d80": "grey", "#a4502a": "rust", "#4c6b3c": "green",
    "#5b8fa3": "lake blue", "#5a4636": "brown", "#c0392b": "red", "#8e6c4a": "camel", "#e8e0cf": "cream",
    "#556b2f": "moss green", "#1f3a5f": "navy", "#d4a017": "mustard", "#2e4a3f": "dark green", "#e0662c": "orange",
    "#1b2a38": "midnight blue", "#7a2e3b": "burgundy", "#3b5f7a": "slate blue", "#6b4b3a": "chestnut",
    "#fafafa": "white", "#222222": "black",
}
COMMENTS = [
    "Love this! 😍", "Where is the scarf from?", "Ωραίο! Πού είναι αυτό;", "Nagyon jól áll!", "Så fint!",
    "That colour is perfect on you.", "Same shirt, different city 🙌", "Magnifique !", "Ugyanez van nekem is.",
    "Great photo, @{author}!", "Need this for next summer.", "Hvor er dette tatt?",
]
PENDING = 4
FEATURED = 8


def _hex(colour):
    colour = colour.lstrip("#")
    return tuple(int(colour[i:i + 2], 16) for i in (0, 2, 4))


def _shade(rgb, delta):
    return tuple(max(0, min(255, c + delta)) for c in rgb)


def draw_photo(seed, scene, top, bottom, size):
    """A drawn photo: an outfit on a backdrop, a flat lay from above or a landscape with a jacket,
    in the colours `top` and `bottom` (hex). An RGB image, a few milliseconds to draw."""
    rnd = random.Random(f"{SEED}:post:{seed}")
    width, height = size
    unit = min(width, height) / 100
    top_rgb, bottom_rgb = _hex(top), _hex(bottom)
    if scene == "landscape":
        img = Image.new("RGB", size, _hex(rnd.choice(SKY)))
        draw = ImageDraw.Draw(img)
        sun = (rnd.randint(width // 5, width * 4 // 5), rnd.randint(height // 8, height // 3))
        radius = rnd.randint(8, 14) * unit
        draw.ellipse((sun[0] - radius, sun[1] - radius, sun[0] + radius, sun[1] + radius), fill=_hex("#fff3c4"))
        for layer in range(3):
            base = height * (0.55 + 0.12 * layer)
            colour = _shade(_hex(rnd.choice(["#556b2f", "#4c6b3c", "#6d7150", "#2e4a3f"])), 15 * layer)
            points = [(0, height)] + [(x, base + rnd.randint(-8, 8) * unit) for x in range(0, width + 60, 60)] + [(width, height)]
            draw.polygon(points, fill=colour)
        fence_y = int(height * 0.78)
        draw.rectangle((0, fence_y, width, fence_y + 2 * unit), fill=bottom_rgb)
        for x in range(int(4 * unit), width, int(14 * unit)):
            draw.rectangle((x, fence_y - 10 * unit, x + 2 * unit, fence_y + 12 * unit), fill=bottom_rgb)
        cx = rnd.randint(width // 3, width * 2 // 3)
        draw.polygon([(cx - 12 * unit, fence_y - 6 * unit), (cx + 12 * unit, fence_y - 6 * unit),
                      (cx + 15 * unit, fence_y + 24 * unit), (cx - 15 * unit, fence_y + 24 * unit)], fill=top_rgb)
        draw.line((cx, fence_y - 6 * unit, cx, fence_y), fill=_shade(top_rgb, -60), width=max(2, int(unit)))
    elif scene == "flatlay":
        table = _hex(rnd.choice(["#c8a27a", "#e8e0cf", "#9e7b5b", "#d9d5ce"]))
        img = Image.new("RGB", size, table)
        draw = ImageDraw.Draw(img)
        for y in range(0, height, int(9 * unit)):  # planks
            draw.line((0, y, width, y), fill=_shade(table, -18), width=max(1, int(unit / 2)))
        x0, y0 = rnd.randint(6, 16) * unit, rnd.randint(8, 20) * unit
        w, h = 46 * unit, 52 * unit
        draw.rectangle((x0, y0, x0 + w, y0 + h), fill=top_rgb)  # a folded shirt
        draw.polygon([(x0 + w * 0.35, y0), (x0 + w * 0.5, y0 + 10 * unit), (x0 + w * 0.65, y0)], fill=_shade(top_rgb, -35))
        for button in range(4):
            by = y0 + (16 + button * 9) * unit
            draw.ellipse((x0 + w / 2 - unit, by - unit, x0 + w / 2 + unit, by + unit), fill=_shade(top_rgb, 50))
        for sock in range(2):  # a pair of socks
            sx = x0 + w + (8 + sock * 14) * unit
            sy = y0 + rnd.randint(0, 10) * unit
            draw.rectangle((sx, sy, sx + 10 * unit, sy + 34 * unit), fill=bottom_rgb)
            draw.ellipse((sx - 6 * unit, sy + 28 * unit, sx + 10 * unit, sy + 42 * unit), fill=bottom_rgb)
            draw.rectangle((sx, sy, sx + 10 * unit, sy + 4 * unit), fill=_shade(bottom_rgb, 40))
        cup = (rnd.randint(15, 30) * unit, height - rnd.randint(18, 28) * unit)
        draw.ellipse((cup[0] - 9 * unit, cup[1] - 9 * unit, cup[0] + 9 * unit, cup[1] + 9 * unit), fill=_hex("#fafafa"))
        draw.ellipse((cup[0] - 6 * unit, cup[1] - 6 * unit, cup[0] + 6 * unit, cup[1] + 6 * unit), fill=_hex("#5a3a22"))
    else:
        backdrop = _hex(rnd.choice(BACKDROPS))
        img = Image.new("RGB", size, backdrop)
        draw = ImageDraw.Draw(img)
        floor = int(height * 0.86)
        draw.rectangle((0, floor, width, height), fill=_shade(backdrop, -25))
        cx = width // 2 + rnd.randint(-width // 8, width // 8)
        unit = height / 100
        skin = _hex(rnd.choice(["#c99b78", "#f0cfb4", "#e0b08f", "#8d5a3b"]))
        hair = _hex(rnd.choice(["#2b1d14", "#d9b36c", "#4a3426", "#1b1b1b", "#a0522d"]))
        draw.ellipse((cx - 7 * unit, 6 * unit, cx + 7 * unit, 22 * unit), fill=hair)
        draw.ellipse((cx - 6 * unit, 8 * unit, cx + 6 * unit, 22 * unit), fill=skin)
        draw.rectangle((cx - 2 * unit, 21 * unit, cx + 2 * unit, 25 * unit), fill=skin)
        draw.polygon([(cx - 10 * unit, 50 * unit), (cx + 10 * unit, 50 * unit), (cx + 11 * unit, floor),
                      (cx + 2 * unit, floor), (cx, 60 * unit), (cx - 2 * unit, floor), (cx - 11 * unit, floor)],
                     fill=bottom_rgb)
        draw.polygon([(cx - 12 * unit, 25 * unit), (cx + 12 * unit, 25 * unit), (cx + 19 * unit, 50 * unit),
                      (cx + 15 * unit, 52 * unit), (cx + 11 * unit, 40 * unit), (cx + 11 * unit, 55 * unit),
                      (cx - 11 * unit, 55 * unit), (cx - 11 * unit, 40 * unit), (cx - 15 * unit, 52 * unit),
                      (cx - 19 * unit, 50 * unit)], fill=top_rgb)
        if rnd.random() < 0.5:  # stripes on the top
            for y in range(int(28 * unit), int(55 * unit), int(5 * unit)):
                draw.line((cx - 11 * unit, y, cx + 11 * unit, y), fill=_shade(top_rgb, 70), width=max(2, int(unit)))
        for hand in (-17, 17):
            draw.ellipse((cx + (hand - 2) * unit, 50 * unit, cx + (hand + 2) * unit, 54 * unit), fill=skin)
    return img


def _encode(img):
    out = io.BytesIO()
    img.save(out, format="WEBP", quality=85, method=2)
    return out.getvalue()


def _members():
    User = get_user_model()
    usernames = [row[0] for row in DEMO_MEMBERS]
    return sorted(User.objects.filter(username__in=usernames, is_active=True), key=lambda m: usernames.index(m.username))


def _hero_image(rnd):
    """The running campaign's hero: wide hills at dusk with three coloured layers hung on a line."""
    from wagtail.images import get_image_model

    title = "Demo campaign: Layer up (hero)"
    Image_ = get_image_model()
    found = Image_.objects.filter(title=title).first()
    if found is not None:
        return found
    img = draw_photo("hero", "landscape", "#c0392b", "#6b4b3a", (1600, 900))
    draw = ImageDraw.Draw(img)
    for i, colour in enumerate(["#1f3a5f", "#d4a017", "#e8e0cf"]):
        x = 200 + i * 380
        draw.rectangle((x, 140, x + 260, 420), fill=_hex(colour))
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=85)
    return Image_.objects.create(title=title, file=ContentFile(out.getvalue(), name="demo-campaign-layer-up.jpg"),
                                 description="A drawing of three jumpers hung on a line above hills at dusk")


def _campaigns(now, rnd):
    layer_up = Campaign.objects.create(
        hashtag=hashtags_get([(CAMPAIGN_TAG, hashtag_key(CAMPAIGN_TAG))])[0], slug=CAMPAIGN_SLUG, title="Layer up for winter",
        description=("Show us how you layer for the cold: a base layer, a knit, a shell, and whatever keeps you going "
                     "outside. Post your photo with #LayerUp in the caption before the campaign ends.\n\n"
                     "Every entry appears on this page; the team picks three winners."),
        prize_text="Three winners each choose a knit from the winter collection, and their photos open the lookbook.",
        hero_image=_hero_image(rnd), starts_at=now - timedelta(days=10), ends_at=now + timedelta(days=18, hours=5),
    )
    Campaign.objects.create(
        hashtag=hashtags_get([("repaircafé", hashtag_key("repaircafé"))])[0], slug="mend-it", title="Mend it, show it",
        description="Your best repair of the year: a darn, a patch, a new button. Post it with #repaircafé.",
        prize_text="A mending kit and a seat at the next repair café.",
        starts_at=now + timedelta(days=30), ends_at=now + timedelta(days=60),
    )
    return layer_up


@transaction.atomic
def load(stdout):
    if Campaign.objects.filter(slug=CAMPAIGN_SLUG).exists():
        stdout.write("Demo photo posts: already there")
        return
    members = _members()
    if len(members) < 3:
        stdout.write("Demo photo posts: skipped, the demo members are missing")
        return
    rnd = random.Random(SEED)
    now = timezone.now()
    products = list(Product.objects.filter(active=True).order_by("pk"))
    tags = {name: tag for (name, _text), tag in zip(HASHTAGS, hashtags_get([(name, hashtag_key(name)) for name, _t in HASHTAGS]),
                                                    strict=True)}
    campaign = _campaigns(now, rnd)

    posts, plans = [], []
    for number in range(POSTS):
        author = members[number % len(members)]
        names = rnd.sample([name for name, _text in HASHTAGS if name != CAMPAIGN_TAG], k=rnd.randint(1, 3))
        # A dozen posts under the running campaign's hashtag (one from before its start would not be an entry).
        if number % 7 == 0:
            names = [CAMPAIGN_TAG] + names[:1]
            created = now - timedelta(days=rnd.uniform(0.1, 12), minutes=number)
        else:
            created = now - timedelta(days=rnd.uniform(0.05, 90), minutes=number)
        text = next(t for n, t in HASHTAGS if n == names[0])
        mention = f" @{members[(number + 1) % len(members)].username}" if number % 11 == 3 else ""
        caption = f"{text}{mention}\n\n" + " ".join(f"#{name}" for name in names)
        worn = rnd.sample(products, k=min(len(products), rnd.randint(0, 2))) if products else []
        pending = number >= POSTS - PENDING
        rights = pending or number % 10 < 7
        post = Post(author=author, caption=caption, caption_html=caption_render(caption),
                    status=Post.Status.PENDING if pending else Post.Status.PUBLISHED, created_at=created,
                    published_at=None if pending else created,
                    rights_granted_at=created if rights else None,
                    rights_version=app_settings.RIGHTS_VERSION if rights else "")
        posts.append(post)
        photo_count = 2 if number % 6 == 1 else 1
        plans.append((names, worn, photo_count))
    # The featured posts: the newest with rights, among them one of the campaign's.
    candidates = sorted((p for p in posts if p.rights_granted_at and p.status == Post.Status.PUBLISHED),
                        key=lambda p: p.created_at, reverse=True)
    for index, post in enumerate(candidates[:FEATURED]):
        post.featured_at = now - timedelta(hours=index * 7)
    Post.objects.bulk_create(posts, batch_size=200)

    colours = {sku: colour for sku, _name, _price, _kind, colour, _description in PRODUCTS}
    photos, jobs = [], []
    tagged, links = [], []
    for post, (names, worn, photo_count) in zip(posts, plans, strict=True):
        tagged += [TaggedPost(content_object=post, tag=tags[name]) for name in names]
        links += [PostProduct(post=post, product=product, position=i) for i, product in enumerate(worn)]
        for position in range(photo_count):
            seed = f"{post.pk}-{position}"
            top, bottom = (rnd.choice(list(COLOUR_NAMES)) for _ in range(2))
            if worn:  # the photo shows the products it tags
                top = colours.get(worn[0].sku, top)
                bottom = colours.get(worn[-1].sku, bottom) if len(worn) > 1 else bottom
            scene = rnd.choice(SCENES)
            size = rnd.choice(SIZES)
            alt = ALT[scene].format(top=COLOUR_NAMES.get(top, "coloured"), bottom=COLOUR_NAMES.get(bottom, "coloured"))
            photos.append(PostPhoto(post=post, position=position, alt_text=alt))
            jobs.append((seed, scene, top, bottom, size))
    TaggedPost.objects.bulk_create(tagged, batch_size=500)
    PostProduct.objects.bulk_create(links, batch_size=500)

    # Draw, encode and store each photo with its renditions, a few at a time (Pillow lets go of
    # the interpreter lock while it encodes).
    use = image_use("post_photo")

    def make(job):
        seed, scene, top, bottom, size = job
        name = default_storage.save(f"posts/demo-{seed}.webp", ContentFile(_encode(draw_photo(seed, scene, top, bottom, size))))
        return name, size, renditions_make(default_storage, name, use.rendition_widths, use.fallback_width)

    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        made = list(pool.map(make, jobs))
    for photo, (name, (width, height), manifest) in zip(photos, made, strict=True):
        photo.file.name, photo.width, photo.height, photo.renditions = name, width, height, manifest
    PostPhoto.objects.bulk_create(photos, batch_size=500)

    # Likes and comments among the members, on the published posts.
    likes, comments = [], []
    for post in posts:
        if post.status != Post.Status.PUBLISHED:
            continue
        others = [m for m in members if m.pk != post.author_id]
        for member in rnd.sample(others, k=rnd.randint(0, len(others))):
            likes.append(PostLike(post=post, member=member, created_at=post.created_at + timedelta(hours=rnd.uniform(1, 20))))
        for index in range(rnd.choice([0, 0, 1, 1, 2, 3])):
            commenter = rnd.choice(others)
            body = rnd.choice(COMMENTS).format(author=post.author.username)
            comments.append(Comment(post=post, author=commenter, body=body, body_html=caption_render(body),
                                    created_at=post.created_at + timedelta(hours=2 + index)))
    RightsEvent.objects.bulk_create([  # the consent's record, as the posting form's tick leaves it
        RightsEvent(post=p, member_id=p.author_id, action=RightsEvent.Action.GRANT, version=p.rights_version,
                    created_at=p.rights_granted_at) for p in posts if p.rights_granted_at], batch_size=500)
    PostLike.objects.bulk_create(likes, batch_size=1000)
    Comment.objects.bulk_create(comments, batch_size=1000)
    counters_recount()  # as `manage.py posts_recount` does
    get_search_backend().add_bulk(Post, [p for p in posts if p.status == Post.Status.PUBLISHED])
    entries = sum(1 for p, (names, _w, _c) in zip(posts, plans, strict=True)
                  if CAMPAIGN_TAG in names and p.published_at and p.published_at >= campaign.starts_at)
    stdout.write(f"Demo photo posts: {len(posts)} posts ({PENDING} waiting for approval, {FEATURED} featured), "
                 f"{len(photos)} photos, {len(HASHTAGS)} hashtags, {len(likes)} likes, {len(comments)} comments, "
                 f"campaign /posts/campaigns/{CAMPAIGN_SLUG}/ with {entries} entries")

