import pytest
from django.contrib.auth.models import Permission

from community.forum import services as forum
from community.moderation import services
from community.moderation.models import Reason
from tests.factories import MemberFactory
from tests.forum import conftest as forum_fixtures

# The forum's fixtures, shared: members, a category, a topic and a moderator.
alice, bob, category, moderator, topic = (forum_fixtures.alice, forum_fixtures.bob, forum_fixtures.category,
                                          forum_fixtures.moderator, forum_fixtures.topic)


@pytest.fixture
def reply(topic, alice):
    return forum.post_reply(alice, topic, body="Reply number 0 with some words.")


@pytest.fixture
def report(reply, bob):
    return services.report_create(bob, reply, reason=Reason.SPAM, details="Buy cheap linen at example.com")


@pytest.fixture
def waiting(settings, topic):
    settings.FORUM_APPROVE_NEW_MEMBERS = True
    newcomer = MemberFactory(username="newcomer", display_name="Newcomer")
    post = forum.post_reply(newcomer, topic, body="My very first words here.")
    assert not post.approved
    return post


@pytest.fixture
def staff_editor(db):
    """Staff with access to the Wagtail admin, but not the moderation permission."""
    member = MemberFactory(username="editor", is_staff=True)
    member.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return member


@pytest.fixture
def actors(moderator, staff_editor, bob):
    return {"moderator": moderator, "staff": staff_editor, "member": bob, "visitor": None}
