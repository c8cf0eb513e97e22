"""The demo forum's long thread (issue 17, item 14): "Show us your mends", over 60 posts, so the
topic pages, the top and bottom page navigation and the jump to unread have something to walk.

Each post is one member's mend, put together from what was mended, what went wrong, how and how it
turned out: read one after another they differ, as a real thread's posts do, and a few are in the
members' own languages. Also what waits for moderators: two reports and two posts to approve."""

import random
from datetime import timedelta

from django.utils import timezone

TITLE = "Show us your mends: the long thread"
OPENING = ("Post a photo or a few words about something of ours you mended: what happened, how you fixed "
           "it, and how it has held up since. Every mend counts, visible or invisible.")

# What went wrong, and the ways members fixed that (a fix fits its damage).
FIXES = {
    "a hole at the elbow": ["darned it with the spare yarn from the shop", "put a patch on the inside",
                            "used visible mending in a bright orange thread"],
    "a frayed cuff": ["turned the cuff and sewed it back by hand", "bound it with a strip of cotton tape"],
    "a moth hole near the collar": ["darned it with the spare yarn from the shop", "covered it with a tiny duplicate stitch"],
    "a torn pocket corner": ["sewed it by hand with a ladder stitch", "reinforced it with a small patch behind"],
    "a split seam": ["sewed it by hand with a back stitch", "took it to the repair café in Budapest"],
    "a missing button": ["sewed on one from the spare-button card", "found a matching button at the repair café"],
    "a worn-through heel": ["darned it on a darning mushroom", "knitted in a new heel with the spare yarn"],
    "a small tear": ["closed it with a ladder stitch", "put a patch of the same fabric on the inside",
                     "used visible mending in a bright orange thread"],
}
# Each thing members mend, and what can go wrong with it.
GARMENTS = {
    "my sand linen shirt": ["a frayed cuff", "a missing button", "a split seam", "a small tear"],
    "the striped jumper": ["a hole at the elbow", "a moth hole near the collar", "a frayed cuff"],
    "my old chore jacket": ["a torn pocket corner", "a missing button", "a hole at the elbow", "a split seam"],
    "the indigo shirt": ["a frayed cuff", "a missing button", "a small tear"],
    "a pair of wool socks": ["a worn-through heel"],
    "the olive trousers": ["a torn pocket corner", "a split seam", "a missing button"],
    "my raincoat": ["a small tear", "a missing button", "a torn pocket corner"],
    "the lambswool scarf": ["a moth hole near the collar"],
    "a linen apron": ["a torn pocket corner", "a small tear"],
}
RESULTS = ["It has been through a dozen washes since and holds.", "You can only see it if you know where to look.",
           "My daughter now wants orange mends on everything.", "Took an evening, and I'm oddly proud of it.",
           "It is stronger there than it was new.", "A year on and still fine.",
           "The second try worked; the first was too tight.", "Honestly it looks better than before."]
LOCAL = [
    "Μπάλωσα την τσέπη του λινού πουκαμίσου με ύφασμα από μια παλιά ποδιά. Κρατάει μια χαρά.",
    "Jeg stoppet hælen på ullsokkene med garn fra reparasjonskafeen i Bergen. Varme føtter igjen!",
    "A csíkos pulóver könyökét foltoztam meg, a színek szinte pontosan egyeznek.",
    "Η συμβουλή με το αόρατο μαντάρισμα ήταν τέλεια, ευχαριστώ!",
    "Takk for tipset om strykeinnlegg, det gjorde jobben mye enklere.",
]
WAITING = ["Cheap replica jackets at half the price, link in my profile!!",
           "First post here: I mended my scarf with dental floss. Is that a terrible idea?"]


def thread_texts(count, seed=2026):
    """`count` replies, none the same: mends put together from the lists above, with the members'
    own-language posts spread through them."""
    rnd = random.Random(seed)  # noqa: S311 - demo text, not a secret
    combos = [(garment, damage.replace("a moth hole near the collar", "a moth hole") if "scarf" in garment else damage,
               fix, result)
              for garment, damages in GARMENTS.items() for damage in damages for fix in FIXES[damage] for result in RESULTS]
    rnd.shuffle(combos)
    texts, local = [], list(LOCAL)
    for index, (garment, damage, fix, result) in enumerate(combos[:count]):
        if local and index % 12 == 5:
            texts.append(local.pop(0))
        else:
            texts.append(f"{garment[0].upper()}{garment[1:]} had {damage}. I {fix}. {result}")
    return texts[:count]


def load_thread(category, members, staff, html):
    """The long thread in `category`, with posts from `members`; two reported posts and two waiting
    ones. Returns the topic."""
    from community.moderation.models import Reason
    from community.moderation.services import report_create

    from .models import Post, Topic
    from .services import topic_slug

    now = timezone.now()
    started = now - timedelta(days=40)
    author = members[0]
    topic = Topic.objects.create(category=category, title=TITLE, slug=topic_slug(TITLE), author=author,
                                 created_at=started, last_posted_at=started, last_poster=author)
    posts = [Post(topic=topic, number=1, author=author, body=OPENING, body_html=html(OPENING), created_at=started)]
    when = started
    for number, text in enumerate(thread_texts(64), start=2):
        when = min(now - timedelta(hours=2), when + timedelta(hours=14))
        replier = members[number % len(members)]
        posts.append(Post(topic=topic, number=number, author=replier, body=text, body_html=html(text), created_at=when))
    last = len(posts)
    for offset, text in enumerate(WAITING, start=1):  # what a new member wrote: waits for a moderator
        posts.append(Post(topic=topic, number=last + offset, author=members[-1], body=text, body_html=html(text),
                          created_at=now - timedelta(minutes=30 * offset), approved=False))
    Post.objects.bulk_create(posts)
    approved = [p for p in posts if p.approved]
    Topic.objects.filter(pk=topic.pk).update(last_post_number=len(posts), last_posted_at=approved[-1].created_at,
                                             last_poster=approved[-1].author)
    stored = {p.number: p for p in Post.objects.filter(topic=topic)}
    report_create(members[1], stored[7], reason=Reason.OFF_TOPIC, details="This is about a bag from another shop.")
    report_create(members[2], stored[len(approved) - 3], reason=Reason.RUDE, details="The tone here is not kind.")
    topic.refresh_from_db()
    return topic
