"""What every forum view shares: the 429 page, looking up what the visitor may see, and the
"members only: log in or join" answer to a visitor who opens a shared link to a members' category."""

import functools

from django.http import Http404
from django.shortcuts import render

from .. import selectors
from ..permissions import (
    can_see_post,
    can_view_topic,
    opens_after_sign_in,
)


class MembersOnly(Http404):
    """Raised for a visitor who is not signed in, where logging in would open the page. A view
    decorated with members_only_prompt answers with the prompt; any other gives the plain 404."""


def members_only_prompt(view):
    """Answer MembersOnly with a page that asks the visitor to log in or join and then brings them
    back (next=). It names nothing of the category or topic, and keeps the 404 status: to crawlers
    and scripts the page is as absent as before, and private addresses stay out of search indexes."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except MembersOnly:
            return render(request, "forum/members_only.html", {"next": request.get_full_path()}, status=404)

    return wrapped


def too_many(request):
    return render(request, "429.html", status=429)


def visible_topic(request, pk):
    topic = selectors.topic_get(pk)
    check_topic_visible(request, topic)
    return topic


def check_topic_visible(request, topic):
    """Http404 (or MembersOnly, where signing in would open it) unless the visitor may see `topic`."""
    if not can_view_topic(request.user, topic):
        if opens_after_sign_in(request.user, topic.category, topic):
            raise MembersOnly
        raise Http404


def visible_post(request, pk):
    post = selectors.post_get(pk)
    if not can_view_topic(request.user, post.topic) or not can_see_post(request.user, post):
        raise Http404
    return post
