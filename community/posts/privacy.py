"""Photo posts in a member's data export and account deletion (community.members.signals; the
receivers are in community.posts.signals, README.md "Members' data" documents both).

Export, section "posts": every post of the member (caption, state, the reason if rejected,
hashtags, products, photos with their alt text and their `file` in the zip, the rights granted and
featuring), the history of their rights grants and withdrawals, their comments (on anyone's post),
their likes and the hashtags they follow.

Deletion:
- their posts go, with the photos' files and renditions (after commit), rows, likes and comments
  under them (posts-core's post_delete, which also moves the hashtags' counts);
- their likes of other members' posts go, and those posts' like counts move;
- their comments on other members' posts stay as placeholders in their place, shown as
  "Deleted member" with no text: the words are erased (the body and its HTML), so nothing they
  wrote is left, while the thread keeps its order and the replies around it still make sense;
  the posts' comment counts move for the comments that counted;
- the hashtags they follow are unfollowed.
"""

from django.db import transaction
from django.db.models import Count, F, Prefetch, Q
from django.db.models.functions import Greatest
from django.utils import timezone

from .interactions import post_unlike, shown_changed
from .models import Comment, HashtagFollow, Post, PostLike, PostPhoto, RightsEvent


def _iso(value):
    return value.isoformat() if value else None


def photo_export_name(photo):
    return f"files/posts/{photo.file.name.rsplit('/', 1)[-1]}"


def _member_posts(member):
    return (Post.objects.filter(author=member).order_by("created_at", "pk")
            .prefetch_related(Prefetch("photos", queryset=PostPhoto.objects.order_by("position", "pk")), "tags",
                              "products",
                              Prefetch("rights_events", queryset=RightsEvent.objects.order_by("created_at", "pk"))))


def posts_export(member):
    """The "posts" section of the member's data export (a constant number of queries)."""
    posts = list(_member_posts(member))
    comments = Comment.objects.filter(author=member).select_related("post").order_by("created_at", "pk")
    likes = PostLike.objects.filter(member=member).order_by("created_at", "pk")
    follows = HashtagFollow.objects.filter(member=member).select_related("hashtag").order_by("created_at", "pk")
    return {
        "posts": [
            {
                "url": post.get_absolute_url(), "caption": post.caption, "status": post.status,
                "reject_reason": post.reject_reason, "hidden": post.hidden, "created_at": _iso(post.created_at),
                "published_at": _iso(post.published_at), "edited_at": _iso(post.edited_at),
                "hashtags": sorted(tag.name for tag in post.tags.all()),
                "products": [product.name for product in post.products.all()],
                "likes": post.like_count, "comments": post.comment_count,
                "rights_granted_at": _iso(post.rights_granted_at), "rights_version": post.rights_version,
                "featured_at": _iso(post.featured_at),
                "photos": [{"url": photo.file.url, "file": photo_export_name(photo), "alt_text": photo.alt_text,
                            "width": photo.width, "height": photo.height} for photo in post.photos.all()],
            }
            for post in posts
        ],
        "rights_history": [
            {"post_url": post.get_absolute_url(), "action": event.action, "wording_version": event.version,
             "at": _iso(event.created_at)}
            for post in posts for event in post.rights_events.all()
        ],
        "comments": [
            {"post_url": comment.post.get_absolute_url(), "text": comment.body, "written_at": _iso(comment.created_at),
             "hidden": comment.hidden, "deleted_at": _iso(comment.deleted_at)}
            for comment in comments
        ],
        "likes": [{"post_url": Post(pk=like.post_id).get_absolute_url(), "at": _iso(like.created_at)} for like in likes],
        "hashtags_followed": [
            {"hashtag": follow.hashtag.name, "url": follow.hashtag.get_absolute_url(), "since": _iso(follow.created_at)}
            for follow in follows
        ],
    }


def posts_export_files(member):
    photos = PostPhoto.objects.filter(post__author=member).order_by("post__created_at", "post_id", "position", "pk")
    return [(photo_export_name(photo), photo.file) for photo in photos]


@transaction.atomic
def member_posts_erase(member):
    """What deleting an account does to the member's photo posts and interactions (see above)."""
    from .services import post_delete

    for like in PostLike.objects.filter(member=member).select_related("post"):
        post_unlike(member, like.post)
    for post in Post.objects.filter(author=member).order_by("pk"):
        post_delete(member, post)
    HashtagFollow.objects.filter(member=member).delete()
    # Comments on other members' posts: placeholders without text; the counts move for those
    # that counted (visible and not deleted before).
    counted = (Comment.objects.filter(author=member, hidden=False, deleted_at__isnull=True)
               .values("post_id").annotate(n=Count("pk")).order_by())
    for row in counted:
        Post.objects.filter(pk=row["post_id"]).update(comment_count=Greatest(F("comment_count") - row["n"], 0))
    post_ids = set(Comment.objects.filter(author=member).values_list("post_id", flat=True))
    Comment.objects.filter(author=member).filter(Q(deleted_at__isnull=True)).update(deleted_at=timezone.now())
    Comment.objects.filter(author=member).update(body="", body_html="")
    for post_id in post_ids:
        shown_changed(post_id)
