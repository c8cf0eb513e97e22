"""Who may like, comment, follow, report, moderate, feature and manage the rights of photo posts.

Each rule is a check that raises PermissionDenied with a translated reason (the 403 page shows it)
and its boolean twin (core.permissions.allows) for templates. Whether the post can be seen at all
is asked first (permissions.can_view_post): a post the user may not see is a 404 for every
action, so liking a hidden, waiting or deleted post, or commenting on one, answers 404 and stores
nothing.

Own posts: a member cannot like their own post (as in the forum: a like is what others think of
it, and "popular this week" must not be lifted by its author); they may comment under it.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from community.moderation.permissions import can_moderate, check_write
from community.moderation.selectors import is_member
from core.permissions import allows

from .models import Comment
from .permissions import can_view_post  # noqa: F401 - re-exported: every action asks it first


def comments_visible_to(user, post):
    """A post's comments as `user` may see them: hidden ones only for moderators; a deleted comment
    stays as a placeholder (its text is not shown)."""
    comments = Comment.objects.filter(post=post)
    if can_moderate(user):
        return comments
    return comments.filter(hidden=False)


def check_like(user, post):
    check_write(user)
    if post.author_id == user.pk:
        raise PermissionDenied(_("You cannot like your own post."))
    if not post.is_live:
        raise PermissionDenied(_("This post cannot be liked right now."))


def check_unlike(user, post):
    # Taking a like back changes the count others see: a suspended member leaves it as it is.
    check_write(user)


def check_comment(user, post):
    check_write(user)
    if not post.is_live:
        raise PermissionDenied(_("This post takes no comments right now."))


def check_delete_comment(user, comment):
    if comment.deleted_at:
        raise PermissionDenied(_("This comment is already deleted."))
    if can_moderate(user):
        return
    check_write(user)
    if comment.author_id != user.pk:
        raise PermissionDenied(_("You can only delete your own comments."))


def check_follow(user):
    """Following is private (nobody else sees it), so a suspended member may still follow."""
    if not is_member(user):
        raise PermissionDenied(_("Sign in to follow a hashtag."))


def check_moderate_post(user, post=None):
    if not can_moderate(user):
        raise PermissionDenied(_("Only moderators can do this."))


def check_feature(user, post):
    check_moderate_post(user)
    if not post.is_live:
        raise PermissionDenied(_("Only a published, visible post can be featured."))
    if not post.rights_granted_at:
        raise PermissionDenied(_("Its author has not given the brand the rights to feature it."))


def check_manage_rights(user, post):
    """The rights are the author's to give and take back, nobody else's (not even staff)."""
    if not is_member(user) or post.author_id != user.pk:
        raise PermissionDenied(_("Only the author of a post decides whether the brand may feature it."))


can_like = allows(check_like)
can_unlike = allows(check_unlike)
can_comment = allows(check_comment)
can_delete_comment = allows(check_delete_comment)
can_follow = allows(check_follow)
can_moderate_post = allows(check_moderate_post)
can_feature = allows(check_feature)
can_manage_rights = allows(check_manage_rights)
