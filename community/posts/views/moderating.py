"""Moderators' actions on a post's page (the same services as the moderation queue): approve,
reject with a reason, hide, restore, feature, unfeature; hide and restore a comment. And the
author's rights page: grant or withdraw the consent to feature the post."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import moderation, rights
from ..interactions import SocialError
from ..models import Comment, Post, RightsEvent
from ..permissions import can_view_post
from ..ratelimit import ratelimit_hit
from ..social_forms import RejectForm, RightsForm
from ..social_permissions import check_manage_rights, check_moderate_post


def _post(request, pk):
    post = Post.objects.select_related("author").filter(pk=pk).first()
    if post is None or not can_view_post(request.user, post):
        raise Http404
    return post


DONE = {
    "approve": lambda: _("The post is approved: everyone sees it now."),
    "hide": lambda: _("The post is hidden."),
    "restore": lambda: _("The post is shown again."),
    "feature": lambda: _("The post is featured."),
    "unfeature": lambda: _("The post is no longer featured."),
}


@login_required
@require_POST
def moderate(request, pk):
    check_moderate_post(request.user)
    post = _post(request, pk)
    action = request.POST.get("action")
    if action not in DONE:
        return HttpResponse(_("Unknown action."), status=400, content_type="text/plain; charset=utf-8")
    try:
        if action == "approve":
            moderation.post_approve(request.user, post)
        elif action in ("hide", "restore"):
            moderation.post_set_hidden(request.user, post, action == "hide", request.POST.get("reason", "")[:300])
        elif action == "feature":
            moderation.post_feature(request.user, post)
        else:
            moderation.post_unfeature(request.user, post)
    except SocialError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, DONE[action]())
    return redirect(post.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def reject(request, pk):
    check_moderate_post(request.user)
    post = _post(request, pk)
    form = RejectForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.post_reject(request.user, post, form.cleaned_data["reason"])
        except SocialError as error:
            form.add_error("reason", str(error))
        else:
            messages.success(request, _("The post is rejected; its author sees your reason."))
            return redirect(post.get_absolute_url())
    return render(request, "posts/reject.html", {"post": post, "form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def comment_moderate(request, pk):
    check_moderate_post(request.user)
    comment = Comment.objects.select_related("post", "author").filter(pk=pk).first()
    if comment is None or not can_view_post(request.user, comment.post):
        raise Http404
    action = request.POST.get("action")
    if action not in ("hide", "restore"):
        return HttpResponse(_("Unknown action."), status=400, content_type="text/plain; charset=utf-8")
    moderation.comment_set_hidden(request.user, comment, action == "hide", request.POST.get("reason", "")[:300])
    messages.success(request, _("The comment is hidden.") if action == "hide" else _("The comment is shown again."))
    return redirect(f"{comment.post.get_absolute_url()}#comment-{comment.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def rights_page(request, pk):
    post = _post(request, pk)
    check_manage_rights(request.user, post)
    form = RightsForm(request.POST if request.method == "POST" else None, initial={"rights": bool(post.rights_granted_at)})
    if request.method == "POST" and form.is_valid():
        if not ratelimit_hit(request.user, "rights"):
            return render(request, "429.html", status=429)
        if form.cleaned_data["rights"]:
            rights.rights_grant(request.user, post)
            messages.success(request, _("Thank you: the brand may feature this post, credited to you."))
        else:
            was = bool(post.rights_granted_at)
            rights.rights_withdraw(request.user, post)
            if was:
                messages.success(request, _("Your consent is withdrawn: the post is not featured anywhere any more."))
        return redirect(post.get_absolute_url())
    events = RightsEvent.objects.filter(post=post).order_by("-created_at", "-pk")[:20]
    return render(request, "posts/rights.html", {"post": post, "form": form, "events": events})
