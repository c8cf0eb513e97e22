"""Who may do what in the lifecycle admin: plain functions over Django's model permissions
(Settings → Groups: "lifecycle e-mail text" and "survey" permissions)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def can_view_surveys(user):
    return user.is_active and user.has_perm("lifecycle.view_survey")


def can_follow_up(user):
    return user.is_active and user.has_perm("lifecycle.change_survey")


def can_preview_texts(user):
    return user.is_active and user.has_perm("lifecycle.change_emailtext")


def check_view_surveys(user):
    if not can_view_surveys(user):
        raise PermissionDenied(_("You may not see the survey answers."))


def check_follow_up(user):
    if not can_follow_up(user):
        raise PermissionDenied(_("You may not follow up survey answers."))


def check_preview_texts(user):
    if not can_preview_texts(user):
        raise PermissionDenied(_("You may not preview lifecycle e-mails."))
