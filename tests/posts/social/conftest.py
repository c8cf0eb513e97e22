"""Fixtures of the interactions tests (posts-social, tests/posts/social/): members of every role
and posts made through posts-core's post_create, with a real (small) processed photo."""

import pytest

from community.moderation.services import moderator_grant
from community.posts import services
from community.posts.models import Post
from core.images import image_process
from tests.factories import MemberFactory
from tests.members.test_profile import image_upload


def old_member(username, **kwargs):
    """A member who joined long ago (not "new": the regular rate limits)."""
    member = MemberFactory(username=username, display_name=username.capitalize(), **kwargs)
    member.date_joined = member.date_joined.replace(year=2020)
    member.save(update_fields=["date_joined"])
    return member


def photo(colour="teal"):
    return image_process(image_upload(colour=colour, size=(64, 48)), "post_photo").content


def make_post(author, caption="Linen at the pier #sommerlook #été", *, photos=1, rights=False, **kwargs):
    return services.post_create(author, caption=caption, photos=[(photo(), f"Photo {i}") for i in range(photos)],
                                rights=rights, **kwargs)


@pytest.fixture
def alice(db):
    return old_member("alice")


@pytest.fixture
def bob(db):
    return old_member("bob")


@pytest.fixture
def moderator(db):
    return moderator_grant(old_member("mod", is_staff=True))


@pytest.fixture
def post(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_post(alice)


@pytest.fixture
def pending_post(alice, settings, django_capture_on_commit_callbacks):
    settings.POSTS_APPROVE_ALL = True
    with django_capture_on_commit_callbacks(execute=True):
        made = make_post(alice, "Waiting #sommerlook")
    settings.POSTS_APPROVE_ALL = False
    assert made.status == Post.Status.PENDING
    return made
