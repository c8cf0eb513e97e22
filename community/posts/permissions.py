"""Who may do what with photo posts. Each rule is a check raising PermissionDenied with the reason
the 403 page shows, its boolean `can_*` twin (core.permissions.allows), and a queryset twin where
lists need one. Who moderates and who is suspended is community.moderation's (site-wide)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from community.moderation.permissions import can_moderate, check_write
from community.moderation.selectors import is_member
from core.permissions import allows

from .models import Post


def visible_posts(user):
    """Posts `user` may see in lists: live ones (moderators see hidden ones on their own pages)."""
    return Post.objects.live()


def can_view_post(user, post):
    """Published, not hidden posts for everyone; a pending or rejected one for its author and
    moderators; a hidden one for moderators only."""
    if post.hidden:
        return can_moderate(user)
    if post.status != Post.Status.PUBLISHED:
        return can_moderate(user) or (is_member(user) and post.author_id == user.pk)
    return True


def check_create_post(user):
    check_write(user)


def check_edit_post(user, post):
    check_write(user)
    if post.author_id != user.pk:
        raise PermissionDenied(_("Only its author can edit this post."))
    if post.hidden:
        raise PermissionDenied(_("A moderator has hidden this post: it cannot be edited."))


def check_delete_post(user, post):
    """The author, or a moderator."""
    if not is_member(user):
        raise PermissionDenied(_("Sign in to delete your post."))
    if post.author_id != user.pk and not can_moderate(user):
        raise PermissionDenied(_("Only its author can delete this post."))


can_create_post = allows(check_create_post)
can_edit_post = allows(check_edit_post)
can_delete_post = allows(check_delete_post)
