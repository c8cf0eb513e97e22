"""Recomputing the forum's counters from the rows (manage.py forum_recount)."""

from django.db.models import F, Max

from ..models import (
    Category,
    Post,
    Topic,
)


def counters_recount(topic_ids=None):
    """Recompute every counter from the rows (manage.py forum_recount), or only those of the
    given topics, their posts and their categories. Returns the rows fixed."""
    from django.db.models import Count, Q

    fixed = 0
    live_posts = Q(posts__approved=True, posts__hidden=False, posts__deleted_at__isnull=True)
    scope = Topic.objects.all() if topic_ids is None else Topic.objects.filter(pk__in=list(topic_ids))
    posts = Post.objects.all() if topic_ids is None else Post.objects.filter(topic__in=scope)
    categories = Category.objects.all() if topic_ids is None else Category.objects.filter(topics__in=scope).distinct()
    for topic in scope.annotate(
        visible=Count("posts", filter=live_posts & Q(posts__number__gt=1), distinct=True),
        likes=Count("posts__likes", distinct=True),
        top=Max("posts__number"),
    ).iterator():
        if (topic.reply_count, topic.like_count, topic.last_post_number) != (topic.visible, topic.likes, topic.top or 0):
            Topic.objects.filter(pk=topic.pk).update(reply_count=topic.visible, like_count=topic.likes,
                                                     last_post_number=topic.top or 0)
            fixed += 1
    for post in posts.annotate(n=Count("likes")).exclude(like_count=F("n")).only("pk").iterator():
        Post.objects.filter(pk=post.pk).update(like_count=post.n)
        fixed += 1
    live_topics = Topic.objects.live()
    for category in categories:
        topics = live_topics.filter(category=category)
        topic_count = topics.count()
        post_count = Post.objects.filter(topic__in=topics, approved=True, hidden=False, deleted_at__isnull=True).count()
        if (category.topic_count, category.post_count) != (topic_count, post_count):
            Category.objects.filter(pk=category.pk).update(topic_count=topic_count, post_count=post_count)
            fixed += 1
    return fixed
