"""Demo product reviews for `manage.py load_demo`: review questions for the demo product types,
reviews by the demo members of products they bought (verified buyers, from the demo shop's
orders) and of a few they did not, in English, Greek, Norwegian and Hungarian, with small drawn
photos, helpful votes, the brand's replies, answers to the questions, and two held for a moderator.

Rows are written directly (the demo must load in seconds and quietly), then the verified badges
and the products' aggregates are computed from them exactly as the services do. Idempotent:
nothing is written when the demo members have reviews already."""

import io
import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw
from wagtail.search.backends import get_search_backend

from community.members.demo import ADMIN_USERNAME, DEMO_MEMBERS
from core.images import image_process
from core.renditions import renditions_schedule
from shop.models import Product

from .models import HelpfulVote, Review, ReviewAttribute, ReviewPhoto
from .selectors import member_bought_verified
from .services import product_rating_recount

SEED = 2026

# product type -> [(code, label, kind, low end, high end)]
FIT = ("fit", "How does it fit?", ReviewAttribute.Kind.SCALE, "Runs small", "Runs large")
QUALITY = ("quality", "Quality", ReviewAttribute.Kind.RATING, "", "")
RECOMMEND = ("recommend", "Would you recommend it?", ReviewAttribute.Kind.YES_NO, "", "")
WARMTH = ("warmth", "Warmth", ReviewAttribute.Kind.SCALE, "Light", "Very warm")
QUESTIONS = {
    "Shirts": [FIT, QUALITY, RECOMMEND], "Tops": [FIT, QUALITY, RECOMMEND], "Trousers": [FIT, QUALITY, RECOMMEND],
    "Dresses": [FIT, QUALITY, RECOMMEND], "Knitwear": [FIT, WARMTH, RECOMMEND], "Outerwear": [FIT, WARMTH, RECOMMEND],
    "Socks": [WARMTH, QUALITY, RECOMMEND], "Accessories": [QUALITY, RECOMMEND], "Bags": [QUALITY, RECOMMEND],
}

LANGUAGES = {"eleni": "el", "asne": "nb", "zoltan": "hu", "maya": "en", "jonas": "en"}

# (language, product type or "*") -> [(rating, title, text)]; "*" is for any type
TEXTS = {
    ("el", "Shirts"): [
        (5, "Το καλύτερο λινό που έχω φορέσει", "Μαλακό από την πρώτη μέρα και μετά από δέκα πλύσεις ακόμα πιο ωραίο. "
         "Το φοράω σε όλο το καλοκαίρι στη Θεσσαλονίκη και δεν ζεσταίνομαι ποτέ."),
        (4, "Ωραίο, αλλά τσαλακώνεται", "Το ύφασμα είναι υπέροχο και το χρώμα ακριβώς όπως στη φωτογραφία. "
         "Τσαλακώνεται βέβαια, όπως κάθε λινό· εμένα δεν με πειράζει."),
    ],
    ("el", "Tops"): [(4, "Απλό και σωστό", "Χοντρό βαμβάκι, δεν διαφαίνεται. Ήθελα λίγο πιο μακρύ, αλλά κρατάει το σχήμα του.")],
    ("el", "Trousers"): [(5, "Άνετο για όλη μέρα", "Το κορδόνι στη μέση είναι γερό και οι τσέπες βαθιές. "
                          "Το πήρα στο νούμερό μου και κάθεται τέλεια.")],
    ("el", "Dresses"): [(3, "Όμορφο, λίγο μεγάλο", "Το χρώμα είναι πανέμορφο, αλλά βγαίνει φαρδύ. "
                         "Θα έπαιρνα ένα νούμερο μικρότερο.")],
    ("el", "*"): [(4, "Πολύ καλή ποιότητα", "Φαίνεται ότι θα κρατήσει χρόνια. Η αποστολή ήταν γρήγορη "
                   "και η συσκευασία χωρίς πλαστικό.")],
    ("nb", "Outerwear"): [
        (5, "Holder meg tørr i Bergen", "Tre uker med regn hver eneste dag, og jeg har vært tørr hele tiden. "
         "Hetta sitter godt også når det blåser fra sjøen."),
        (4, "God, men litt stiv", "Jakka er helt tett og sømmene er gode. Stoffet er litt stivt de første ukene, "
         "men det har begynt å mykne."),
    ],
    ("nb", "Socks"): [(5, "Beste sokkene til fjellturer", "Varme, myke og ingen gnagsår etter en hel dag i støvler. "
                       "Har vasket dem mange ganger uten at de har krympet.")],
    ("nb", "Accessories"): [(4, "Varme og fine", "Passer godt og holder fingrene varme på sykkelen. "
                             "Skjermen på telefonen virker med hanskene på, nesten hver gang.")],
    ("nb", "*"): [(4, "Fornøyd", "God kvalitet og fin farge. Litt dyrt, men jeg regner med at det varer lenge.")],
    ("hu", "Socks"): [
        (5, "Végre egy zokni, ami kitart", "Két tél óta hordom, és még mindig nincs rajta lyuk. "
         "Futás után sem ázik át a lábam."),
        (2, "Nekem túl vastag", "A minőség jó, de a cipőmben túl vastag, és egész nap melegem volt benne. "
         "Bakancshoz talán jobb."),
    ],
    ("hu", "Knitwear"): [(5, "Meleg és szép", "A csíkos pulóver pont olyan, mint a képen. Nem szúr, "
                           "és a mosás után is megtartotta a formáját.")],
    ("hu", "Trousers"): [(3, "Kényelmes, de gyűrődik", "Kényelmes nadrág, a zsebek mélyek. A len persze gyűrődik, "
                          "ezt tudni kell előre.")],
    ("hu", "*"): [(4, "Jó vétel", "Gyors szállítás, szép anyag. Kicsit drága, de megéri.")],
    ("en", "Knitwear"): [
        (5, "Warm without the itch", "I was worried undyed wool would scratch, but it doesn't at all. "
         "The cables are crisp and it has kept its shape after a winter of wear."),
        (4, "Lovely, sleeves a bit long", "Beautiful knit and proper heavy wool. The sleeves are a touch long on me, "
         "so I fold the cuffs."),
    ],
    ("en", "Socks"): [(5, "Bought three more pairs", "Soft, warm and they haven't gone thin at the heel. "
                       "The two-pack is good value too.")],
    ("en", "Shirts"): [(4, "Great shirt, check the size guide", "The linen is lovely and gets softer every wash. "
                        "It runs a little big; I'd size down if you're between sizes.")],
    ("en", "Bags"): [(5, "My everyday bag now", "Properly waterproof: cycled through a downpour and my laptop was dry. "
                      "The roll-top takes a week to get used to.")],
    ("en", "Tops"): [(4, "Good heavy tee", "Thick cotton that isn't see-through, and the collar hasn't stretched. "
                      "Slightly boxy, which I like.")],
    ("en", "Accessories"): [(3, "Nice, but the strap slips", "Looks great and the waxed cotton shrugs off rain. "
                             "The adjustable strap loosens during the day, though.")],
    ("en", "*"): [(4, "Really pleased", "Well made and exactly as described. Delivery was quick and the packaging "
                   "was all paper, which I appreciate.")],
}
NON_BUYER = {
    "el": (4, "Το δοκίμασα στο κατάστημα", "Δεν το αγόρασα ακόμα, αλλά το δοκίμασα σε pop-up της μάρκας. Πολύ καλό ύφασμα."),
    "nb": (3, "Lånte av en venn", "Har bare brukt min venns en helg. Fin, men litt for varm til meg."),
    "hu": (4, "A barátnőmé", "A barátnőmnek vettük ajándékba, és nagyon tetszik neki. Szép darab."),
    "en": (5, "A gift that went down well", "Bought it for my brother with his own card, so no badge here, "
           "but he hasn't taken it off since."),
}
REPLIES = {
    "el": "Ευχαριστούμε πολύ, Ελένη! Χαιρόμαστε που το λινό σας κρατάει δροσερή.",
    "nb": "Takk for en ærlig anmeldelse! Stoffet mykner med bruk, og vi tar tilbakemeldingen med oss.",
    "hu": "Köszönjük a visszajelzést! Bakancshoz valóban a vastagabb zoknit ajánljuk, cipőhöz a merinót.",
    "en": "Thank you for taking the time! We've passed the note about sizing on to the design team.",
}
HELD = [  # (username, language, rating, title, text, why it waits)
    ("jonas", "en", 1, "Check out my shop instead", "Cheaper copies at www.example.net, message me.",
     "a link in the text"),
    ("zoltan", "hu", 4, "Jó, de lásd a linket", "Részletes méréseket írtam ide: http://example.org/meretek",
     "a link in the text"),
]
PHOTO_REVIEWS = 4


def _questions():
    made = 0
    for product_type, questions in QUESTIONS.items():
        for position, (code, label, kind, low, high) in enumerate(questions):
            _row, created = ReviewAttribute.objects.get_or_create(
                product_type=product_type, code=code,
                defaults={"label": label, "kind": kind, "low_label": low, "high_label": high, "position": position})
            made += created
    return made


def _answers(product_type, rnd):
    answers = {}
    for code, _label, kind, _low, _high in QUESTIONS.get(product_type, []):
        if kind == ReviewAttribute.Kind.YES_NO:
            answers[code] = rnd.random() < 0.8
        elif code == "fit":
            answers[code] = rnd.choice((2, 3, 3, 3, 4))
        else:
            answers[code] = rnd.choice((3, 4, 4, 5, 5))
    return answers


def _text(language, product_type, used):
    for key in ((language, product_type), (language, "*")):
        for entry in TEXTS.get(key, []):
            if (key, entry[1]) not in used:
                used.add((key, entry[1]))
                return entry
    return None


def photo_image(seed, colour, size=(480, 360)):
    """A small drawing of a product on a table (a JPEG's bytes)."""
    rnd = random.Random(seed)
    image = Image.new("RGB", size, (rnd.randint(200, 240), rnd.randint(190, 230), rnd.randint(170, 210)))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle([0, int(h * .72), w, h], fill=(120, 90, 60))  # the table
    x, y = rnd.randint(int(w * .2), int(w * .4)), rnd.randint(int(h * .15), int(h * .3))
    draw.rounded_rectangle([x, y, x + int(w * .4), int(h * .78)], radius=24, fill=colour, outline=(40, 40, 40), width=3)
    draw.ellipse([w - 90, 20, w - 30, 80], fill=(250, 220, 120))  # a window's sun
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _hex(colour):
    colour = colour.lstrip("#")
    return tuple(int(colour[i:i + 2], 16) for i in (0, 2, 4))


def _bought(member):
    return list(
        Product.objects.filter(active=True, order_lines__order__email__iexact=member.email,
                               order_lines__order__paid_at__isnull=False).distinct().order_by("sku")
    )


def load(stdout):
    User = get_user_model()
    members = {u.username: u for u in User.objects.filter(username__in=[m[0] for m in DEMO_MEMBERS])}
    questions = _questions()
    if not members or Review.objects.filter(author__in=members.values()).exists():
        stdout.write(f"Demo reviews: already there ({questions} new review questions)")
        return 0
    rnd = random.Random(SEED)
    now = timezone.now()
    products = list(Product.objects.filter(active=True).order_by("sku"))
    colours = {}
    from shop.demo import PRODUCTS as SHOP_PRODUCTS

    for sku, _name, _price, _kind, colour, _description in SHOP_PRODUCTS:
        colours[sku] = _hex(colour)
    reviews, used = [], set()
    for username, member in sorted(members.items()):
        language = LANGUAGES.get(username, "en")
        bought = _bought(member)
        rnd.shuffle(bought)
        for product in bought[:4]:
            entry = _text(language, product.product_type, used)
            if entry is None:
                continue
            rating, title, body = entry
            reviews.append(Review(
                product=product, author=member, rating=rating, title=title, body=body, language=language,
                attributes=_answers(product.product_type, rnd), status=Review.Status.PUBLISHED,
                created_at=now - timedelta(days=rnd.randint(2, 120), hours=rnd.randint(0, 23)),
            ))
        others = [p for p in products if p not in bought]
        if others:
            rating, title, body = NON_BUYER[language]
            product = rnd.choice(others)
            reviews.append(Review(
                product=product, author=member, rating=rating, title=title, body=body, language=language,
                attributes=_answers(product.product_type, rnd), status=Review.Status.PUBLISHED,
                created_at=now - timedelta(days=rnd.randint(2, 60)),
            ))
    taken = {(r.product_id, r.author_id) for r in reviews}
    for username, language, rating, title, body, why in HELD:
        member = members.get(username)
        product = next((p for p in products if (p.pk, getattr(member, "pk", None)) not in taken), None)
        if member is None or product is None:
            continue
        taken.add((product.pk, member.pk))
        reviews.append(Review(product=product, author=member, rating=rating, title=title, body=body, language=language,
                              status=Review.Status.PENDING, held_reason=why, created_at=now - timedelta(hours=5)))
    with transaction.atomic():
        for review in reviews:
            review.published_at = review.created_at if review.status == Review.Status.PUBLISHED else None
            review.verified_buyer = member_bought_verified(review.author, review.product_id)
        Review.objects.bulk_create(reviews)
        published = [r for r in reviews if r.status == Review.Status.PUBLISHED]
        # helpful votes from the other demo members
        votes = []
        for review in published:
            for voter in members.values():
                if voter.pk != review.author_id and rnd.random() < 0.35:
                    votes.append(HelpfulVote(review=review, member=voter, created_at=review.created_at + timedelta(days=1)))
        HelpfulVote.objects.bulk_create(votes)
        counts = {}
        for vote in votes:
            counts[vote.review.pk] = counts.get(vote.review.pk, 0) + 1
        for review in published:
            review.helpful_count = counts.get(review.pk, 0)
        # the brand's replies, one per language
        admin = User.objects.filter(username=ADMIN_USERNAME).first()
        replied = set()
        for review in published:
            if review.language not in replied and review.rating <= 4:
                replied.add(review.language)
                review.brand_reply = REPLIES[review.language]
                review.brand_reply_at = review.created_at + timedelta(days=2)
                review.brand_reply_by = admin
        Review.objects.bulk_update(published, ["helpful_count", "brand_reply", "brand_reply_at", "brand_reply_by"])
        # photos on a few reviews: small drawings, through the image pipeline like an upload
        photos = 0
        for review in [r for r in published if r.rating >= 4][:PHOTO_REVIEWS]:
            data = photo_image(review.pk, colours.get(review.product.sku, (150, 150, 150)))
            image = image_process(SimpleUploadedFile("photo.jpg", data, content_type="image/jpeg"), "review_photo")
            row = ReviewPhoto(review=review, position=0, alt_text=f"{review.product.name} on a wooden table")
            row.file.save(image.content.name, image.content, save=False)
            row.width, row.height = image.width, image.height
            row.save()
            renditions_schedule(row, "file", "renditions", "review_photo")
            Review.objects.filter(pk=review.pk).update(photo_count=1)
            photos += 1
        product_rating_recount()
    get_search_backend().add_bulk(Review, reviews)
    held = sum(r.status == Review.Status.PENDING for r in reviews)
    stdout.write(
        f"Demo reviews: {len(reviews)} reviews ({sum(r.verified_buyer for r in reviews)} by verified buyers, "
        f"{held} waiting for a moderator) in {len({r.language for r in reviews})} languages, {photos} with photos, "
        f"{len(votes)} helpful votes, {len(replied)} brand replies; {questions} new review questions"
    )
    return len(reviews)
