"""What every forum view shares: the 429 page and looking up what the visitor may see."""

from django.http import Http404
from django.shortcuts import render

from .. import selectors
from ..permissions import (
    can_see_post,
    can_view_topic,
)


def too_many(request):
    return render(request, "429.html", status=429)


def visible_topic(request, pk):
    topic = selectors.topic_get(pk)
    if not can_view_topic(request.user, topic):
        raise Http404
    return topic


def visible_post(request, pk):
    post = selectors.post_get(pk)
    if not can_view_topic(request.user, post.topic) or not can_see_post(request.user, post):
        raise Http404
    return post
