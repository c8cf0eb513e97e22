"""The demo forum for `manage.py load_demo`: 6 categories, 60 topics and about 400 replies among
the demo members, with @mentions, quotes, likes, solved questions, a pinned announcement and a
members-only lounge. Rows are written in bulk (the demo must load in seconds), then the counters
are recomputed from them exactly as `manage.py forum_recount` does; the newest few replies go
through the real services, so the demo members also have notifications waiting.

Idempotent: nothing is written when the demo categories already exist."""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from wagtail.search.backends import get_search_backend

from community.members.demo import DEMO_MEMBERS

from .demo_thread import load_thread
from .markup import members_for_mentions, render_markdown
from .models import Category, Post, PostLike, Topic, TopicSubscription
from .services import counters_recount, post_like, post_reply, topic_mark_solved, topic_slug

SEED = 2026

CATEGORIES = [
    # slug, name, description, colour, staff only topics, members only
    ("announcements", "Announcements", "News from the team: new collections, events and changes to the community.",
     "#8a3b12", True, False),
    ("care-and-repair", "Care and repair", "Washing, drying, storing and mending: ask, and share what works.",
     "#0f5c4d", False, False),
    ("sizing-and-fit", "Sizing and fit", "Which size, how it fits after a wash, and how to alter it.", "#2d4a8a", False, False),
    ("style", "Style and outfits", "How you wear it: outfits, layering and colour.", "#6b4b3a", False, False),
    ("meet-ups", "Meet-ups and repair cafés", "Meet other members in person: Budapest, Bergen, Thessaloniki and beyond.",
     "#556b2f", False, False),
    ("from-the-blog", "From the blog", "Talk about what we write on the blog: each post has its topic here.",
     "#4a5568", False, False),
    ("lounge", "Members' lounge", "Early looks at samples and a quieter room for members only.", "#7a2e3b", False, True),
]

# Each category's name and description in Greek, Norwegian Bokmål and Hungarian.
CATEGORY_TRANSLATIONS = {
    "announcements": {
        "el": ("Ανακοινώσεις", "Νέα από την ομάδα: καινούργιες συλλογές, εκδηλώσεις και αλλαγές στην κοινότητα."),
        "nb": ("Kunngjøringer", "Nytt fra oss: nye kolleksjoner, arrangementer og endringer i fellesskapet."),
        "hu": ("Hírek", "Újdonságok a csapattól: új kollekciók, események és változások a közösségben."),
    },
    "care-and-repair": {
        "el": ("Φροντίδα και επιδιόρθωση", "Πλύσιμο, στέγνωμα, φύλαξη και μπάλωμα: ρωτήστε και μοιραστείτε ό,τι σας πετυχαίνει."),
        "nb": ("Stell og reparasjon", "Vask, tørk, oppbevaring og lapping: spør, og del det som fungerer."),
        "hu": ("Ápolás és javítás", "Mosás, szárítás, tárolás és foltozás: kérdezz, és oszd meg, mi válik be."),
    },
    "sizing-and-fit": {
        "el": ("Μεγέθη και εφαρμογή", "Ποιο μέγεθος, πώς εφαρμόζει μετά το πλύσιμο και πώς να το μεταποιήσετε."),
        "nb": ("Størrelse og passform", "Hvilken størrelse, hvordan den sitter etter vask, og hvordan du kan sy den om."),
        "hu": ("Méretek és szabás", "Melyik méret, hogyan áll mosás után, és hogyan lehet átalakítani."),
    },
    "style": {
        "el": ("Στυλ και συνδυασμοί", "Πώς το φοράτε: συνδυασμοί, στρώσεις και χρώμα."),
        "nb": ("Stil og antrekk", "Hvordan du bruker det: antrekk, lag på lag og farger."),
        "hu": ("Stílus és szettek", "Hogyan viseled: szettek, rétegezés és színek."),
    },
    "meet-ups": {
        "el": ("Συναντήσεις και καφέ επιδιόρθωσης",
               "Γνωρίστε άλλα μέλη από κοντά: Βουδαπέστη, Μπέργκεν, Θεσσαλονίκη και όχι μόνο."),
        "nb": ("Treff og reparasjonskafeer", "Møt andre medlemmer ansikt til ansikt: Budapest, Bergen, Thessaloniki og mer."),
        "hu": ("Találkozók és javítókávézók", "Találkozz más tagokkal személyesen: Budapest, Bergen, Szaloniki és máshol."),
    },
    "from-the-blog": {
        "el": ("Από το ιστολόγιο", "Συζητήστε όσα γράφουμε στο ιστολόγιο: κάθε άρθρο έχει εδώ το θέμα του."),
        "nb": ("Fra bloggen", "Snakk om det vi skriver på bloggen: hvert innlegg har sin egen tråd her."),
        "hu": ("A blogról", "Beszélgess arról, amit a blogon írunk: minden bejegyzésnek itt van a saját témája."),
    },
    "lounge": {
        "el": ("Σαλόνι μελών", "Πρώτη ματιά στα δείγματα και ένας πιο ήσυχος χώρος μόνο για μέλη."),
        "nb": ("Medlemssalongen", "Tidlige glimt av prøver og et roligere rom bare for medlemmer."),
        "hu": ("Tagok társalgója", "Első pillantás a mintadarabokra, és egy csendesebb szoba csak tagoknak."),
    },
}


def category_translations(slug):
    """The Category fields holding a demo category's name and description in the other languages."""
    fields = {}
    for code, (name, description) in CATEGORY_TRANSLATIONS.get(slug, {}).items():
        fields[f"name_{code}"] = name
        fields[f"description_{code}"] = description
    return fields

QUESTIONS = {
    "care-and-repair": [
        ("How do I wash a linen shirt without shrinking it?", "My sand linen shirt came out a little shorter after the "
         "first wash. What temperature and spin do you use?"),
        ("Moth holes in a lambswool scarf", "Found three tiny holes after the summer. Is it worth darning, and how do I "
         "stop it happening again?"),
        ("Re-proofing the Fjord raincoat", "Water no longer beads on my raincoat. Which wash-in proofer works best?"),
        ("Can I tumble dry merino socks?", "The label says no, but I'm in a hurry on Monday mornings. What happens?"),
        ("Removing a wine stain from linen", "Red wine on the shirt dress, spotted the morning after. Any hope?"),
        ("Darning mushroom or tennis ball?", "Starting to darn socks. Does the tool matter?"),
        ("Pilling on the fisherman's jumper", "Small bobbles under the arms after a month. Comb, shaver or leave them?"),
        ("Storing wool over summer", "Vacuum bags, cedar or just a drawer?"),
        ("Replacing a horn button on the cardigan", "Lost one of the five. Does the shop sell spares?"),
        ("Canvas chore jacket is too stiff", "How many washes before it softens? Anything to speed it up?"),
        ("Yellow marks on a white tee", "Underarm marks on the organic cotton tee. Safe to use soda?"),
        ("Wax for the waxed cotton cap", "It has gone dry at the seams. Which wax and how?"),
    ],
    "sizing-and-fit": [
        ("Linen shirt: size up or down?", "I'm between M and L. How much room is there after a few washes?"),
        ("Drawstring trousers length", "I'm 165 cm. Do they need hemming?"),
        ("Fjord raincoat over a thick jumper", "Will my usual size fit over the fisherman's jumper?"),
        ("Parka sleeves are long", "Tromsø parka sleeves cover my hands. Normal, or should I exchange?"),
        ("Shirt dress fit for tall people", "At 182 cm, does the dress still come below the knee?"),
        ("Hiking socks sizing", "I'm a 42/43. S/M or M/L?"),
        ("Cardigan shrinkage", "Does the lambswool cardigan shrink at all if washed on the wool cycle?"),
        ("Gloves with touch-screen fingertips", "Do they work with big hands? Size guide seems small."),
        ("Short-sleeve shirt boxy cut", "How boxy is boxy? Pictures of it on a slim frame?"),
        ("Kids' sizes?", "Any plans for children's sizes of the striped jumper?"),
    ],
    "style": [
        ("Show your summer linen outfits", "Post your favourite way to wear the linen collection this summer."),
        ("Colours that go with indigo", "The indigo shirt is my favourite. What do you pair it with?"),
        ("Capsule wardrobe for a week away", "Seven days, one small bag. What would you pack?"),
        ("Wearing the scarf in town", "The Αιγαίο scarf looks great at the beach; how do you wear it in the city?"),
        ("Stripes and prints together?", "Can the Csíkos jumper go with anything patterned?"),
        ("Layering for a Bergen autumn", "Base layer, mid layer, shell: what works for you?"),
        ("Chore jacket: dressed up or down?", "Does it work for the office?"),
        ("Best socks for the roll-top backpack hike", "Silly question maybe, but which socks for a long walk?"),
        ("Tote bag styling", "Is the canvas tote too casual for work?"),
        ("Black tee or white tee?", "If you could only keep one."),
        ("Linen at a wedding?", "Guest at a summer wedding: is the linen shirt dressy enough?"),
        ("Beanie colours for grey coats", "The ribbed beanie in red or something calmer with the City raincoat?"),
        ("How do you roll your sleeves?", "The two-fold, the master roll, or straight up to the elbow?"),
        ("Gift ideas under 50 euros", "Looking for a present for my dad who loves walking."),
    ],
    "meet-ups": [
        ("Budapest repair café: December", "Next repair evening in Budapest: who's coming, and what are you mending?"),
        ("Bergen walk and coffee", "A rainy walk around the harbour, then coffee. Raincoats compulsory."),
        ("Thessaloniki workshop visit", "Ελένη offered to show members around the linen workshop. Interested?"),
        ("Trondheim meet-up photos", "Photos from last week's evening: thank you all for coming!"),
        ("Oslo: anyone?", "Is there interest in a first meet-up in Oslo?"),
        ("Swap evening idea", "What about an evening to swap things we no longer wear?"),
        ("Repair café: bring your own thread?", "Do we need to bring thread, or is there some there?"),
        ("Online sewing circle", "For those who can't come in person: a video call once a month?"),
        ("Lake Balaton picnic in June", "A picnic by the lake for members around Budapest. Who's in?"),
        ("Mending kit list for the repair café", "What should every mending kit have?"),
        ("Car sharing to the Bergen walk", "Driving from Stavanger, two seats free."),
    ],
    "lounge": [
        ("First look: the heavier linen jacket", "Samples of next spring's jacket arrived. Questions welcome."),
        ("Vote: the next sock colours", "Three colours for the Balaton box. Which do you want?"),
        ("What should we stop making?", "Honest answers please: what do you never wear?"),
        ("Behind the scenes: the knitting mill", "Notes and questions from our visit to the mill."),
        ("Testing volunteers wanted", "We need ten members to wear-test a new linen for a season."),
        ("Your repair stories", "The oldest thing you still wear, and how you kept it going."),
        ("Early look: winter colours", "Swatches for next winter's knits. Which would you wear?"),
        ("Would you buy secondhand from us?", "We are thinking about taking back worn pieces. Thoughts?"),
        ("Fabric samples by post", "Members can ask for samples of next season's linen."),
    ],
}

ANNOUNCEMENTS = [
    ("Welcome to the community forum", "Hello and welcome! This is the place to ask questions, share outfits and meet "
     "other members.\n\n- Be kind: we are all here because we like the same clothes.\n- Search before you ask.\n"
     "- Mark the reply that solved your question as **the answer**, so others find it.\n\nSee you in the threads!"),
    ("Winter collection is here", "The winter wool collection is in the shop. Members had a first look in the "
     "lounge; thank you for your feedback on the parka sleeves!"),
    ("Repair café dates for next year", "We have booked the rooms in Budapest, Bergen and Thessaloniki. Dates are in "
     "the meet-ups category."),
    ("New: photo posts and rewards", "Soon you can share photos under our hashtags and earn points for bringing friends."),
]

# Replies by category, so each thread reads like a conversation about its own subject (no darning
# talk under a raincoat question); GENERAL fits anywhere.
GENERAL = [
    "Thanks, that helped a lot!",
    "Following, I have the same question.",
    "Same here. The team answered me by e-mail within a day when I asked.",
    "Good to know, thank you for writing it up.",
]
REPLIES = {
    "care-and-repair": [
        "I had the same problem last year. Cold wash, gentle spin and drying on a wide hanger fixed it for me.",
        "Here's what I do:\n\n1. Soak in cold water for ten minutes.\n2. Wash at 30 °C.\n3. Dry flat, out of the sun.",
        "Has anyone tried **wool wash** from the supermarket, or does it need the special stuff?",
        "I wouldn't tumble dry it. Mine shrank almost a size.",
        "A darning mushroom is nicer to hold, but a tennis ball works just as well.",
        "Mine took about five washes to soften. Now it's my favourite jacket.",
        "Airing it on the balcony overnight does more than a wash, honestly.",
        "A fabric shaver on the lowest setting, then a cedar block in the drawer. No bobbles since.",
    ],
    "sizing-and-fit": [
        "I'd go one size up if you like to layer underneath.",
        "I'm 172 cm and the M fits with room for a jumper.",
        "The sleeves are long on purpose, so they cover your hands in the wind. I love it.",
        "Linen relaxes a little as you wear it; I stayed with my usual size.",
        "The size chart is right for the chest, but measure your shoulders too.",
        "Exchanged mine for a smaller one without any fuss.",
    ],
    "style": [
        "I pair the indigo shirt with the olive trousers, as in the summer lookbook.",
        "Stripes with a plain navy coat: it never fails.",
        "Roll the sleeves twice and tuck in only the front. Done.",
        "Rust and olive together look better than you'd think.",
        "I wear mine over a white tee all spring.",
    ],
    "meet-ups": [
        "Count me in! I'll bring a jumper with a hole in the elbow.",
        "Can't make this one, but please post photos.",
        "Is there a table for sewing machines, or hand mending only?",
        "I can bring spare thread and needles for everyone.",
        "A weekend date would work better for those of us travelling in.",
    ],
    "lounge": [
        "The darker one, please! It would go with everything I own.",
        "Happy to volunteer: I wear linen six months a year.",
        "I'd buy secondhand from you in a heartbeat.",
        "More pockets, always more pockets.",
    ],
    "announcements": [
        "Lovely news, thank you!",
        "Looking forward to it.",
        "Great to see the feedback made it into the collection.",
    ],
}


def replies_for(category_slug):
    return REPLIES.get(category_slug, []) + GENERAL


ANSWER = "Thank you! This is exactly what I needed. Marking it as the answer."


def _members():
    User = get_user_model()
    usernames = [row[0] for row in DEMO_MEMBERS]
    members = sorted(User.objects.filter(username__in=usernames, is_active=True), key=lambda m: usernames.index(m.username))
    staff = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
    return members, staff


PRODUCT_REPLIES = [  # (the topic's title starts with, SKU, the reply with {url} for the product's page)
    ("How do I wash a linen shirt", "LIN-SHIRT-SAND",
     "From the studio: the care guide is on [the shirt's page]({url}#care). 40 °C, a gentle spin, and dry it in the "
     "shade; the first wash takes up to 2 % and then it stays put."),
    ("Re-proofing the Fjord raincoat", "RAIN-FJORD",
     "Wash it first, then a wash-in proofer at 30 °C and twenty minutes in the dryer on low. "
     "[The raincoat's care guide]({url}#care) has the steps."),
    ("Linen shirt: size up or down?", "LIN-SHIRT-INDIGO",
     "I'm 180 cm and wear the M of [the indigo one]({url}) with room for a tee underneath."),
    ("Can I tumble dry merino socks?", "WOOL-SOCKS-MERINO",
     "Please don't: heat felts merino. [Ours]({url}) are dry by morning on a radiator-free rack."),
]


def _product_replies(topics, staff, members):
    """Replies that link to products, through the real service: the product pages list the topics."""
    from shop.models import Product

    products = {p.sku: p for p in Product.objects.filter(sku__in=[sku for _t, sku, _r in PRODUCT_REPLIES], active=True)}
    for index, (start, sku, reply) in enumerate(PRODUCT_REPLIES):
        topic = next((t for t in topics if t.title.startswith(start)), None)
        if topic is None or sku not in products:
            continue
        author = staff if index < 2 else members[(index + 1) % len(members)]
        if author.pk == topic.author_id:
            author = members[(index + 2) % len(members)]
        topic.refresh_from_db()
        post_reply(author, topic, body=reply.format(url=products[sku].get_absolute_url()))


@transaction.atomic
def load(stdout):
    if Category.objects.filter(slug="announcements").exists():
        # A demo loaded before the categories had translations gets them (editors' own are kept).
        for slug in CATEGORY_TRANSLATIONS:
            Category.objects.filter(slug=slug, name_el="", name_nb="", name_hu="").update(**category_translations(slug))
        stdout.write("Demo forum: already there")
        return
    members, staff = _members()
    if len(members) < 3:
        stdout.write("Demo forum: skipped, the demo members are missing")
        return
    staff = staff or members[0]
    rnd = random.Random(SEED)
    now = timezone.now()
    categories = {}
    for position, (slug, name, description, colour, staff_only, members_only) in enumerate(CATEGORIES):
        categories[slug] = Category.objects.create(slug=slug, name=name, description=description, colour=colour,
                                                   position=position, staff_only_topics=staff_only, members_only=members_only,
                                                   **category_translations(slug))

    rendered = {}

    def html(text):
        if text not in rendered:
            rendered[text] = render_markdown(text, members_for_mentions(text))
        return rendered[text]

    plan = [("announcements", title, body, staff) for title, body in ANNOUNCEMENTS]
    for slug, questions in QUESTIONS.items():
        plan += [(slug, title, body, rnd.choice(members)) for title, body in questions]
    topics, posts = [], []
    for index, (slug, title, _body, author) in enumerate(plan):
        started = now - timedelta(days=rnd.uniform(2, 120), minutes=index)
        topic = Topic(category=categories[slug], title=title, slug=topic_slug(title), author=author, created_at=started,
                      last_posted_at=started, last_poster=author, pinned=index == 0)
        topics.append(topic)
    Topic.objects.bulk_create(topics)
    replies_left = 400
    for index, (topic, (_slug, _title, opening, author)) in enumerate(zip(topics, plan, strict=True)):
        posts.append(Post(topic=topic, number=1, author=author, body=opening, body_html=html(opening),
                          created_at=topic.created_at))
        count = 0 if index % 9 == 4 else rnd.randint(3, 11)  # every ninth or so stays unanswered
        count = min(count, replies_left)
        replies_left -= count
        when = topic.created_at
        for number in range(2, count + 2):
            replier = rnd.choice([m for m in members if m.pk != author.pk] if number == 2 else members)
            pool = replies_for(topic.category.slug)
            text = rnd.choice(pool)
            if rnd.random() < 0.2:
                other = rnd.choice([m for m in members if m.pk != replier.pk])
                text = f"@{other.username} {text}"
            if rnd.random() < 0.1 and number > 2:
                text = f"> {rnd.choice(pool)}\n\n{text}"
            when = min(now - timedelta(minutes=5), when + timedelta(hours=rnd.uniform(0.5, 30)))
            posts.append(Post(topic=topic, number=number, author=replier, body=text, body_html=html(text), created_at=when))
        topic.last_posted_at, topic.last_post_number = when, count + 1
        topic.last_poster = posts[-1].author
    Post.objects.bulk_create(posts, batch_size=500)
    Topic.objects.bulk_update(topics, ["last_posted_at", "last_post_number", "last_poster"], batch_size=200)
    long_thread = load_thread(categories["care-and-repair"], members, staff, html)
    by_topic = {}
    for post in posts:
        by_topic.setdefault(post.topic_id, []).append(post)
    likes, subscriptions = [], []
    for topic in topics:
        thread = by_topic[topic.pk]
        subscriptions += [TopicSubscription(member_id=m, topic=topic, level="watching") for m in {p.author_id for p in thread}]
        for post in thread:
            for member in rnd.sample(members, k=rnd.randint(0, 3)):
                if member.pk != post.author_id:
                    likes.append(PostLike(post=post, member=member, created_at=post.created_at + timedelta(hours=1)))
        # About a third of the questions with replies get their answer.
        if topic.category.slug != "announcements" and len(thread) > 2 and rnd.random() < 0.35:
            topic.solution = thread[1]
    PostLike.objects.bulk_create(likes, batch_size=1000)
    TopicSubscription.objects.bulk_create(subscriptions, batch_size=1000)
    Topic.objects.bulk_update([t for t in topics if t.solution_id], ["solution"])
    counters_recount()
    # Bulk writes skip the search index's signals: index the demo's topics and posts in bulk.
    backend = get_search_backend()
    backend.add_bulk(Topic, [*topics, long_thread])
    backend.add_bulk(Post, [*posts, *Post.objects.filter(topic=long_thread, approved=True)])
    Category.objects.filter(pk__in=[c.pk for c in categories.values()]).update(last_posted_at=now)

    # The newest activity goes through the real services: notifications for the demo members.
    first, second = members[0], members[1]
    question = next((t for t in topics if t.category.slug == "sizing-and-fit" and t.author_id == first.pk), topics[5])
    question.refresh_from_db()
    answer = post_reply(second, question, body=f"@{question.author.username} I'm between sizes too and went one up: "
                                             "after three washes it fits perfectly.")
    if question.author_id != second.pk:
        post_like(question.author, answer)
    topic_mark_solved(question.author, question, answer)
    post_reply(members[2], question, body="Same experience here, one size up is right.")
    _product_replies(topics, staff, members)
    stdout.write(f"Demo forum: {len(categories)} categories, {len(topics)} topics, "
                 f"{Post.objects.filter(number__gt=1).count()} replies, {PostLike.objects.count()} likes")
