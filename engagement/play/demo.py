"""Badges, challenges and "Ask the team" for `manage.py load_demo` (after loyalty). Idempotent: a
second run finds the category and the challenges and changes nothing.

- Badges: one per rule, computed from what the demo members did (first posts, reviews, solved
  answers, …), and a manual badge, "Repair café host", given to Eleni by the admin.
- Challenges: "Summer look" (3 photo posts with #SummerLook, open), "Two reviews" (open; Petra has
  completed it, and its points are in her ledger), "Spring answers" (ended), "Autumn layers"
  (upcoming). Eleni and Petra show on the leaderboards.
- Support: the "Ask the team" category with eight questions, seven answered by staff after
  between 40 minutes and two days, one waiting (Reports → Ask the team: answer times).
"""

import io
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw
from wagtail.images import get_image_model
from wagtail.search.backends import get_search_backend

from community.forum.markup import render_markdown
from community.forum.models import Category, Post, Topic
from community.forum.services import counters_recount, topic_slug
from community.reviews.models import Review

from . import services
from .models import Badge, Challenge, ChallengeEntry, Goal, SupportSettings
from .rules import Rule

ASK_SLUG = "ask-the-team"
QUESTIONS = [  # title, question, answer, hours to the first staff answer (None: waiting)
    ("Can I wash the linen shirt at 40 °C?", "The label says 30, but it is white. Will 40 shrink it?",
     "Stay at 30 °C: linen shrinks a little at 40. Hang it to dry and it softens with every wash.", 0.7),
    ("Which size for the wool coat if I am between sizes?", "I am 1.72 m and usually between M and L.",
     "Take the M if you wear it over a shirt, the L over a thick jumper. The size guide has the chest widths.", 3),
    ("Do you repair zips on the rain jacket?", "The zip of my two-year-old jacket broke.",
     "Yes: send it in with the repair form and we replace the zip for free within three years.", 20),
    ("Where is my order?", "I ordered last Tuesday and have heard nothing.",
     "Sorry for the wait! Your parcel left yesterday; you should get the tracking e-mail today.", 1.5),
    ("Can I return a sale item?", "I bought a scarf in the sale, is it final?",
     "Sale items can be returned within 30 days like everything else.", 30),
    ("Is the dye on the indigo trousers stable?", "Will they stain my sofa?",
     "Wash them twice alone before the first wear; after that the dye stays put.", 50),
    ("Gift wrapping?", "Can you wrap an order as a present?",
     "Yes, tick “gift” at checkout: we wrap it in paper and leave out the receipt.", 6),
    ("Do the boots run small?", "The boots look narrow in the photos.", None, None),
]


def _picture(colours, size=(1280, 540)):
    img = Image.new("RGB", size, colours[0])
    draw = ImageDraw.Draw(img)
    width, height = size
    for i in range(6):
        r = height // (2 + i)
        cx = width * (i + 1) // 7
        draw.ellipse((cx - r, height - r, cx + r, height + r), fill=colours[1 + i % 2])
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _image(title, colours, size=(1280, 540)):
    model = get_image_model()
    image = model.objects.filter(title=title).first()
    if image is None:
        data = _picture(colours, size)
        image = model(title=title, file=ImageFile(io.BytesIO(data), name="play-demo.jpg"))
        image.file_size = len(data)
        image.save()
    return image


def _ask_the_team(members, staff, now):
    category = Category.objects.filter(slug=ASK_SLUG).first()
    if category is not None:
        return 0
    category = Category.objects.create(
        slug=ASK_SLUG, name="Ask the team", colour="#7a3e9d", position=0,
        description="Questions about sizes, care, orders and returns: our staff answer here.")
    settings = SupportSettings.load()
    settings.ask_category = category
    settings.save()
    topics = []
    for index, (title, question, answer, hours) in enumerate(QUESTIONS):
        asked = now - timedelta(days=2 + index * 3, hours=index)
        author = members[index % len(members)]
        topic = Topic.objects.create(category=category, title=title, slug=topic_slug(title), author=author,
                                     created_at=asked, last_posted_at=asked, last_poster=author)
        Post.objects.create(topic=topic, number=1, author=author, body=question, body_html=render_markdown(question),
                            created_at=asked)
        if answer is not None:
            when = asked + timedelta(hours=hours)
            Post.objects.create(topic=topic, number=2, author=staff, body=answer,
                                body_html=render_markdown(answer), created_at=when)
            Topic.objects.filter(pk=topic.pk).update(last_posted_at=when, last_poster=staff, last_post_number=2)
        # the receivers run on commit; the demo runs in one transaction: record the timing now
        services.support_topic_started(topic)
        for post in Post.objects.filter(topic=topic, number__gt=1).select_related("author", "topic"):
            services.support_post_written(post)
        topics.append(topic)
    counters_recount([t.pk for t in topics])
    backend = get_search_backend()
    backend.add_bulk(Topic, topics)
    backend.add_bulk(Post, list(Post.objects.filter(topic__in=topics)))
    return len(topics)


def _challenges(members, now):
    if Challenge.objects.filter(slug="summer-look").exists():
        return 0
    plan = [
        ("summer-look", "Summer look", Goal.PHOTO_POSTS, 3, "SummerLook", 150, -10, 20,
         "Show us how you wear linen this summer: three photo posts with #SummerLook.",
         ("#e8d8b0", "#0f5c4d", "#d28c45")),
        ("two-reviews", "Two reviews", Goal.REVIEWS, 2, "", 100, -5, 25,
         "Tell others what you think of what you bought: review two products.", ("#dfe7ef", "#2d4a8a", "#8aa2c8")),
        ("spring-answers", "Spring answers", Goal.SOLVED_ANSWERS, 3, "", 200, -90, -30,
         "Help other members in the forum: three answers marked as the solution.", ("#e7efe0", "#4d7a3a", "#b5c99a")),
        ("autumn-layers", "Autumn layers", Goal.PHOTO_POSTS, 2, "AutumnLayers", 120, 30, 60,
         "Coming soon: how you layer for the first cold days.", ("#efe2d6", "#8a4b2d", "#c98a5a")),
    ]
    made = {}
    for slug, title, goal, count, tag, points, start, end, intro, colours in plan:
        made[slug] = Challenge.objects.create(
            slug=slug, title=title, goal=goal, goal_count=count, hashtag=tag, points=points, intro=intro,
            starts_at=now + timedelta(days=start), ends_at=now + timedelta(days=end), published=True,
            hero_image=_image(f"Demo challenge: {title}", colours))
    by_name = {m.username: m for m in members}
    joined = now - timedelta(days=4)
    eleni, petra = by_name.get("eleni"), by_name.get("petra")
    if eleni is not None:
        ChallengeEntry.objects.create(challenge=made["summer-look"], member=eleni, joined_at=joined, on_leaderboard=True)
        for n in range(2):
            services.challenge_event(eleni, Goal.PHOTO_POSTS, f"demo:summer:{n}", hashtags=["summerlook"],
                                     at=now - timedelta(days=2 - n))
    if petra is not None:
        ChallengeEntry.objects.create(challenge=made["two-reviews"], member=petra, joined_at=joined, on_leaderboard=True)
        ChallengeEntry.objects.create(challenge=made["summer-look"], member=petra, joined_at=joined, on_leaderboard=True)
        services.challenge_event(petra, Goal.PHOTO_POSTS, "demo:summer:petra", hashtags=["summerlook"],
                                 at=now - timedelta(days=1))
        reviews = list(Review.objects.filter(author=petra, status=Review.Status.PUBLISHED).order_by("pk")[:2])
        keys = [f"review:{r.pk}" for r in reviews] or ["demo:review:1", "demo:review:2"]
        for n, key in enumerate(keys):
            services.challenge_event(petra, Goal.REVIEWS, key, at=now - timedelta(days=3 - n))
    for member in members[2:5]:
        ChallengeEntry.objects.get_or_create(challenge=made["two-reviews"], member=member,
                                             defaults={"joined_at": joined, "on_leaderboard": False})
    return len(made)


def _badges(members, admin):
    services.rule_badges_ensure()
    awarded = services.badges_recompute(members)
    badge, _created = Badge.objects.get_or_create(
        rule=Rule.MANUAL, name="Repair café host", defaults={
            "description": "Hosted a repair café with the team.", "position": 20,
            "image": _image("Demo badge: repair café host", ("#fbeee0", "#0f5c4d", "#d28c45"), size=(256, 256))})
    eleni = next((m for m in members if m.username == "eleni"), None)
    if eleni is not None and services.badge_award(badge, eleni, by=admin, note="Autumn repair café") is not None:
        awarded += 1
    return awarded


@transaction.atomic
def load(stdout):
    User = get_user_model()
    members = list(User.objects.filter(is_active=True, is_staff=False, deleted_at__isnull=True,
                                       email__endswith="@example.com").order_by("pk"))
    staff = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
    if len(members) < 3 or staff is None:
        stdout.write("Demo badges and challenges: skipped, the demo members are missing")
        return
    now = timezone.now()
    questions = _ask_the_team(members, staff, now)
    challenges = _challenges(members, now)
    awarded = _badges(members, User.objects.filter(is_superuser=True).order_by("pk").first())
    stdout.write(f"Demo badges and challenges: {awarded} badges awarded, {challenges} challenges, "
                 f"{questions} questions to the team (/challenges/, /forum/c/{ASK_SLUG}/)")
