"""What members do on a post's page and a hashtag's page: like, comment, delete their comment,
report, follow a hashtag. Every action is a POST with CSRF that works without JavaScript (a form
and a redirect back); htmx swaps the part of the page it changed.

A post that is gone, hidden or not published is a 404 for likes and comments (nothing is stored);
a rule that refuses a member (their own post, a suspension) is a 403 with the reason; over the
rate limit a 429; a bad comment a 400 page with the form and its message (with htmx, the form
again with its message: htmx swaps only 2xx answers)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.moderation.views import report as report_view

from .. import interactions, selectors
from ..models import Comment, Post
from ..moderation import POST_KIND
from ..permissions import can_view_post
from ..ratelimit import ratelimit_hit
from ..social_forms import CommentForm
from ..social_permissions import (
    check_comment,
    check_delete_comment,
    check_follow,
    check_like,
    check_unlike,
    comments_visible_to,
)
from ..templatetags.posts_social import comments_context, like_context


def _too_many(request):
    return render(request, "429.html", status=429)


def _live_post(request, pk):
    """The post, if the member may see it and it is live; 404 otherwise (hidden, waiting,
    rejected, deleted)."""
    post = Post.objects.select_related("author").filter(pk=pk).first()
    if post is None or not can_view_post(request.user, post) or not post.is_live:
        raise Http404
    return post


@login_required
@require_POST
def like(request, pk):
    post = _live_post(request, pk)
    wanted = "unlike" if request.POST.get("action") == "unlike" else "like"
    try:
        if wanted == "like":
            check_like(request.user, post)
            if not ratelimit_hit(request.user, "like"):
                return _too_many(request)
            interactions.post_like(request.user, post)
        else:
            check_unlike(request.user, post)
            interactions.post_unlike(request.user, post)
    except interactions.PostUnavailable:
        raise Http404 from None
    if request.htmx:
        post.refresh_from_db(fields=["like_count"])
        return render(request, "posts/includes/like_button.html", like_context(request.user, post, liked=wanted == "like"))
    return redirect(post.get_absolute_url())


def _comments_fragment(request, post, form=None):
    return render(request, "posts/includes/comments_block.html", comments_context(request, post, form=form))


@login_required
@require_POST
def comment(request, pk):
    post = _live_post(request, pk)
    check_comment(request.user, post)
    form = CommentForm(request.POST)
    if form.is_valid():
        if not ratelimit_hit(request.user, "comment"):
            return _too_many(request)
        try:
            made = interactions.comment_add(request.user, post, form.cleaned_data["body"])
        except interactions.PostUnavailable:
            raise Http404 from None
        except interactions.SocialError as error:
            form.add_error("body", str(error))
        else:
            if request.htmx:
                post.refresh_from_db(fields=["comment_count"])
                return _comments_fragment(request, post)
            messages.success(request, _("Your comment is posted."))
            return redirect(made.get_absolute_url())
    if request.htmx:
        return _comments_fragment(request, post, form=form)
    return render(request, "posts/comment_form.html", {"post": post, "form": form}, status=400)


@login_required
@require_POST
def comment_delete(request, pk):
    found = Comment.objects.select_related("post__author", "author").filter(pk=pk).first()
    if found is None or not can_view_post(request.user, found.post) \
            or not comments_visible_to(request.user, found.post).filter(pk=found.pk).exists():
        raise Http404
    check_delete_comment(request.user, found)
    interactions.comment_delete(request.user, found)
    post = found.post
    if request.htmx:
        post.refresh_from_db(fields=["comment_count"])
        return _comments_fragment(request, post)
    messages.success(request, _("The comment is deleted."))
    return redirect(f"{post.get_absolute_url()}#comments")


def report(request, pk):
    """A post's report form: the one report flow of community.moderation."""
    return report_view(request, POST_KIND, pk)


@login_required
@require_POST
def follow(request, key):
    hashtag = selectors.hashtag_get(key)
    check_follow(request.user)
    if request.POST.get("action") == "unfollow":
        interactions.hashtag_unfollow(request.user, hashtag)
        following = False
        if not request.htmx:
            messages.success(request, _("You no longer follow #%(tag)s.") % {"tag": hashtag.name})
    else:
        if not ratelimit_hit(request.user, "follow"):
            return _too_many(request)
        interactions.hashtag_follow(request.user, hashtag)
        following = True
        if not request.htmx:
            messages.success(request, _("You follow #%(tag)s: new posts under it reach your notifications.")
                             % {"tag": hashtag.name})
    if request.htmx:
        return render(request, "posts/includes/follow.html", {"hashtag": hashtag, "user": request.user,
                                                              "following": following})
    return redirect(hashtag.get_absolute_url())
