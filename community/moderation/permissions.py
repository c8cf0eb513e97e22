"""Who moderates, and who may report what. Each rule is a check that raises PermissionDenied with
a translated reason (for the page that refuses), a boolean `can_*` beside it, and a queryset twin
where lists need one.

A moderator is an active member who is a superuser, or staff with the `moderation.moderate`
permission (the "Moderators" group has it)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.permissions import allows

from .selectors import is_member, is_suspended

MODERATE = "moderation.moderate"
MODERATORS_GROUP = "Moderators"


def _has_moderate_permission(user):
    """user.has_perm(MODERATE) in one query (Django's backend takes two), remembered on the user."""
    cached = getattr(user, "_moderation_permitted", None)
    if cached is None:
        if hasattr(user, "_perm_cache"):  # the permissions are loaded already
            cached = MODERATE in user._perm_cache
        else:
            cached = Permission.objects.filter(codename="moderate", content_type__app_label="moderation").filter(
                Q(user=user) | Q(group__user=user)).exists()
        user._moderation_permitted = cached
    return cached


def check_moderate(user):
    if not is_member(user):
        raise PermissionDenied(_("Sign in as a moderator to do this."))
    if not (user.is_superuser or (user.is_staff and _has_moderate_permission(user))):
        raise PermissionDenied(_("Only moderators can do this."))


can_moderate = allows(check_moderate)


def moderators():
    """The members can_moderate() lets through, as a queryset."""
    permission = Permission.objects.filter(codename="moderate", content_type__app_label="moderation")
    return get_user_model().objects.filter(is_active=True, deleted_at__isnull=True).filter(
        Q(is_superuser=True)
        | Q(is_staff=True, user_permissions__in=permission)
        | Q(is_staff=True, groups__permissions__in=permission)
    ).distinct()


def check_report(user, kind, item):
    """May `user` report `item` (of registry kind `kind`)? Whether they may see it at all is the
    caller's 404 (kind.can_view). A suspended member may not report: a suspension follows abuse,
    and reports from the account would be a way to go on pressing others and the moderators."""
    if not is_member(user):
        raise PermissionDenied(_("Sign in to report something."))
    check_write(user)
    author = kind.author(item)
    if author is not None and author.pk == user.pk:
        raise PermissionDenied(_("You cannot report what you wrote yourself; edit or delete it instead."))
    if kind.preview(item).deleted:
        raise PermissionDenied(_("This was deleted, so there is nothing left to report."))


can_report = allows(check_report)


def check_write(user):
    """Writing anywhere on the site (posts, replies, comments, reviews, likes)."""
    if not is_member(user):
        raise PermissionDenied(_("Sign in to write here."))
    if is_suspended(user):
        raise PermissionDenied(_("Your account is suspended for now: you can read, but not write."))


can_write = allows(check_write)
