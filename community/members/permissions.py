"""Who may do what with member accounts. Each function has a queryset twin where lists need one."""

from .models import User


def visible_members():
    """Members whose profile anyone may see: active and not deleted."""
    return User.objects.active()


def can_view_profile(viewer, member):
    return member.is_active and not member.is_deleted


def can_edit_profile(viewer, member):
    return viewer.is_authenticated and viewer.pk == member.pk and not member.is_deleted
