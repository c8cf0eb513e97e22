"""The pages that show posts: the wall (newest, popular this week), a hashtag's page and a post's
own page. Lists are cursor-paginated: "load more" fetches the next tiles with htmx (the link's
hx-get asks for ?fragment=1, just the tiles and the next link); without JavaScript the same link
opens the next page.

Anonymous visitors get these pages from the page cache, signed-in members from the pages kept for
them for a minute (community.forum.kept, the same mechanism as the forum's): both under the scopes
each view names first (community.posts.cache)."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from community.forum.kept import kept_for_member
from community.members.selectors import member_get_visible
from community.moderation.permissions import can_moderate
from core.absolute import absolute_url
from core.jsonld import json_ld

from .. import selectors
from ..cache import WALL_SCOPE, page_shows, page_shows_members, post_scope, tag_scope
from ..permissions import can_create_post, can_delete_post, can_edit_post, can_view_post
from ..templatetags.posts_tags import photo_rendition_url


def _list(request, template, context, page):
    page_shows_members(request, [post.author_id for post in page.items])
    context.update({"page": page, "posts": page.items})
    if request.GET.get("fragment"):
        return render(request, "posts/includes/grid_more.html", context)
    return render(request, template, context)


@require_GET
@kept_for_member
def wall(request, kind="newest"):
    cursor = request.GET.get("cursor")
    page_shows(request, WALL_SCOPE, grid=True)
    page = (selectors.wall_popular if kind == "popular" else selectors.wall_newest)(request.user, cursor)
    return _list(request, "posts/wall.html", {
        "kind": kind, "trending": selectors.trending_hashtags() if not request.GET.get("fragment") else (),
        "can_post": can_create_post(request.user),
    }, page)


@require_GET
@kept_for_member
def tag(request, key):
    page_shows(request, tag_scope(key), grid=True)
    hashtag = selectors.hashtag_get(key)
    if key != hashtag.key:
        return redirect(hashtag.get_absolute_url(), permanent=True)
    page = selectors.hashtag_posts(request.user, hashtag, request.GET.get("cursor"))
    return _list(request, "posts/tag.html", {"hashtag": hashtag, "can_post": can_create_post(request.user)}, page)


@require_GET
@kept_for_member
def member(request, username):
    """A member's photo posts, newest first (their profile shows the first page of these)."""
    author = member_get_visible(username)
    page_shows(request, WALL_SCOPE, grid=True)
    page_shows_members(request, [author.pk])
    page = selectors.member_posts(request.user, author, request.GET.get("cursor"))
    return _list(request, "posts/member.html", {"member": author, "grid_id": "member",
                                                "more_url": reverse("posts:member", args=[author.username])}, page)


def _description(post):
    return Truncator(" ".join(post.caption.split())).chars(200) or _("A photo by %(name)s") % {
        "name": post.author.public_name}


def _json_ld(request, post, photos):
    author = {"@type": "Person", "name": post.author.public_name,
              "url": absolute_url(post.author.get_absolute_url(), request)}
    data = {
        "@context": "https://schema.org",
        "@type": "SocialMediaPosting",
        "url": absolute_url(post.get_absolute_url(), request),
        "datePublished": (post.published_at or post.created_at).isoformat(),
        "author": author,
        "headline": Truncator(" ".join(post.caption.split())).chars(110) or _("A photo post"),
        "articleBody": post.caption,
        "keywords": [tag.name for tag in post.hashtags],
        "image": [{
            "@type": "ImageObject",
            "contentUrl": absolute_url(photo_rendition_url(photo, 1080), request),
            "width": photo.width, "height": photo.height, "description": photo.alt_text,
            "author": author["name"],
        } for photo in photos],
        "interactionStatistic": [
            {"@type": "InteractionCounter", "interactionType": "https://schema.org/LikeAction",
             "userInteractionCount": post.like_count},
            {"@type": "InteractionCounter", "interactionType": "https://schema.org/CommentAction",
             "userInteractionCount": post.comment_count},
        ],
    }
    if post.edited_at:
        data["dateModified"] = post.edited_at.isoformat()
    return json_ld(data)


@require_GET
@kept_for_member
def detail(request, pk):
    page_shows(request, post_scope(pk))
    post = selectors.post_get(pk)
    if not can_view_post(request.user, post):
        raise Http404
    page_shows_members(request, [post.author_id])
    photos = list(post.photos.all())
    first = photos[0] if photos else None
    social = {"title": _("%(name)s’s photo") % {"name": post.author.public_name}, "description": _description(post),
              "type": "article"}
    if first is not None:
        social.update(image_url=absolute_url(photo_rendition_url(first, 1080, fallback=True), request),
                      image_width=1080 if first.width and first.width >= 1080 else first.width,
                      image_height=(round(first.height * 1080 / first.width) if first.width and first.width >= 1080
                                    else first.height),
                      image_alt=first.alt_text)
    return render(request, "posts/detail.html", {
        "post": post, "photos": photos, "social": social, "json_ld": _json_ld(request, post, photos),
        "can_edit": can_edit_post(request.user, post), "can_delete": can_delete_post(request.user, post),
        "can_moderate": can_moderate(request.user),
    })
