"""Who may do what in the forum. Every view asks these functions; the queryset filters beside them
apply the same rules to lists. Who moderates, and who is suspended, is community.moderation's
(site-wide): superusers, and staff with the moderation permission (the "Moderators" group)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from community.moderation.permissions import can_moderate, check_write
from community.moderation.selectors import is_member
from core.permissions import allows

from .models import Category, Post, Topic


def visible_categories(user):
    categories = Category.objects.all()
    if not is_member(user):
        categories = categories.filter(Q(parent__isnull=True) | Q(parent__members_only=False), members_only=False)
    return categories


def can_view_category(user, category):
    if category.members_only or (category.parent_id and category.parent.members_only):
        return is_member(user)
    return True


def opens_after_sign_in(user, category, topic=None):
    """Whether a visitor who is not signed in is kept out of `category` (or of `topic` in it) only
    because it is for members, so that logging in or joining would open it. Never true for what a
    member could not see either (a hidden, deleted or unapproved topic): those stay "not found"."""
    if user is not None and user.is_authenticated:
        return False
    if can_view_category(user, category):
        return False
    return topic is None or (topic.deleted_at is None and not topic.hidden and topic.approved)


def visible_topics(user):
    """Topics `user` may see in lists: live ones in visible categories."""
    topics = Topic.objects.live()
    if not is_member(user):
        topics = topics.filter(category__members_only=False).exclude(category__parent__members_only=True)
    return topics


def can_view_topic(user, topic):
    if not can_view_category(user, topic.category):
        return False
    if topic.deleted_at or topic.hidden:
        return can_moderate(user)
    if not topic.approved:
        return can_moderate(user) or (is_member(user) and topic.author_id == user.pk)
    return True


def can_see_post(user, post):
    """Hidden or unapproved posts are shown to moderators, and unapproved ones to their author."""
    if post.hidden:
        return can_moderate(user)
    if not post.approved:
        return can_moderate(user) or (is_member(user) and post.author_id == user.pk)
    return True


# Each rule is a check that raises PermissionDenied with the reason the 403 page shows, and its
# boolean twin (core.permissions.allows) for templates and lists.

def check_post(user):
    """Writing in the forum at all: a signed-in member who is not suspended (site-wide)."""
    check_write(user)


def check_start_topic(user, category):
    check_post(user)
    if not can_view_category(user, category):
        raise PermissionDenied(_("Only members can start topics in this category."))
    if category.staff_only_topics and not can_moderate(user):
        raise PermissionDenied(_("Only the team starts topics in this category; you are welcome to reply."))


def check_reply(user, topic):
    check_post(user)
    if not can_view_topic(user, topic) or topic.deleted_at or topic.hidden:
        raise PermissionDenied(_("This topic is no longer open for replies."))
    if topic.locked and not can_moderate(user):
        raise PermissionDenied(_("This topic is locked: nobody can reply to it."))
    if topic.closed and not can_moderate(user):
        raise PermissionDenied(_("This topic is closed: it has run its course, so it takes no new replies."))


def check_edit_post(user, post):
    if can_moderate(user):
        return
    check_post(user)
    if post.author_id != user.pk:
        raise PermissionDenied(_("You can only edit your own posts."))
    if post.is_deleted or post.hidden:
        raise PermissionDenied(_("This post was deleted or hidden, so it cannot be edited."))
    if post.topic.locked:
        raise PermissionDenied(_("This topic is locked, so its posts cannot be edited."))


def check_delete_post(user, post):
    if post.is_deleted:
        raise PermissionDenied(_("This post is already deleted."))
    if can_moderate(user):
        return
    # A suspended member deletes nothing either: a deletion changes the thread others read, and
    # could remove what the moderators are looking at while the suspension runs.
    check_post(user)
    if post.author_id != user.pk:
        raise PermissionDenied(_("You can only delete your own posts."))
    if post.topic.locked:
        raise PermissionDenied(_("This topic is locked, so its posts cannot be deleted."))
    # The opening post of a topic others have answered stays: their replies would lose their question.
    if post.number == 1 and post.topic.reply_count:
        raise PermissionDenied(_("Others have replied to this topic, so its first post stays. You can still edit it."))


def check_like_post(user, post):
    check_post(user)
    if post.author_id == user.pk:
        raise PermissionDenied(_("You cannot like your own post."))
    if post.is_deleted or post.hidden or not post.approved:
        raise PermissionDenied(_("This post cannot be liked right now."))


def check_mark_solved(user, topic):
    if can_moderate(user):
        return
    check_post(user)
    if topic.author_id != user.pk:
        raise PermissionDenied(_("Only the member who asked can mark the answer."))
    if topic.locked:
        raise PermissionDenied(_("This topic is locked, so its answer cannot change."))


def check_report_post(user, post):
    if not is_member(user):
        raise PermissionDenied(_("Sign in to report something."))
    check_write(user)  # as community.moderation.permissions.check_report
    if post.author_id == user.pk:
        raise PermissionDenied(_("You cannot report what you wrote yourself; edit or delete it instead."))
    if post.is_deleted:
        raise PermissionDenied(_("This was deleted, so there is nothing left to report."))


def check_see_history(user, post):
    if not can_moderate(user):
        raise PermissionDenied(_("Only moderators can see the earlier versions of a post."))


can_post = allows(check_post)
can_start_topic = allows(check_start_topic)
can_reply = allows(check_reply)
can_edit_post = allows(check_edit_post)
can_delete_post = allows(check_delete_post)
can_like_post = allows(check_like_post)
can_mark_solved = allows(check_mark_solved)
can_report_post = allows(check_report_post)
can_see_history = allows(check_see_history)


def posts_visible_to(user, topic):
    """A topic's posts as `user` may see them (deleted posts stay as placeholders)."""
    posts = Post.objects.filter(topic=topic)
    if can_moderate(user):
        return posts
    if is_member(user):
        return posts.filter(hidden=False).filter(Q(approved=True) | Q(author=user))
    return posts.visible()
