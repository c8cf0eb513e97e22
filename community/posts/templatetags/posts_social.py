"""Template tags of the interactions with photo posts, used by posts-core's include hooks
(posts/includes/actions.html, comments.html, follow.html), so its views need not know about likes,
comments or follows:

    {% load posts_social %}{% post_actions post %}      like, share, report, rights, moderation
    {% post_comments post %}                            the comments and the comment form
    {% follow_button hashtag %}                         follow / unfollow a hashtag

Each reads what it shows in a constant number of queries: the member's like (one), the comments
with their authors (one, at most COMMENTS_SHOWN), the follow (one); whether the member moderates
or is suspended is asked once per request and kept on the user.
"""

from django import template

from community.moderation import registry
from community.moderation.permissions import can_moderate, can_report, can_write
from community.moderation.selectors import is_member
from core.absolute import absolute_url

from ..cache import page_shows_members
from ..interactions import is_following, liked_ids, share_links
from ..models import Post
from ..moderation import COMMENT_KIND, POST_KIND
from ..social_forms import CommentForm
from ..social_permissions import can_comment, can_delete_comment, can_feature, can_like, comments_visible_to
from .posts_tags import photo_rendition_url

register = template.Library()

COMMENTS_SHOWN = 200  # the oldest first; a post with more says how many are not shown


def like_context(user, post, liked=None):
    member = is_member(user)
    if liked is None:
        liked = post.pk in liked_ids(user, [post.pk]) if member else False
    return {"post": post, "liked": liked, "can_like": member and (liked or can_like(user, post)),
            "is_member": member}


def comments_context(request, post, form=None):
    user = request.user
    moderator = can_moderate(user)
    rows = list(comments_visible_to(user, post).select_related("author").order_by("created_at", "pk")[:COMMENTS_SHOWN + 1])
    more = len(rows) > COMMENTS_SHOWN
    rows = rows[:COMMENTS_SHOWN]
    # The page shows the commenters' names: it is kept under their member scopes too (read after
    # the rows, unlike the view's own scopes: a rename in that instant shows at the next change).
    page_shows_members(request, [row.author_id for row in rows])
    comment_kind = registry.get(COMMENT_KIND)
    for row in rows:
        row.post = post  # the page's post: its address is each comment's, without a query apiece
        row.can_delete = not row.deleted_at and can_delete_comment(user, row)
        row.can_report = not row.deleted_at and not row.hidden and comment_kind is not None \
            and can_report(user, comment_kind, row)
    allowed = post.is_live and can_comment(user, post)
    return {
        "post": post, "comments": rows, "more": more, "shown": COMMENTS_SHOWN, "can_moderate": moderator,
        "can_comment": allowed, "form": (form or CommentForm()) if allowed else None, "is_member": is_member(user),
        "request": request,
    }


@register.inclusion_tag("posts/includes/comments_block.html", takes_context=True)
def post_comments(context, post):
    return comments_context(context["request"], post)


@register.inclusion_tag("posts/includes/actions_panel.html", takes_context=True)
def post_actions(context, post):
    request = context["request"]
    user = request.user
    photos = context.get("photos") or list(post.photos.all()[:1])
    url = absolute_url(post.get_absolute_url(), request)
    image = absolute_url(photo_rendition_url(photos[0], 1080, fallback=True), request) if photos else ""
    moderator = can_moderate(user)
    post_kind = registry.get(POST_KIND)
    is_author = is_member(user) and post.author_id == user.pk
    data = {
        "request": request, "post": post, "share_url": url, "share_links": share_links(url, post.caption, image),
        "is_author": is_author, "can_moderate": moderator,
        "can_report": post_kind is not None and post.is_live and can_report(user, post_kind, post),
        "can_feature": moderator and can_feature(user, post),
        "show_reason": post.status == Post.Status.REJECTED and (is_author or moderator),
        "suspended": is_member(user) and not can_write(user),
    }
    data.update(like_context(user, post))
    return data


@register.inclusion_tag("posts/includes/follow_button.html", takes_context=True)
def follow_button(context, hashtag):
    request = context["request"]
    return {"request": request, "hashtag": hashtag, "is_member": is_member(request.user),
            "following": is_following(request.user, hashtag)}
