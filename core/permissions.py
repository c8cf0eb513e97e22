"""Permission rules written once (Misago's pattern): a check raises PermissionDenied with a
translated reason, which the 403 page shows, and its boolean twin is derived from it:

    def check_reply(user, topic):
        if topic.locked:
            raise PermissionDenied(_("This topic is locked: nobody can reply."))

    can_reply = allows(check_reply)
"""

import functools

from django.core.exceptions import PermissionDenied


def allows(check):
    """The boolean twin of `check`: True when it passes, False when it raises PermissionDenied."""

    @functools.wraps(check)
    def can(*args, **kwargs):
        try:
            check(*args, **kwargs)
        except PermissionDenied:
            return False
        return True

    can.__name__ = check.__name__.replace("check_", "can_", 1)
    return can


def user_of(request):
    """The request's user itself, not Django's lazy wrapper of it. A view that decides many things
    per row (what a member may do with each of twenty posts) reads the user's attributes hundreds of
    times, and each read through the wrapper costs a function call more."""
    user = request.user
    user.is_authenticated  # noqa: B018 - loads the user behind the wrapper
    return getattr(user, "_wrapped", user)
