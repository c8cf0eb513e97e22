"""What members do with photo posts besides posting them: likes, comments, following hashtags, and
the share links. Writes only; the views ask community.posts.social_permissions first.

- A like is made once by the unique (post, member) constraint, never by a check first; the post's
  like_count moves with F() in the same transaction, under the post's row lock, which also makes
  sure the post is still live when the like is stored (a post hidden or deleted meanwhile gets no
  like: PostUnavailable, which views answer with 404).
- A comment is plain text (at most COMMENT_MAX characters), stored with its HTML (escaped, #hashtags
  and @mentions of verified members linked: community.posts.markup). comment_count counts the
  visible ones (not hidden, not deleted) and moves with F() in the write's transaction.
- Following a hashtag is one row (unique (hashtag, member)); its notified_until is where the next
  batched notification starts (community.posts.notify).

Every write moves the scope of the post's page (community.posts.cache); the grid tiles' counts
catch up within GRID_MAX_AGE.
"""

import re
from datetime import timedelta
from urllib.parse import quote, urlencode

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .cache import post_changed
from .hashtags import normalise
from .markup import members_for_mentions, render_caption
from .models import COMMENT_MAX, Comment, HashtagFollow, Post, PostLike

DUPLICATE_WINDOW = timedelta(minutes=10)


class SocialError(Exception):
    """A rule refused the write; the message is for the member."""


class PostUnavailable(SocialError):
    """The post is gone, hidden or not published (any more): the view answers 404."""


def shown_changed(post_id):
    """Move the scope of the post's page (community.posts.cache). The counts on grid tiles follow
    no scope: grid pages are kept at most GRID_MAX_AGE seconds, so a like or a comment does not
    evict the wall and the hashtag pages."""
    post_changed(post_id)


def _lock_live(post_id):
    """The post's row, locked for this transaction; PostUnavailable unless it is live."""
    locked = Post.objects.select_for_update().filter(pk=post_id).only("pk", "status", "hidden", "author_id").first()
    if locked is None or not locked.is_live:
        raise PostUnavailable(_("This post is not available."))
    return locked


# --- likes -------------------------------------------------------------------------------------

def post_like(member, post):
    """Like a live post once; True if this call liked it, False if the member already had.
    PostUnavailable if the post is gone, hidden or not published."""
    try:
        with transaction.atomic():
            _lock_live(post.pk)
            PostLike.objects.create(post_id=post.pk, member=member)
            Post.objects.filter(pk=post.pk).update(like_count=F("like_count") + 1)
    except IntegrityError:  # liked already (a double click, another tab)
        return False
    shown_changed(post.pk)
    from .notify import like_notify

    transaction.on_commit(lambda: like_notify.enqueue(post.pk, member.pk), robust=True)
    return True


@transaction.atomic
def post_unlike(member, post):
    """Take a like back (whatever the post's state now); True if there was one."""
    deleted, _rows = PostLike.objects.filter(post_id=post.pk, member=member).delete()
    if deleted:
        Post.objects.filter(pk=post.pk).update(like_count=Greatest(F("like_count") - 1, 0))
        shown_changed(post.pk)
    return bool(deleted)


def liked_ids(member, post_ids):
    """The ids among `post_ids` the member likes (one query; none for a visitor)."""
    if member is None or not member.is_authenticated or not post_ids:
        return set()
    return set(PostLike.objects.filter(member=member, post_id__in=list(post_ids)).values_list("post_id", flat=True))


# --- comments ----------------------------------------------------------------------------------

def _clean_body(body):
    """The comment as stored: NFC, line ends as \\n, no blank lines at either end, at most two
    line breaks in a row."""
    body = normalise(str(body or "")).replace("\r\n", "\n").replace("\r", "\n")
    body = re.sub(r"\n{3,}", "\n\n", body)
    return "\n".join(line.rstrip() for line in body.split("\n")).strip()


def comment_validate(body):
    """The cleaned text of a comment, or SocialError with the message for the member."""
    body = _clean_body(body)
    if not body:
        raise SocialError(_("Write something first."))
    if len(body) > COMMENT_MAX:
        raise SocialError(_("A comment can be at most %(max)d characters long; this one has %(length)d.")
                          % {"max": COMMENT_MAX, "length": len(body)})
    return body


def comment_add(author, post, body):
    """A comment under a live post. SocialError for an empty, too long or repeated comment;
    PostUnavailable if the post is gone, hidden or not published (nothing is stored)."""
    body = comment_validate(body)
    since = timezone.now() - DUPLICATE_WINDOW
    recent = Comment.objects.filter(post_id=post.pk, author=author, created_at__gte=since, deleted_at__isnull=True)
    if any(" ".join(text.split()).casefold() == " ".join(body.split()).casefold()
           for text in recent.values_list("body", flat=True)[:20]):
        raise SocialError(_("You have just written this comment."))
    mentioned = members_for_mentions(body)
    html = render_caption(body, mentioned)
    with transaction.atomic():
        _lock_live(post.pk)
        comment = Comment.objects.create(post_id=post.pk, author=author, body=body, body_html=html)
        Post.objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
    shown_changed(post.pk)
    from .notify import comment_notify

    transaction.on_commit(lambda: comment_notify.enqueue(comment.pk), robust=True)
    return comment


def _counted(comment):
    return not comment.hidden and comment.deleted_at is None


@transaction.atomic
def comment_delete(actor, comment):
    """Delete a comment: it stays as a placeholder ("comment deleted") so the thread keeps its
    order, but its text goes at once. Returns the comment."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.deleted_at:
        return comment
    was_counted = _counted(comment)
    comment.deleted_at = timezone.now()
    comment.body, comment.body_html = "", ""
    comment.save(update_fields=["deleted_at", "body", "body_html"])
    if was_counted:
        Post.objects.filter(pk=comment.post_id).update(comment_count=Greatest(F("comment_count") - 1, 0))
    if actor.pk != comment.author_id:
        from community.moderation import services as moderation
        from community.moderation.models import Resolution

        moderation.reports_resolve(actor, comment, Resolution.DELETED)
        moderation.author_notify(moderation.log_add(actor, "delete", item=comment, member=comment.author))
    shown_changed(comment.post_id)
    return comment


# --- following hashtags ------------------------------------------------------------------------

def hashtag_follow(member, hashtag):
    """Follow a hashtag; True if this call started following. New posts from now on count."""
    try:
        with transaction.atomic():
            HashtagFollow.objects.create(member=member, hashtag=hashtag)
    except IntegrityError:
        return False
    return True


def hashtag_unfollow(member, hashtag):
    deleted, _rows = HashtagFollow.objects.filter(member=member, hashtag=hashtag).delete()
    return bool(deleted)


def is_following(member, hashtag):
    if member is None or not member.is_authenticated:
        return False
    return HashtagFollow.objects.filter(member=member, hashtag=hashtag).exists()


# --- sharing -----------------------------------------------------------------------------------

def share_links(url, text, image_url=""):
    """Share intents as plain links (no third-party script): [(code, label, href)]. `url` and
    `image_url` are absolute; `text` is plain text (a caption's start)."""
    text = " ".join(str(text or "").split())[:200]
    links = [
        ("whatsapp", _("WhatsApp"), "https://wa.me/?" + urlencode({"text": f"{text} {url}".strip()}, quote_via=quote)),
        ("x", _("X"), "https://x.com/intent/post?" + urlencode({"url": url, "text": text}, quote_via=quote)),
        ("facebook", _("Facebook"), "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}, quote_via=quote)),
    ]
    pin = {"url": url, "description": text}
    if image_url:
        pin["media"] = image_url
    links.append(("pinterest", _("Pinterest"),
                  "https://www.pinterest.com/pin/create/button/?" + urlencode(pin, quote_via=quote)))
    links.append(("email", _("E-mail"), "mailto:?" + urlencode({"subject": text or url, "body": f"{text}\n\n{url}".strip()},
                                                              quote_via=quote)))
    return links
