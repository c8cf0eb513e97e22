"""Background work of the forum: telling members about replies, mentions, likes, answers and
moderation, through the site's notification service (community.members). Run after the write
commits; each notification's source key makes a retried task send nothing twice.

A busy topic does not flood its watchers: while a watcher has an unread notification for a topic,
further replies there add none (the one they have leads to the first unread post)."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django_tasks import task

from community.members.models import Notification
from community.members.notification_kinds import MODERATION
from community.members.services import notification_send

from .markup import mentioned_usernames
from .models import CategorySubscription, Post, SubscriptionLevel, Topic, TopicSubscription
from .notification_kinds import LIKE, MENTION, QUOTE, REPLY, SOLVED
from .permissions import can_view_topic

EXCERPT_CHARS = 200


def _excerpt(post):
    return Truncator(" ".join(post.body.split())).chars(EXCERPT_CHARS)


def _name(member):
    return member.public_name if member else _("Someone")


@task()
def post_notify(post_id, event):
    """event: "topic" (a new topic), "reply" or "edit" (an edit that mentions someone new)."""
    post = Post.objects.select_related("topic__category", "author", "reply_to__author").filter(pk=post_id).first()
    if post is None or post.hidden or not post.approved or post.deleted_at:
        return 0
    topic, author = post.topic, post.author
    muted = set(TopicSubscription.objects.filter(topic=topic, level=SubscriptionLevel.MUTED).values_list("member_id", flat=True))
    done = {author.pk} | muted
    sent = 0

    def send(member, kind, title, url, key):
        nonlocal sent
        if member.pk in done or not can_view_topic(member, topic):
            return
        done.add(member.pk)
        if notification_send(member, kind, actor=author, url=url, title=title, excerpt=_excerpt(post),
                             source_key=f"forum:post:{post.pk}:{key}"):
            sent += 1

    names = mentioned_usernames(post.body)
    if names:
        for member in get_user_model().objects.filter(username__in=names, is_active=True, deleted_at__isnull=True):
            send(member, MENTION,
                 _("%(name)s mentioned you in “%(topic)s”") % {"name": _name(author), "topic": topic.title},
                 post.get_absolute_url(), f"mention:{member.pk}")
    if event == "edit":
        return sent
    if post.reply_to_id and post.reply_to and not post.reply_to.deleted_at:
        send(post.reply_to.author, QUOTE if "> " in post.body else REPLY,
             _("%(name)s replied to your post in “%(topic)s”") % {"name": _name(author), "topic": topic.title},
             post.get_absolute_url(), "reply-to")
    if event == "topic":
        watchers = CategorySubscription.objects.filter(category=topic.category).select_related("member")
        for subscription in watchers.iterator():
            send(subscription.member, REPLY,
                 _("New topic in %(category)s: “%(topic)s”") % {"category": topic.category.localized_name, "topic": topic.title},
                 topic.get_absolute_url(), f"category-watch:{subscription.member_id}")
        return sent
    unread_url = reverse("forum:topic_unread", kwargs={"pk": topic.pk})
    watching = TopicSubscription.objects.filter(topic=topic, level=SubscriptionLevel.WATCHING).select_related("member")
    waiting = set(Notification.objects.filter(url=unread_url, read_at__isnull=True).values_list("recipient_id", flat=True))
    for subscription in watching.iterator():
        if subscription.member_id in waiting:
            done.add(subscription.member_id)  # they have not read the last one yet: no pile-up
            continue
        send(subscription.member, REPLY,
             _("New replies in “%(topic)s”") % {"topic": topic.title}, unread_url, f"watch:{subscription.member_id}")
    return sent


@task()
def like_notify(post_id, member_id):
    post = Post.objects.select_related("topic__category", "author").filter(pk=post_id).first()
    liker = get_user_model().objects.filter(pk=member_id).first()
    if post is None or liker is None or post.author_id == liker.pk:
        return 0
    sent = notification_send(
        post.author, LIKE, actor=liker, url=post.get_absolute_url(),
        title=_("%(name)s liked your post in “%(topic)s”") % {"name": _name(liker), "topic": post.topic.title},
        excerpt=_excerpt(post), source_key=f"forum:post:{post.pk}:like:{liker.pk}",
    )
    return int(sent is not None)


@task()
def solved_notify(topic_id, post_id, actor_id):
    topic = Topic.objects.select_related("category", "author").filter(pk=topic_id).first()
    post = Post.objects.select_related("author").filter(pk=post_id, topic_id=topic_id).first()
    actor = get_user_model().objects.filter(pk=actor_id).first()
    if topic is None or post is None:
        return 0
    sent = 0
    if notification_send(post.author, SOLVED, actor=actor, url=post.get_absolute_url(),
                         title=_("Your reply solved “%(topic)s”") % {"topic": topic.title}, excerpt=_excerpt(post),
                         source_key=f"forum:topic:{topic.pk}:solved:{post.pk}:answerer"):
        sent += 1
    if actor is not None and topic.author_id != actor.pk and notification_send(
        topic.author, SOLVED, actor=actor, url=post.get_absolute_url(),
        title=_("Your question “%(topic)s” has an answer") % {"topic": topic.title}, excerpt=_excerpt(post),
        source_key=f"forum:topic:{topic.pk}:solved:{post.pk}:asker",
    ):
        sent += 1
    return sent


@task()
def solution_removed_notify(topic_id, post_id, actor_id):
    """Tell the topic's starter that the reply marked as the answer was hidden or deleted (by a
    moderator or its author), so the topic has no answer any more."""
    topic = Topic.objects.select_related("author").filter(pk=topic_id).first()
    actor = get_user_model().objects.filter(pk=actor_id).first()
    if topic is None or topic.solution_id is not None or (actor is not None and actor.pk == topic.author_id):
        return 0
    sent = notification_send(
        topic.author, MODERATION, url=topic.get_absolute_url(),
        title=_("The answer to “%(topic)s” was removed") % {"topic": topic.title},
        excerpt=_("The reply marked as the answer was hidden or deleted. Mark another reply as the answer if one helps."),
        source_key=f"forum:topic:{topic.pk}:solution-removed:{post_id}",
    )
    return int(sent is not None)
