"""Writes for the blog: the forum topic where members discuss a post.

Each post has at most one topic (BlogDiscussion's unique page): the first member who asks to
discuss it starts it, in the category settings.BLOG_DISCUSSION_CATEGORY names; everyone after is
taken to that topic. Two members starting it at once get the same topic: the loser's topic is
rolled back with its link (the unique constraint decides, not a check before the insert)."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from community.forum.models import Category
from community.forum.permissions import check_start_topic
from community.forum.services import topic_create
from core.absolute import absolute_url

from .models import BlogDiscussion


def blog_discussion_category():
    """The forum category blog discussions go to, or None when there is none (discussions off)."""
    slug = getattr(settings, "BLOG_DISCUSSION_CATEGORY", "")
    return Category.objects.filter(slug=slug).first() if slug else None


def blog_discussion_topic(post):
    """The topic discussing `post`, or None."""
    link = BlogDiscussion.objects.filter(page=post).select_related("topic").first()
    return link.topic if link is not None else None


def blog_discussion_start(member, post, category, *, body):
    """(topic, started): the topic discussing `post`, started now by `member` with `body` under a
    link to the post, unless someone started it first. Raises PermissionDenied (with the reason)
    when the member may not start topics there, ForumError when the text is refused."""
    check_start_topic(member, category)
    opening = _("From the blog: [%(title)s](%(url)s)") % {
        "title": post.title.replace("]", "\\]"), "url": absolute_url(post.url or "/")}
    try:
        with transaction.atomic():
            topic = topic_create(member, category, title=post.title, body=f"{opening}\n\n{body.strip()}")
            BlogDiscussion.objects.create(page=post, topic=topic)
    except IntegrityError:
        return BlogDiscussion.objects.select_related("topic").get(page=post).topic, False
    return topic, True
