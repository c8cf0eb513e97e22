"""The forum's part in the one moderation queue: "forum post" as a moderatable kind, and the
labels of the forum's own actions in the moderation log. Registered from ForumConfig.ready()."""

from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from community.moderation import registry
from community.moderation.registry import ModerationKind, Preview

from .models import ModerationAction, Post

KIND = "forum_post"


def _queryset():
    return Post.objects.select_related("topic", "topic__category", "topic__category__parent", "author")


def _waiting():
    return _queryset().filter(approved=False, hidden=False, deleted_at__isnull=True).order_by("created_at", "pk")


def _preview(post):
    return Preview(
        title=f"{post.topic.title} #{post.number}",
        excerpt=Truncator(" ".join(strip_tags(post.body_html).split()) if post.body_html else post.body).chars(400),
        author=post.author,
        url=post.get_absolute_url(),
        created_at=post.created_at,
        hidden=post.hidden,
        deleted=post.is_deleted,
        waiting=not post.approved,
        note=str(_("opening post: hiding it hides the topic")) if post.number == 1 else "",
    )


def _can_view(user, post):
    from .permissions import can_see_post, can_view_topic

    return can_view_topic(user, post.topic) and can_see_post(user, post)


def _hide(actor, post, reason=""):
    from .services import post_set_hidden

    return post_set_hidden(actor, post, True, reason)


def _restore(actor, post, reason=""):
    from .services import post_set_hidden

    return post_set_hidden(actor, post, False, reason)


def _approve(actor, post):
    from .services import post_approve

    return post_approve(actor, post)


def register():
    registry.register(ModerationKind(
        code=KIND, label=_("forum post"), model=Post, queryset=_queryset, waiting=_waiting, preview=_preview,
        can_view=_can_view, hide=_hide, restore=_restore, approve=_approve,
    ))
    for action in ModerationAction:
        if action.value not in ("hide", "restore", "approve", "delete"):
            registry.register_action(action.value, action.label)
