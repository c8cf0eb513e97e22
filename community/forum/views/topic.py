"""A topic page (20 posts by post number), a stable link to post N, and "first unread"."""

import functools

from django.contrib.auth import SESSION_KEY
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.views.decorators.http import require_GET

from community.members.services import notifications_mark_read
from core.absolute import absolute_url
from core.jsonld import json_ld
from core.pagecache import part_kept
from core.pagination import page_number, page_window
from core.permissions import user_of

from .. import selectors, services
from ..cache import page_shows_forum, page_shows_members, topic_scope
from ..forms import MoveForm, ReplyForm
from ..kept import member_page_get, member_page_keep, member_page_key
from ..permissions import (
    can_delete_post,
    can_edit_post,
    can_like_post,
    can_mark_solved,
    can_moderate,
    can_reply,
    can_report_post,
    is_member,
)
from .common import check_topic_visible, members_only_prompt, visible_topic


def _decorate_posts(user, topic, posts):
    for post in posts:
        post.can_edit = can_edit_post(user, post)
        post.can_delete = can_delete_post(user, post)
        post.can_like = can_like_post(user, post)
        post.can_report = can_report_post(user, post)
        post.can_solve = post.number > 1 and not post.is_deleted and can_mark_solved(user, topic)
        post.is_solution = topic.solution_id == post.pk


@functools.lru_cache(maxsize=2048)
def _plain(body_html):
    """A post's HTML as plain text (for the JSON-LD and the link preview). Django's strip_tags parses
    the HTML, a few tenths of a millisecond a post: each body is parsed once per process while it
    stays among the 2,048 most recently shown."""
    return strip_tags(body_html)


def _opening_excerpt(posts):
    opening = next((p for p in posts if p.number == 1 and not p.is_deleted), None)
    return Truncator(" ".join(_plain(opening.body_html).split())).chars(200) if opening else ""


def _json_ld(request, topic, posts, page):
    opening = next((p for p in posts if p.number == 1), None)
    data = {
        "@context": "https://schema.org",
        "@type": "DiscussionForumPosting",
        "headline": topic.title,
        "url": absolute_url(topic.get_absolute_url(), request),
        "datePublished": topic.created_at.isoformat(),
        "author": {"@type": "Person", "name": topic.author.public_name,
                   "url": absolute_url(topic.author.get_absolute_url(), request)},
        "interactionStatistic": [
            {"@type": "InteractionCounter", "interactionType": "https://schema.org/CommentAction",
             "userInteractionCount": topic.reply_count},
            {"@type": "InteractionCounter", "interactionType": "https://schema.org/LikeAction",
             "userInteractionCount": topic.like_count},
        ],
    }
    if opening is not None and not opening.is_deleted:
        data["text"] = Truncator(_plain(opening.body_html)).chars(500)
    data["comment"] = [
        {"@type": "Comment", "text": Truncator(_plain(p.body_html)).chars(500), "datePublished": p.created_at.isoformat(),
         "url": absolute_url(topic.post_url(p.number), request),
         "author": {"@type": "Person", "name": p.author.public_name}}
        for p in posts if p.number > 1 and not p.is_deleted and not p.hidden and p.approved
    ]
    return json_ld(data)


def _topic_rows(request, user, pk, page_value):
    """What a page of a topic shows that is the same for every visitor of one audience (everyone, or
    moderators, who also see hidden and unapproved posts): the topic, the page's posts with their
    authors, the page count, the JSON-LD and the link preview's excerpt. Kept under the topic's
    scope, the forum's version and the scopes of the members shown (core.pagecache.part_kept), so
    an unchanged topic page reads no row; what differs per visitor (may they see it, likes, read
    position, what they may do) is worked out on every request. `complete`: no number of the page
    is missing from its posts (no hidden or unapproved post in it)."""
    audience = "all" if can_moderate(user) else "public"

    def make():
        page_shows_forum(request, topic_scope(pk))
        topic = selectors.topic_get(pk)
        posts, page, pages = selectors.topic_page_posts(topic, page_value, everything=audience == "all")
        shown = [post.author_id for post in posts] + [post.reply_to.author_id for post in posts if post.reply_to_id]
        page_shows_members(request, shown + [topic.solution.author_id if topic.solution_id else None])
        low = (page - 1) * selectors.POSTS_PER_PAGE + 1
        high = min(page * selectors.POSTS_PER_PAGE, topic.last_post_number)
        return {
            "topic": topic, "posts": posts, "page": page, "pages": pages,
            "complete": [post.number for post in posts] == list(range(low, high + 1)),
            "json_ld": _json_ld(request, topic, posts, page), "excerpt": _opening_excerpt(posts),
        }

    return part_kept(request, "forum:topic-rows", [pk, page_number(page_value), audience], [topic_scope(pk)], make)


@require_GET
@members_only_prompt
def topic_detail(request, slug, pk):
    # A kept page is looked up by the member id in the session, without loading the member: any
    # change to a member (deactivation, staff rights, a suspension) moves their scope, so a page
    # kept for them is not served again and the next visit checks everything afresh.
    page_shows_forum(request, topic_scope(pk))
    member_id = request.session.get(SESSION_KEY)
    merge_query = " ".join(request.GET.get("merge_q", "").split())[:100]  # a moderator looking for a merge target
    key = (member_page_key(request, member_id, slug, pk, page_number(request.GET.get("page")))
           if member_id and not merge_query else None)
    cached = member_page_get(key)
    if cached is not None:
        response = HttpResponse(cached)
        patch_cache_control(response, private=True)
        return response
    user = user_of(request)
    if not is_member(user) or str(user.pk) != str(member_id):
        key = None
    rows = _topic_rows(request, user, pk, request.GET.get("page"))
    topic = rows["topic"]
    check_topic_visible(request, topic)
    if topic.merged_into_id and not can_moderate(request.user):
        return redirect(reverse("forum:topic", kwargs={"slug": "t", "pk": topic.merged_into_id}), permanent=True)
    if slug != topic.slug:
        url = topic.get_absolute_url()
        if request.GET.get("page"):
            url += f"?page={page_number(request.GET['page'])}"
        return redirect(url, permanent=True)
    posts, page, pages = rows["posts"], rows["page"], rows["pages"]
    if is_member(user) and not can_moderate(user) and not rows["complete"]:
        # A hidden or unapproved post leaves a gap in the numbers: the member may be its author.
        posts, page, pages = selectors.topic_posts(user, topic, page)
        page_shows_members(request, [post.author_id for post in posts])
    else:
        selectors.posts_mark_liked(user, topic, posts)
    last_read, level = selectors.read_state(user, topic.pk)
    # The one write of a GET: the member's own read position, and when it moves, their
    # notifications that point into what they have now seen (the page is then not kept: the next
    # visit has a new read position anyway).
    moved = posts and is_member(user) and services.read_position_update(user, topic, posts[-1].number, known=last_read)
    if moved:
        seen = [reverse("forum:topic_unread", kwargs={"pk": topic.pk}), topic.get_absolute_url()]
        notifications_mark_read(user, urls=seen + [topic.post_url(p.number) for p in posts])
    _decorate_posts(user, topic, posts)
    reply_form = ReplyForm() if can_reply(user, topic) else None  # on every page: a reply goes to the last one
    response = render(request, "forum/topic.html", {
        "topic": topic, "posts": posts, "page": page, "pages": pages, "page_window": page_window(page, pages),
        "last_read": last_read, "level": level, "reply_form": reply_form,
        "can_reply": can_reply(user, topic), "can_moderate": can_moderate(user),
        "move_form": MoveForm() if can_moderate(user) else None,
        "merge_query": merge_query if can_moderate(user) else "",
        "merge_candidates": selectors.merge_candidates(topic, merge_query) if merge_query and can_moderate(user) else [],
        "json_ld": rows["json_ld"],
        "social": {"title": topic.title, "description": rows["excerpt"], "type": "article"},
    })
    if key and not moved and not response.cookies:
        member_page_keep(request, key, response)
    if is_member(user):
        patch_cache_control(response, private=True)
    return response


@require_GET
@members_only_prompt
def post_redirect(request, slug, pk, number):
    topic = visible_topic(request, pk)
    if number < 1 or number > topic.last_post_number:
        raise Http404
    page = selectors.page_of_post(number)
    url = topic.get_absolute_url() + (f"?page={page}" if page > 1 else "")
    return redirect(f"{url}#post-{number}")


@require_GET
@members_only_prompt
def topic_unread(request, pk):
    topic = visible_topic(request, pk)
    number = selectors.first_unread_number(request.user, topic)
    return post_redirect(request, topic.slug, topic.pk, number)
