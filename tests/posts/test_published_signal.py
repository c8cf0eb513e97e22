"""post_published: sent once a photo post goes live (loyalty awards its points from it)."""

import pytest

from community.posts.signals import post_published

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    events = []

    def receiver(sender, post, **kwargs):
        events.append(post.pk)

    post_published.connect(receiver, dispatch_uid="test-heard")
    yield events
    post_published.disconnect(dispatch_uid="test-heard")


def test_a_post_published_at_once_and_one_approved_later_are_each_announced_once(heard, django_capture_on_commit_callbacks):
    from community.posts.models import Post
    from community.posts.moderation import post_approve
    from tests.factories import MemberFactory

    author, moderator = MemberFactory(), MemberFactory(is_staff=True, is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        live = Post.objects.create(author=author, caption="Live", status=Post.Status.PUBLISHED)
        from community.posts.services import post_created

        post_created.send(sender=Post, post=live, tags=[])
    waiting = Post.objects.create(author=author, caption="Waiting", status=Post.Status.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        post_created.send(sender=Post, post=waiting, tags=[])
    assert heard == [live.pk]
    with django_capture_on_commit_callbacks(execute=True):
        post_approve(moderator, waiting)
        post_approve(moderator, waiting)  # already published: nothing more
    assert heard == [live.pk, waiting.pk]
