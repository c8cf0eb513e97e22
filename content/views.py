from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from community.forum.permissions import can_view_topic, check_start_topic
from community.forum.ratelimit import ratelimit_hit
from community.forum.services import ForumError
from community.forum.views.common import too_many
from core.pagination import paginate
from core.search import search_type, search_types

from .blog.models import BlogPage
from .blog.services import blog_discussion_category, blog_discussion_start, blog_discussion_topic
from .selectors import site_search

RESULTS_PER_PAGE = 10


class DiscussionForm(forms.Form):
    body = forms.CharField(label=gettext_lazy("Your first words"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20_000,
                           help_text=gettext_lazy("The topic opens with a link to the post; say what you think, or ask."))


def search(request):
    """Site search: every kind of result, or one (?type=, a code of core.search's registry; an
    unknown one is ignored). Each hit says what it is."""
    query = request.GET.get("q", "").strip()[:200]
    chosen = search_type(request.GET.get("type", ""))
    page_obj = None
    if query:
        page_obj = paginate(site_search(query, request, chosen.code if chosen else None), request.GET.get("page"),
                            RESULTS_PER_PAGE)
    return render(request, "content/search.html", {
        "search_query": query, "page_obj": page_obj, "search_types": search_types(), "chosen_type": chosen,
    })


MAX_ID = 2**63 - 1  # the largest id a database integer holds


@require_http_methods(["GET", "POST"])
def blog_discuss(request, page_id):
    """"Discuss in the forum" under a blog post: the post's topic when there is one; otherwise a
    member writes the first words and the topic starts (a visitor is asked to log in first)."""
    if page_id > MAX_ID:  # a page's id is a link to its Wagtail page: Django does not bound that lookup
        raise Http404
    post = get_object_or_404(BlogPage.objects.live().public(), pk=page_id)
    topic = blog_discussion_topic(post)
    if topic is not None and can_view_topic(request.user, topic):
        return redirect(topic.get_absolute_url())
    category = blog_discussion_category()
    if topic is not None or category is None:
        raise Http404("This post has no discussion.")
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    check_start_topic(request.user, category)
    form = DiscussionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit_hit(request.user, "topic"):
            return too_many(request)
        try:
            topic, _started = blog_discussion_start(request.user, post, category, body=form.cleaned_data["body"])
        except ForumError as error:
            form.add_error("body", str(error))
        else:
            if not topic.approved:
                messages.info(request, _("Thanks! A moderator will look at your topic before it is shown to everyone."))
                return redirect(post.get_url(request))
            return redirect(topic.get_absolute_url())
    return render(request, "content/blog/discuss.html", {"post": post, "category": category, "form": form},
                  status=400 if form.errors else 200)
