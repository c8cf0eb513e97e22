"""Who may do what in the forum. Every view asks these functions; the queryset filters beside them
apply the same rules to lists. Who moderates, and who is suspended, is community.moderation's
(site-wide): superusers, and staff with the moderation permission (the "Moderators" group)."""

from django.db.models import Q

from community.moderation.permissions import can_moderate
from community.moderation.selectors import is_member, is_suspended

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


def can_post(user):
    return is_member(user) and not is_suspended(user)


def can_start_topic(user, category):
    if not can_post(user) or not can_view_category(user, category):
        return False
    return not category.staff_only_topics or can_moderate(user)


def can_reply(user, topic):
    if not can_post(user) or not can_view_topic(user, topic):
        return False
    if topic.deleted_at or topic.hidden:
        return False
    return not (topic.locked or topic.closed) or can_moderate(user)


def can_edit_post(user, post):
    if can_moderate(user):
        return True
    return (can_post(user) and post.author_id == user.pk and not post.is_deleted and not post.hidden
            and not post.topic.locked)


def can_delete_post(user, post):
    if post.is_deleted:
        return False
    if can_moderate(user):
        return True
    if not (is_member(user) and post.author_id == user.pk) or post.topic.locked:
        return False
    # The opening post of a topic others have answered stays: their replies would lose their question.
    return post.number != 1 or post.topic.reply_count == 0


def can_like_post(user, post):
    return (can_post(user) and post.author_id != user.pk and not post.is_deleted and not post.hidden
            and post.approved)


def can_mark_solved(user, topic):
    if can_moderate(user):
        return True
    return can_post(user) and topic.author_id == user.pk and not topic.locked


def can_report_post(user, post):
    return is_member(user) and post.author_id != user.pk and not post.is_deleted


def can_see_history(user, post):
    return can_moderate(user)


def posts_visible_to(user, topic):
    """A topic's posts as `user` may see them (deleted posts stay as placeholders)."""
    posts = Post.objects.filter(topic=topic)
    if can_moderate(user):
        return posts
    if is_member(user):
        return posts.filter(hidden=False).filter(Q(approved=True) | Q(author=user))
    return posts.visible()
