"""What members do with posts and topics besides writing: likes (once, by a unique constraint),
marking the answer, watching and muting, and moving their own read position."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils.translation import gettext_lazy as _

from ..cache import forum_changed, read_changed, topic_changed
from ..models import (
    CategorySubscription,
    Post,
    PostLike,
    Topic,
    TopicReadState,
    TopicSubscription,
)
from .posting import ForumError


def post_like(member, post):
    """Like a post once; a second like changes nothing. Returns True if this call liked it."""
    try:
        with transaction.atomic():
            PostLike.objects.create(post=post, member=member)
            Post.objects.filter(pk=post.pk).update(like_count=F("like_count") + 1)
            Topic.objects.filter(pk=post.topic_id).update(like_count=F("like_count") + 1)
            forum_changed(topics=[post.topic_id])
    except IntegrityError:
        return False
    _after_commit_notify_like(post, member)
    return True


def _after_commit_notify_like(post, member):
    from ..tasks import like_notify

    transaction.on_commit(lambda: like_notify.enqueue(post.pk, member.pk))


@transaction.atomic
def post_unlike(member, post):
    forum_changed(topics=[post.topic_id])
    deleted, _rows = PostLike.objects.filter(post=post, member=member).delete()
    if deleted:
        Post.objects.filter(pk=post.pk).update(like_count=Greatest(F("like_count") - 1, 0))
        Topic.objects.filter(pk=post.topic_id).update(like_count=Greatest(F("like_count") - 1, 0))
    return bool(deleted)


@transaction.atomic
def topic_mark_solved(actor, topic, post):
    """Mark `post` (a reply of this topic) as the answer; None clears it."""
    topic_changed(topic)
    if post is not None and (post.topic_id != topic.pk or post.number == 1 or post.is_deleted or post.hidden):
        raise ForumError(_("Only a reply in this topic can be the answer."))
    Topic.objects.filter(pk=topic.pk).update(solution=post)
    topic.solution = post
    if post is not None:
        from ..signals import topic_solved
        from ..tasks import solved_notify

        transaction.on_commit(lambda: solved_notify.enqueue(topic.pk, post.pk, actor.pk))
        transaction.on_commit(lambda: topic_solved.send(sender=Topic, topic=topic, post=post, actor=actor))
    return topic


def topic_watch(member, topic, level):
    """Watch or mute a topic; level None goes back to normal."""
    if level is None:
        TopicSubscription.objects.filter(member=member, topic=topic).delete()
    else:
        TopicSubscription.objects.update_or_create(member=member, topic=topic, defaults={"level": level})


def category_watch(member, category, watching):
    if watching:
        CategorySubscription.objects.get_or_create(member=member, category=category)
    else:
        CategorySubscription.objects.filter(member=member, category=category).delete()


def read_position_update(member, topic, number, known=None):
    """Move the member's read position forward to `number` (never back); True if it moved.
    `known` is the position read with the page, so an unchanged position costs no query."""
    if known is not None and known >= number:
        return False
    updated = TopicReadState.objects.filter(member=member, topic=topic, last_read_number__lt=number).update(
        last_read_number=number)
    if not updated:
        try:
            with transaction.atomic():
                TopicReadState.objects.create(member=member, topic=topic, last_read_number=number)
        except IntegrityError:  # a row that was already further along, or made by another tab at once
            return False
    read_changed(member.pk)
    return True
