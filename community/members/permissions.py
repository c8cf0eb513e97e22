"""Who may do what with member accounts. Each function has a queryset twin where lists need one."""

from allauth.account.models import EmailAddress
from django.db.models import Exists, OuterRef

from .models import User


def verified_members():
    """Active, not deleted members who have verified an e-mail address: until then an account
    may be anyone's, so it has no public profile and its @mentions do not link."""
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    return User.objects.active().filter(Exists(verified))


def visible_members():
    """Members whose profile anyone may see: active, not deleted, with a verified e-mail address."""
    return verified_members()


def can_view_profile(viewer, member):
    """For a member already loaded from visible_members(): active and not deleted."""
    return member.is_active and not member.is_deleted


def can_edit_profile(viewer, member):
    return viewer.is_authenticated and viewer.pk == member.pk and not member.is_deleted
