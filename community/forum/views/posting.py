"""Writing: new topics, replies, edits, deletes, likes, answers, watching, reports and the preview."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from community.moderation.views import report as report_view
from core.pagination import page_number

from .. import selectors, services
from ..forms import EditForm, ReplyForm, TopicForm
from ..models import Category, Post, SubscriptionLevel
from ..moderation import KIND
from ..permissions import (
    can_see_post,
    can_start_topic,
    can_view_category,
    check_delete_post,
    check_edit_post,
    check_like_post,
    check_mark_solved,
    check_post,
    check_reply,
)
from ..ratelimit import ratelimit_hit
from .common import too_many, visible_post, visible_topic

PREVIEW_MAX = 20_000


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
        return too_many(request)
    if request.method == "POST" and form.is_valid():
        _attach_picture(request, form)
        if "preview" in request.POST:
            preview = _preview_html(form.cleaned_data["body"])
        elif limit and not ratelimit_hit(request.user, limit):
            return too_many(request)
        else:
            try:
                return redirect(save(form.cleaned_data))
            except services.ForumError as error:
                form.add_error(None, str(error))
    return render(request, template, {**context, "form": form, "preview": preview}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def topic_new(request):
    check_post(request.user)
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
    topic = visible_topic(request, pk)
    check_reply(request.user, topic)
    initial = {}
    if request.method == "GET" and request.GET.get("quote"):
        number = page_number(request.GET["quote"])
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
    post = visible_post(request, pk)
    check_edit_post(request.user, post)
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

    return _editor(request, form, "forum/post_edit.html", {"post": post, "topic": topic}, save, limit="edit")


@login_required
@require_POST
def post_delete(request, pk):
    post = visible_post(request, pk)
    check_delete_post(request.user, post)
    services.post_delete(request.user, post)
    if post.number == 1:
        messages.success(request, _("The topic is deleted."))
        return redirect(post.topic.category.get_absolute_url())
    messages.success(request, _("The post is deleted."))
    return redirect(post.topic.post_url(post.number))


@login_required
@require_POST
def post_like(request, pk):
    post = visible_post(request, pk)
    wanted = request.POST.get("action", "like")
    if wanted == "like":
        check_like_post(request.user, post)
        if not ratelimit_hit(request.user, "like"):
            return too_many(request)
        services.post_like(request.user, post)
    else:
        check_post(request.user)  # taking a like back changes the count others see, too
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
    topic = visible_topic(request, pk)
    check_mark_solved(request.user, topic)
    if request.POST.get("action") == "clear":
        services.topic_mark_solved(request.user, topic, None)
        return redirect(topic.get_absolute_url())
    number = page_number(request.POST.get("number"))
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
    topic = visible_topic(request, pk)
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
    check_post(request.user)
    return render(request, "forum/includes/preview.html", {"preview": _preview_html(request.POST.get("body", "")[:PREVIEW_MAX])})
