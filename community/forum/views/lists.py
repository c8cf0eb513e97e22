"""The forum's lists: the index, latest / unanswered / solved, and a category's topics."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from core.pagecache import page_depends

from .. import selectors
from ..cache import LISTS_SCOPE, category_scope, page_shows_forum, page_shows_members
from ..kept import kept_for_member
from ..permissions import (
    can_post,
    can_start_topic,
    can_view_category,
    opens_after_sign_in,
)
from .common import MembersOnly, members_only_prompt


@require_GET
@kept_for_member
def index(request):
    page_shows_forum(request, LISTS_SCOPE)
    categories, latest = selectors.forum_index(request.user)
    return render(request, "forum/index.html", {"categories": categories, "latest": latest,
                                                "can_start": can_post(request.user)})


LIST_TITLES = {
    "latest": gettext_lazy("Latest topics"),
    "unanswered": gettext_lazy("Unanswered topics"),
    "solved": gettext_lazy("Solved topics"),
}


@require_GET
@kept_for_member
def topic_list(request, kind):
    page_shows_forum(request, LISTS_SCOPE)
    page = selectors.topic_list(request.user, kind, request.GET.get("page"))
    return render(request, "forum/topic_list.html", {"page_obj": page, "topics": page.object_list, "kind": kind,
                                                     "title": LIST_TITLES[kind]})


@require_GET
@members_only_prompt
@kept_for_member
def category(request, slug):
    page_shows_forum(request)
    category = selectors.category_get(request.user, slug)
    if not can_view_category(request.user, category):
        raise MembersOnly if opens_after_sign_in(request.user, category) else Http404
    page_depends(request, category_scope(category.pk))
    page = selectors.category_topics(request.user, category, request.GET.get("page"))
    page_shows_members(request, [pk for topic in page.object_list for pk in (topic.author_id, topic.last_poster_id)])
    return render(request, "forum/category.html", {
        "category": category, "page_obj": page, "topics": page.object_list,
        "can_start": can_start_topic(request.user, category),
        "watching": selectors.category_watched(request.user, category),
    })
