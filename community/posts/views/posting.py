"""Writing posts: new (photos in slots, caption, products, look, rights), edit, delete. Thin: the
forms check, the services write, the permissions decide (403 with the reason)."""

from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import services
from ..forms import RIGHTS_WORDING, PostEditForm, PostForm
from ..models import Post
from ..permissions import can_view_post, check_create_post, check_delete_post, check_edit_post
from ..ratelimit import ratelimit_hit


def _too_many(request):
    return render(request, "429.html", status=429)


def _own_post(request, pk):
    post = Post.objects.select_related("author").filter(pk=pk).first()
    if post is None or not can_view_post(request.user, post):
        raise Http404
    return post


@login_required
@require_http_methods(["GET", "POST"])
@csp_update({"img-src": ["blob:"]})  # the browser's previews of the chosen photos (static/js/posts-upload.js)
def post_new(request):
    check_create_post(request.user)
    form = PostForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not ratelimit_hit(request.user, "post"):
            return _too_many(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                post = services.post_create(request.user, caption=data["caption"], photos=data["photos"],
                                            products=data["products"], look=data["look"], rights=data["rights"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if post.status == Post.Status.PENDING:
                    messages.info(request, _("Thank you! Your post shows on the wall once a moderator has approved it."))
                else:
                    messages.success(request, _("Your post is on the wall."))
                return redirect(post.get_absolute_url())
    return render(request, "posts/new.html", {"form": form, "rights_wording": RIGHTS_WORDING},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request, pk):
    post = _own_post(request, pk)
    check_edit_post(request.user, post)
    form = PostEditForm(request.POST or None, post=post)
    if request.method == "POST":
        if not ratelimit_hit(request.user, "edit"):
            return _too_many(request)
        if form.is_valid():
            try:
                services.post_edit(request.user, post, caption=form.cleaned_data["caption"], alt_texts=form.alt_texts(),
                                   products=form.cleaned_data["products"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your post is saved."))
                return redirect(post.get_absolute_url())
    return render(request, "posts/edit.html", {"form": form, "post": post}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def post_delete(request, pk):
    post = _own_post(request, pk)
    check_delete_post(request.user, post)
    if request.method == "POST":
        if not ratelimit_hit(request.user, "delete"):
            return _too_many(request)
        services.post_delete(request.user, post)
        messages.success(request, _("The post is deleted."))
        return redirect(reverse("members:profile", kwargs={"username": post.author.username})
                        if post.author_id == request.user.pk else reverse("posts:wall"))
    return render(request, "posts/delete.html", {"post": post})
