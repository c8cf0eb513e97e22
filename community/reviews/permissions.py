"""Who may do what with reviews. Each check raises PermissionDenied with the reason the 403 page
shows; its boolean twin (core.permissions.allows) serves templates and lists."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from community.moderation.permissions import can_moderate, check_write
from community.moderation.selectors import is_member
from core.permissions import allows

from .models import Review


def can_see_review(user, review):
    """Published, visible reviews are public; the author sees their own waiting or rejected one,
    moderators see every review."""
    if review.status == Review.Status.PUBLISHED and not review.hidden:
        return True
    if can_moderate(user):
        return True
    return is_member(user) and review.author_id == user.pk


def check_write_review(user, product):
    check_write(user)
    if not product.active:
        raise PermissionDenied(_("This product is no longer on sale, so it cannot be reviewed."))


def check_edit_review(user, review):
    check_write(user)
    if review.author_id != user.pk:
        raise PermissionDenied(_("You can only edit your own review."))
    if review.status == Review.Status.REJECTED or review.hidden:
        raise PermissionDenied(_("This review was taken down by a moderator, so it cannot be edited."))


def check_delete_review(user, review):
    if can_moderate(user):
        return
    check_write(user)
    if review.author_id != user.pk:
        raise PermissionDenied(_("You can only delete your own review."))


def check_vote_review(user, review):
    check_write(user)
    if review.author_id == user.pk:
        raise PermissionDenied(_("You cannot vote for your own review."))
    if review.status != Review.Status.PUBLISHED or review.hidden:
        raise PermissionDenied(_("This review cannot be voted on right now."))


def check_moderate_review(user, review=None):
    if not can_moderate(user):
        raise PermissionDenied(_("Only moderators can do this."))


def check_reply_review(user, review=None):
    """The brand's reply is written by staff (moderators) in the admin."""
    if not can_moderate(user):
        raise PermissionDenied(_("Only the brand's team can reply to reviews."))


can_write_review = allows(check_write_review)
can_edit_review = allows(check_edit_review)
can_delete_review = allows(check_delete_review)
can_vote_review = allows(check_vote_review)
can_moderate_review = allows(check_moderate_review)
can_reply_review = allows(check_reply_review)
