"""Forum pages and actions. Each view asks community.forum.permissions, reads through selectors and
writes through services; a forbidden action answers 403 (or 404 where even its existence is
private), a bad form answers 400 with the form and its messages, a member over a rate limit 429."""

import functools
import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community.members.selectors import notifications_unread_cache_key, notifications_unread_count
from community.members.services import notifications_mark_read
from community.moderation.views import report as report_view
from core.absolute import absolute_url
from core.jsonld import json_ld

from . import selectors, services
from .cache import FORUM_VERSION_KEY, forum_version, read_version_key
from .forms import EditForm, MergeForm, MoveForm, ReplyForm, TopicForm
from .models import Category, Post, SubscriptionLevel, Topic
from .moderation import KIND
from .permissions import (
    can_delete_post,
    can_edit_post,
    can_like_post,
    can_mark_solved,
    can_moderate,
    can_post,
    can_reply,
    can_report_post,
    can_see_history,
    can_see_post,
    can_start_topic,
    can_view_category,
    can_view_topic,
    is_member,
)
from .ratelimit import ratelimit_hit

PREVIEW_MAX = 20_000


def _too_many(request):
    return render(request, "429.html", status=429)


def _visible_topic(request, pk):
    topic = selectors.topic_get(pk)
    if not can_view_topic(request.user, topic):
        raise Http404
    return topic


def _visible_post(request, pk):
    post = selectors.post_get(pk)
    if not can_view_topic(request.user, post.topic) or not can_see_post(request.user, post):
        raise Http404
    return post


# --- pages kept for a signed-in member ------------------------------------------------------------
# A signed-in member's forum pages are kept for a minute under everything they depend on: the forum
# version (any post, like, edit, moderation, suspension, subscription or member change moves it),
# the page, the member's session and CSRF cookie, their unread notifications, the language, and for
# the lists with unread counts the member's read version (it moves whenever they read on). A topic
# page is only kept when the visit did not move the member's read position, so a kept page never
# hides a needed move (positions only go forward, and new posts move the forum version). A page is
# only stored after a full render passed the permission checks, and anything that could change
# them moves the forum version. The site menu may lag by up to MEMBER_PAGE_SECONDS.
MEMBER_PAGE_SECONDS = 60


def _member_page_key(request, member_id, *parts, with_reading=False):
    """The key of a page kept for a member, or None when it must not be kept (no CSRF cookie yet,
    a message waiting to be shown). `with_reading`: the page shows the member's unread counts, so
    their read version is part of the key too."""
    csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    session = request.session.session_key
    if not csrf or not session or "messages" in request.COOKIES:
        return None
    # The versions and the member's unread count in one round trip to the cache.
    unread_key, read_key = notifications_unread_cache_key(member_id), read_version_key(member_id)
    found = cache.get_many([FORUM_VERSION_KEY, unread_key, read_key])
    version = found[FORUM_VERSION_KEY] if FORUM_VERSION_KEY in found else forum_version()
    unread = found[unread_key] if unread_key in found else notifications_unread_count(request.user)
    reading = found.get(read_key, 0) if with_reading else ""
    parts = [version, reading, get_language(), session, csrf, member_id, unread, *parts]
    digest = hashlib.sha256("\n".join(map(str, parts)).encode()).hexdigest()
    return f"forum:memberpage:{digest}"


def _kept_for_member(view):
    """Keep a list page for the signed-in member who asked for it (see MEMBER_PAGE_SECONDS)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        member_id = request.session.get(SESSION_KEY)
        key = _member_page_key(request, member_id, request.get_full_path(), with_reading=True) if member_id else None
        cached = cache.get(key) if key else None
        if cached is not None:
            response = HttpResponse(cached)
            patch_cache_control(response, private=True)
            return response
        response = view(request, *args, **kwargs)
        user = request.user
        if is_member(user):
            keep = key and str(user.pk) == str(member_id) and response.status_code == 200 and not response.cookies
            if keep and not response.streaming:
                cache.set(key, response.content, MEMBER_PAGE_SECONDS)
            patch_cache_control(response, private=True)
        return response

    return wrapped


# --- lists ------------------------------------------------------------------------------------

@require_GET
@_kept_for_member
def index(request):
    categories, latest = selectors.forum_index(request.user)
    return render(request, "forum/index.html", {"categories": categories, "latest": latest,
                                                "can_start": can_post(request.user)})


LIST_TITLES = {
    "latest": gettext_lazy("Latest topics"),
    "unanswered": gettext_lazy("Unanswered topics"),
    "solved": gettext_lazy("Solved topics"),
}


@require_GET
@_kept_for_member
def topic_list(request, kind):
    page = selectors.topic_list(request.user, kind, request.GET.get("page"))
    return render(request, "forum/topic_list.html", {"page_obj": page, "topics": page.object_list, "kind": kind,
                                                     "title": LIST_TITLES[kind]})


@require_GET
@_kept_for_member
def category(request, slug):
    category = selectors.category_get(request.user, slug)
    if not can_view_category(request.user, category):
        raise Http404
    page = selectors.category_topics(request.user, category, request.GET.get("page"))
    return render(request, "forum/category.html", {
        "category": category, "page_obj": page, "topics": page.object_list,
        "can_start": can_start_topic(request.user, category),
        "watching": selectors.category_watched(request.user, category),
    })


# --- a topic ----------------------------------------------------------------------------------

def _decorate_posts(user, topic, posts):
    for post in posts:
        post.can_edit = can_edit_post(user, post)
        post.can_delete = can_delete_post(user, post)
        post.can_like = can_like_post(user, post)
        post.can_report = can_report_post(user, post)
        post.can_solve = post.number > 1 and not post.is_deleted and can_mark_solved(user, topic)
        post.is_solution = topic.solution_id == post.pk


def _opening_excerpt(posts):
    opening = next((p for p in posts if p.number == 1 and not p.is_deleted), None)
    return Truncator(" ".join(strip_tags(opening.body_html).split())).chars(200) if opening else ""


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
        data["text"] = Truncator(strip_tags(opening.body_html)).chars(500)
    data["comment"] = [
        {"@type": "Comment", "text": Truncator(strip_tags(p.body_html)).chars(500), "datePublished": p.created_at.isoformat(),
         "url": absolute_url(topic.post_url(p.number), request),
         "author": {"@type": "Person", "name": p.author.public_name}}
        for p in posts if p.number > 1 and not p.is_deleted and not p.hidden and p.approved
    ]
    return json_ld(data)


@require_GET
def topic_detail(request, slug, pk):
    # A kept page is looked up by the member id in the session, without loading the member: any
    # change to a member (deactivation, a new password, staff rights) moves the forum version, so
    # a page kept for them is never found again and the next visit checks everything afresh.
    member_id = request.session.get(SESSION_KEY)
    key = (_member_page_key(request, member_id, slug, pk, selectors.page_number(request.GET.get("page")))
           if member_id else None)
    cached = cache.get(key) if key else None
    if cached is not None:
        response = HttpResponse(cached)
        patch_cache_control(response, private=True)
        return response
    user = request.user
    if not is_member(user) or str(user.pk) != str(member_id):
        key = None
    topic = _visible_topic(request, pk)
    if topic.merged_into_id and not can_moderate(request.user):
        return redirect(reverse("forum:topic", kwargs={"slug": "t", "pk": topic.merged_into_id}), permanent=True)
    if slug != topic.slug:
        url = topic.get_absolute_url()
        if request.GET.get("page"):
            url += f"?page={selectors.page_number(request.GET['page'])}"
        return redirect(url, permanent=True)
    posts, page, pages = selectors.topic_posts(user, topic, request.GET.get("page"))
    last_read, level = selectors.read_state(user, topic.pk)
    # The one write of a GET: the member's own read position, and when it moves, their
    # notifications that point into what they have now seen (the page is then not kept: the next
    # visit has a new read position anyway).
    moved = posts and is_member(user) and services.read_position_update(user, topic, posts[-1].number, known=last_read)
    if moved:
        seen = [reverse("forum:topic_unread", kwargs={"pk": topic.pk}), topic.get_absolute_url()]
        notifications_mark_read(user, urls=seen + [topic.post_url(p.number) for p in posts])
    _decorate_posts(user, topic, posts)
    reply_form = ReplyForm() if can_reply(user, topic) and page == pages else None
    response = render(request, "forum/topic.html", {
        "topic": topic, "posts": posts, "page": page, "pages": pages, "page_window": selectors.page_window(page, pages),
        "last_read": last_read, "level": level, "reply_form": reply_form,
        "can_reply": can_reply(user, topic), "can_moderate": can_moderate(user),
        "move_form": MoveForm() if can_moderate(user) else None,
        "json_ld": _json_ld(request, topic, posts, page),
        "social": {"title": topic.title, "description": _opening_excerpt(posts), "type": "article"},
    })
    if key and not moved and not response.cookies:
        cache.set(key, response.content, MEMBER_PAGE_SECONDS)
    if is_member(user):
        patch_cache_control(response, private=True)
    return response


@require_GET
def post_redirect(request, slug, pk, number):
    topic = _visible_topic(request, pk)
    if number < 1 or number > topic.last_post_number:
        raise Http404
    page = selectors.page_of_post(number)
    url = topic.get_absolute_url() + (f"?page={page}" if page > 1 else "")
    return redirect(f"{url}#post-{number}")


@require_GET
def topic_unread(request, pk):
    topic = _visible_topic(request, pk)
    number = selectors.first_unread_number(request.user, topic)
    return post_redirect(request, topic.slug, topic.pk, number)


# --- writing ----------------------------------------------------------------------------------

def _attach_picture(request, form):
    """Store the form's checked picture, if it has one, and add it to the end of the text; the form
    shows the longer text from then on."""
    picture = form.cleaned_data.get("picture")
    if not picture:
        return True
    markdown = services.upload_add(request.user, picture, form.cleaned_data.get("picture_alt", ""))
    form.set_body(f"{form.cleaned_data['body'].rstrip()}\n\n{markdown}")
    return True


def _preview_html(body):
    return services.render(body).html


def _editor(request, form, template, context, save, limit=None):
    """The flow every post editor shares: a valid POST stores its picture first; with "preview" it
    shows the rendered text, otherwise it saves through `save(cleaned_data)`, which returns the URL
    to go to (after the `limit` rate limit, if any). A refused form answers 400 with its messages."""
    preview = None
    # A picture counts against the upload limit before it is decoded (in form.is_valid()).
    if request.method == "POST" and request.FILES.get("picture") and not ratelimit_hit(request.user, "upload"):
        return _too_many(request)
    if request.method == "POST" and form.is_valid():
        _attach_picture(request, form)
        if "preview" in request.POST:
            preview = _preview_html(form.cleaned_data["body"])
        elif limit and not ratelimit_hit(request.user, limit):
            return _too_many(request)
        else:
            try:
                return redirect(save(form.cleaned_data))
            except services.ForumError as error:
                form.add_error(None, str(error))
    return render(request, template, {**context, "form": form, "preview": preview}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def topic_new(request):
    if not can_post(request.user):
        raise PermissionDenied
    initial = {}
    chosen = Category.objects.filter(slug=request.GET.get("category", "")).first()
    if chosen is not None and can_start_topic(request.user, chosen):
        initial["category"] = chosen
    form = TopicForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)

    def save(data):
        topic = services.topic_create(request.user, data["category"], title=data["title"], body=data["body"],
                                      tags=data["tags"])
        if not topic.approved:
            messages.info(request, _("Thanks! A moderator will look at your topic before it is shown to everyone."))
        return topic.get_absolute_url()

    return _editor(request, form, "forum/topic_new.html", {}, save, limit="topic")


@login_required
@require_http_methods(["GET", "POST"])
def reply(request, pk):
    topic = _visible_topic(request, pk)
    if not can_reply(request.user, topic):
        raise PermissionDenied
    initial = {}
    if request.method == "GET" and request.GET.get("quote"):
        number = selectors.page_number(request.GET["quote"])
        quoted = Post.objects.filter(topic=topic, number=number, deleted_at__isnull=True).select_related("author").first()
        if quoted is not None and can_see_post(request.user, quoted):
            lines = "\n".join(f"> {line}" if line else ">" for line in quoted.body.splitlines())
            initial = {"body": f"@{quoted.author.username}:\n{lines}\n\n", "reply_to": quoted.number}
    form = ReplyForm(request.POST or None, request.FILES or None, initial=initial)

    def save(data):
        reply_to = Post.objects.filter(topic=topic, number=data["reply_to"]).first() if data.get("reply_to") else None
        post = services.post_reply(request.user, topic, body=data["body"], reply_to=reply_to)
        if not post.approved:
            messages.info(request, _("Thanks! A moderator will look at your reply before it is shown to everyone."))
        return topic.post_url(post.number)

    return _editor(request, form, "forum/reply.html", {"topic": topic}, save, limit="reply")


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request, pk):
    post = _visible_post(request, pk)
    if not can_edit_post(request.user, post):
        raise PermissionDenied
    topic = post.topic
    opening = post.number == 1
    initial = {"body": post.body}
    if opening:
        initial.update(title=topic.title, tags=", ".join(t.name for t in topic.tags.all()))
    form = EditForm(request.POST or None, request.FILES or None, initial=initial, opening_post=opening)

    def save(data):
        services.post_edit(request.user, post, body=data["body"], title=data.get("title") if opening else None,
                           tags=data.get("tags") if opening else None)
        messages.success(request, _("Your changes are saved."))
        return topic.post_url(post.number)

    return _editor(request, form, "forum/post_edit.html", {"post": post, "topic": topic}, save)


@login_required
@require_POST
def post_delete(request, pk):
    post = _visible_post(request, pk)
    if not can_delete_post(request.user, post):
        raise PermissionDenied
    services.post_delete(request.user, post)
    if post.number == 1:
        messages.success(request, _("The topic is deleted."))
        return redirect(post.topic.category.get_absolute_url())
    messages.success(request, _("The post is deleted."))
    return redirect(post.topic.post_url(post.number))


@login_required
@require_POST
def post_like(request, pk):
    post = _visible_post(request, pk)
    wanted = request.POST.get("action", "like")
    if wanted == "like":
        if not can_like_post(request.user, post):
            raise PermissionDenied
        if not ratelimit_hit(request.user, "like"):
            return _too_many(request)
        services.post_like(request.user, post)
    else:
        services.post_unlike(request.user, post)
    if request.htmx:
        post.refresh_from_db(fields=["like_count"])
        post.liked = wanted == "like"
        post.can_like = True
        return render(request, "forum/includes/like_button.html", {"post": post})
    return redirect(post.topic.post_url(post.number))


@login_required
@require_POST
def topic_solve(request, pk):
    topic = _visible_topic(request, pk)
    if not can_mark_solved(request.user, topic):
        raise PermissionDenied
    if request.POST.get("action") == "clear":
        services.topic_mark_solved(request.user, topic, None)
        return redirect(topic.get_absolute_url())
    number = selectors.page_number(request.POST.get("number"))
    post = Post.objects.filter(topic=topic, number=number).first()
    if post is None or not can_see_post(request.user, post):
        raise Http404
    try:
        services.topic_mark_solved(request.user, topic, post)
    except services.ForumError as error:
        messages.error(request, str(error))
        return redirect(topic.get_absolute_url())
    messages.success(request, _("Marked as the answer."))
    return redirect(topic.post_url(number))


@login_required
@require_POST
def topic_watch(request, pk):
    topic = _visible_topic(request, pk)
    level = request.POST.get("level")
    if level not in (SubscriptionLevel.WATCHING, SubscriptionLevel.MUTED, "normal"):
        return HttpResponse(_("Unknown choice."), status=400, content_type="text/plain; charset=utf-8")
    services.topic_watch(request.user, topic, None if level == "normal" else level)
    messages.success(request, {
        SubscriptionLevel.WATCHING: _("You are watching this topic: you hear about every reply."),
        SubscriptionLevel.MUTED: _("This topic is muted: you hear nothing from it."),
        "normal": _("You hear about this topic when someone replies to you or mentions you."),
    }[level])
    return redirect(topic.get_absolute_url())


@login_required
@require_POST
def category_watch(request, slug):
    category = selectors.category_get(request.user, slug)
    if not can_view_category(request.user, category):
        raise Http404
    watching = request.POST.get("watch") == "1"
    services.category_watch(request.user, category, watching)
    messages.success(request, _("You hear about every new topic here.") if watching else _("You no longer watch this category."))
    return redirect(category.get_absolute_url())


def post_report(request, pk):
    """The old address of a post's report form: the one report flow of community.moderation."""
    return report_view(request, KIND, pk)


@require_POST
def preview(request):
    """The HTML a post's Markdown will make (htmx swaps it under the form)."""
    if not can_post(request.user):
        raise PermissionDenied
    return render(request, "forum/includes/preview.html", {"preview": _preview_html(request.POST.get("body", "")[:PREVIEW_MAX])})


# --- moderation -------------------------------------------------------------------------------

TOPIC_ACTIONS = {
    "pin": ("pinned", True), "unpin": ("pinned", False), "lock": ("locked", True), "unlock": ("locked", False),
    "close": ("closed", True), "reopen": ("closed", False), "hide": ("hidden", True), "restore": ("hidden", False),
}


@login_required
@require_POST
def moderate_topic(request, pk):
    if not can_moderate(request.user):
        raise PermissionDenied
    topic = _visible_topic(request, pk)
    action = request.POST.get("action")
    if action in TOPIC_ACTIONS:
        flag, value = TOPIC_ACTIONS[action]
        services.topic_set_flag(request.user, topic, flag, value, reason=request.POST.get("reason", ""))
    elif action == "move":
        form = MoveForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a category to move the topic to."))
            return redirect(topic.get_absolute_url())
        services.topic_move(request.user, topic, form.cleaned_data["category"])
    elif action == "merge":
        form = MergeForm(request.POST)
        target = Topic.objects.filter(pk=form.data.get("target")).first() if form.is_valid() else None
        if target is None or target.pk == topic.pk:
            messages.error(request, _("There is no other topic with that number."))
            return redirect(topic.get_absolute_url())
        services.topic_merge(request.user, topic, target)
        messages.success(request, _("Merged: the posts are now at the end of this topic."))
        return redirect(target.get_absolute_url())
    else:
        return HttpResponse(_("Unknown moderation action."), status=400, content_type="text/plain; charset=utf-8")
    messages.success(request, _("Done."))
    return redirect(topic.get_absolute_url())


@login_required
@require_POST
def moderate_post(request, pk):
    if not can_moderate(request.user):
        raise PermissionDenied
    post = selectors.post_get(pk)
    action = request.POST.get("action")
    if action == "hide":
        services.post_set_hidden(request.user, post, True, reason=request.POST.get("reason", ""))
    elif action == "restore":
        services.post_set_hidden(request.user, post, False)
    elif action == "approve":
        services.post_approve(request.user, post)
    else:
        return HttpResponse(_("Unknown moderation action."), status=400, content_type="text/plain; charset=utf-8")
    messages.success(request, _("Done."))
    return redirect(post.topic.post_url(post.number))


@login_required
@require_GET
def post_history(request, pk):
    post = selectors.post_get(pk)
    if not can_see_history(request.user, post):
        raise PermissionDenied
    revisions = post.revisions.select_related("edited_by")
    return render(request, "forum/post_history.html", {"post": post, "revisions": revisions})


# --- feeds ------------------------------------------------------------------------------------

class LatestTopicsFeed(Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request, slug=None):
        self.request = request
        if slug is None:
            return None
        category = selectors.category_get(request.user, slug)
        if category.members_only or (category.parent_id and category.parent.members_only):
            raise Http404  # feeds are public: members-only categories have none
        return category

    def title(self, obj):
        return _("Forum: %(name)s") % {"name": obj.name} if obj else _("Forum: latest topics")

    def link(self, obj):
        return obj.get_absolute_url() if obj else reverse("forum:index")

    def description(self, obj):
        return obj.description if obj and obj.description else _("New topics in the community forum.")

    def items(self, obj):
        from django.contrib.auth.models import AnonymousUser

        topics = list(selectors.feed_topics(AnonymousUser(), obj))
        openings = {p.topic_id: p for p in Post.objects.filter(topic__in=topics, number=1)}
        for topic in topics:
            topic.opening = openings.get(topic.pk)
        return topics

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.opening.body_html if item.opening and not item.opening.is_deleted else ""

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.created_at

    def item_author_name(self, item):
        return item.author.public_name

    def item_categories(self, item):
        return [item.category.name]
