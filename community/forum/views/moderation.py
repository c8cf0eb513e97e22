"""Moderators' actions from the topic page: topic flags, move, merge, hide/restore/approve a post, its history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from community.moderation.permissions import check_moderate

from .. import selectors, services
from ..forms import MergeForm, MoveForm
from ..models import Topic
from ..permissions import check_see_history
from .common import visible_topic

TOPIC_ACTIONS = {
    "pin": ("pinned", True), "unpin": ("pinned", False), "lock": ("locked", True), "unlock": ("locked", False),
    "close": ("closed", True), "reopen": ("closed", False), "hide": ("hidden", True), "restore": ("hidden", False),
}


@login_required
@require_POST
def moderate_topic(request, pk):
    check_moderate(request.user)
    topic = visible_topic(request, pk)
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
    check_moderate(request.user)
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
    check_see_history(request.user, post)
    revisions = post.revisions.select_related("edited_by")
    return render(request, "forum/post_history.html", {"post": post, "revisions": revisions})
