import pytest

from community.forum.models import Category
from community.forum.services import post_reply, topic_create
from community.moderation.services import moderator_grant
from tests.factories import MemberFactory


@pytest.fixture
def category(db):
    return Category.objects.create(name="Care and repair", slug="care", description="Washing, mending, storing.")


@pytest.fixture
def members_category(db):
    return Category.objects.create(name="Members' lounge", slug="lounge", members_only=True, position=5)


@pytest.fixture
def announcements(db):
    return Category.objects.create(name="News", slug="news", staff_only_topics=True, position=1)


@pytest.fixture
def alice(db):
    member = MemberFactory(username="alice", display_name="Alice")
    member.date_joined = member.date_joined.replace(year=2020)
    member.save(update_fields=["date_joined"])
    return member


@pytest.fixture
def bob(db):
    member = MemberFactory(username="bob", display_name="Bob")
    member.date_joined = member.date_joined.replace(year=2020)
    member.save(update_fields=["date_joined"])
    return member


@pytest.fixture
def moderator(db):
    """Staff in the Moderators group (community.moderation.permissions.can_moderate)."""
    return moderator_grant(MemberFactory(username="mod", display_name="Moderator", is_staff=True))


@pytest.fixture
def topic(category, alice):
    return topic_create(alice, category, title="How do I wash linen?", body="Cold or warm water?", tags=["linen", "λινό"])


def make_replies(topic, authors, count):
    posts = []
    for n in range(count):
        posts.append(post_reply(authors[n % len(authors)], topic, body=f"Reply number {n} with some words."))
    return posts
