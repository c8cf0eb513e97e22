from django.shortcuts import get_object_or_404

from .permissions import visible_members


def member_get_visible(username):
    """The public profile owner, or 404 for an unknown, inactive or deleted member."""
    return get_object_or_404(visible_members(), username=username.lower())
