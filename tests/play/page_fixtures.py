"""Data for the markup checks (tests/pagecheck.py, setup "play"): an open challenge with a hero
image that the page member joined (progress, on the leaderboard), an upcoming and a past one;
badges for the page member (a rule badge and a manual one with a picture); an "Ask the team"
question answered by staff; and the help centre with its care page."""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.images import get_image_model

from community.forum.models import Category
from community.forum.services import post_reply, topic_create
from content.models import HelpIndexPage, HelpPage, HelpTopic, HomePage
from engagement.play import services
from engagement.play.models import Badge, Challenge, Goal, SupportSettings
from engagement.play.rules import Rule
from tests.factories import MemberFactory


def _image(title, size):
    from tests.pagecheck import png_bytes

    return get_image_model().objects.create(title=title, file=ContentFile(png_bytes(size), name="play.png"))


def make_check_play():
    member = get_user_model().objects.filter(username="ἀλίκη").first() or MemberFactory(username="ἀλίκη")
    staff = MemberFactory(username="team-sam", display_name="Sam from the team", is_staff=True)
    now = timezone.now()
    day = datetime.timedelta(days=1)
    summer = Challenge.objects.create(
        slug="καλοκαίρι-look", title="Καλοκαίρι look", intro="Three photos with #SummerLook.\nShow us linen.",
        goal=Goal.PHOTO_POSTS, goal_count=3, hashtag="SummerLook", points=150, starts_at=now - day,
        ends_at=now + 20 * day, published=True, hero_image=_image("Summer hero", (1280, 540)))
    Challenge.objects.create(slug="two-reviews", title="Two reviews", goal=Goal.REVIEWS, goal_count=2, points=100,
                             starts_at=now + 5 * day, ends_at=now + 30 * day, published=True)
    Challenge.objects.create(slug="spring-answers", title="Spring answers", goal=Goal.SOLVED_ANSWERS, goal_count=5,
                             points=200, starts_at=now - 60 * day, ends_at=now - 30 * day, published=True)
    services.challenge_join(summer, member, leaderboard=True)
    services.challenge_event(member, Goal.PHOTO_POSTS, "check:1", hashtags=["summerlook"])
    other = MemberFactory(username="ζωή", display_name="Ζωή")
    services.challenge_join(summer, other, leaderboard=True)
    for n in range(3):
        services.challenge_event(other, Goal.PHOTO_POSTS, f"check:z{n}", hashtags=["summerlook"])

    services.badge_award(Badge.objects.get(rule=Rule.FIRST_POST), member)
    manual = Badge.objects.create(rule=Rule.MANUAL, name="Repair café host", description="Hosted a repair café.",
                                  image=_image("Badge", (128, 128)))
    services.badge_award(manual, member)

    ask = Category.objects.create(name="Ask the team", slug="ask-the-team", description="Our staff answer.")
    settings = SupportSettings.load()
    settings.ask_category = ask
    settings.save()
    topic = topic_create(member, ask, title="Can I wash the wool coat?", body="It says dry clean only.")
    post_reply(staff, topic, body="Air it instead; spot clean with cold water.")

    home = HomePage.objects.get()
    index = home.add_child(instance=HelpIndexPage(title="Help centre", slug="help", intro="Sizes, care, returns."))
    index.save_revision().publish()
    for slug, title, topic_kind in (("faq", "FAQ", HelpTopic.FAQ), ("care", "Caring for linen", HelpTopic.CARE)):
        page = index.add_child(instance=HelpPage(
            title=title, slug=slug, topic=topic_kind, intro="Wash cool, dry flat.",
            body=[{"type": "paragraph", "value": "<h2>Linen</h2><p>Wash at 30 °C.</p>"}]))
        page.save_revision().publish()
    return {"challenge": summer.slug, "ask_topic": f"{topic.slug}/{topic.pk}"}
