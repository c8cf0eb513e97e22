"""Photo posts and their comments in the one moderation queue (community.moderation), and the
moderators' actions on them: approve (which publishes a waiting post), reject with a reason the
author sees, hide and restore, feature and unfeature. Registered from PostsConfig.ready().

Every action locks the post's row, keeps the counters right (Hashtag.post_count counts published,
visible posts; Post.comment_count visible comments), closes the item's open reports, writes the
moderation log, tells the author after commit, and moves the cache versions of what showed the
post. Pre- or post-moderation is posts-core's (POSTS_APPROVE_ALL, POSTS_APPROVE_NEW_MEMBERS set the
status at create); approving is where a waiting post is published: published_at is set, its
hashtags count it, and their followers' batch picks it up.
"""

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from community.moderation import registry
from community.moderation import services as moderation
from community.moderation.models import Resolution
from community.moderation.registry import ModerationKind, Preview

from .interactions import SocialError, shown_changed
from .models import Comment, Post
from .services import post_live_changed

POST_KIND = "photo_post"
COMMENT_KIND = "photo_comment"
REASON_MAX = 300  # Post.reject_reason

ACTIONS = {
    "reject_post": _("rejected a photo post"),
    "feature_post": _("featured a photo post"),
    "unfeature_post": _("stopped featuring a photo post"),
}


def featured_changed(post_id):
    """Whatever shows featured posts (the home page, CMS gallery blocks, campaign highlights) hears
    of it after commit through the posts_featured_changed signal (community.posts.signals), which
    higher layers answer by moving their own cache versions."""
    from .signals import posts_featured_changed

    transaction.on_commit(lambda: posts_featured_changed.send(sender=Post, post_ids=[post_id]), robust=True)


def _lock(post):
    return Post.objects.select_for_update().get(pk=post.pk)


def _decision_notify(post, event, entry):
    from .notify import decision_notify

    transaction.on_commit(lambda: decision_notify.enqueue(post.pk, event, entry.pk), robust=True)


@transaction.atomic
def post_approve(actor, post):
    """Publish a waiting (or rejected) post: published_at, its hashtags' counts, its followers'
    batch; the author is told. Approving a published post changes nothing."""
    post = _lock(post)
    if post.status == Post.Status.PUBLISHED:
        return post
    was_live = post.is_live
    post.status = Post.Status.PUBLISHED
    post.published_at = timezone.now()
    post.reject_reason = ""
    post.save(update_fields=["status", "published_at", "reject_reason"])
    post_live_changed(post, was_live)
    if post.is_live:
        from .notify import followers_schedule
        from .signals import published_announce

        followers_schedule(post)
        published_announce(post)
    moderation.reports_resolve(actor, post, Resolution.APPROVED)
    entry = moderation.log_add(actor, "approve", item=post, member=post.author)
    _decision_notify(post, "approved", entry)
    return post


@transaction.atomic
def post_reject(actor, post, reason):
    """Refuse a post, waiting or published, with a reason the author sees on the post's page (only
    they and moderators can open it from now on). It leaves the wall, its hashtags and anything
    that featured it."""
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise SocialError(_("Say why, so the member can understand what to change."))
    if len(reason) > REASON_MAX:
        raise SocialError(_("Keep the reason to %(max)d characters.") % {"max": REASON_MAX})
    post = _lock(post)
    was_live, was_featured = post.is_live, bool(post.featured_at)
    post.status, post.reject_reason, post.featured_at = Post.Status.REJECTED, reason, None
    post.save(update_fields=["status", "reject_reason", "featured_at"])
    post_live_changed(post, was_live)
    moderation.reports_resolve(actor, post, Resolution.HIDDEN)
    entry = moderation.log_add(actor, "reject_post", item=post, member=post.author, detail=reason)
    _decision_notify(post, "rejected", entry)
    if was_featured:
        featured_changed(post.pk)
    return post


@transaction.atomic
def post_set_hidden(actor, post, hidden, reason=""):
    """Hide a post from everyone but moderators, or show it again; its hashtags' counts follow."""
    post = _lock(post)
    if post.hidden == hidden:
        return post
    was_live = post.is_live
    post.hidden = hidden
    post.save(update_fields=["hidden"])
    post_live_changed(post, was_live)
    moderation.reports_resolve(actor, post, Resolution.HIDDEN if hidden else Resolution.RESTORED)
    moderation.author_notify(moderation.log_add(actor, "hide" if hidden else "restore", item=post,
                                                member=post.author, detail=reason))
    if post.featured_at:
        featured_changed(post.pk)
    return post


@transaction.atomic
def post_feature(actor, post):
    """Feature a live post whose author granted the rights (featured_at); SocialError otherwise.
    Featuring a featured post changes nothing."""
    post = _lock(post)
    if not post.is_live:
        raise SocialError(_("Only a published, visible post can be featured."))
    if not post.rights_granted_at:
        raise SocialError(_("Its author has not given the brand the rights to feature it."))
    if post.featured_at:
        return post
    post.featured_at = timezone.now()
    post.save(update_fields=["featured_at"])
    entry = moderation.log_add(actor, "feature_post", item=post, member=post.author)
    _decision_notify(post, "featured", entry)
    shown_changed(post.pk)
    featured_changed(post.pk)
    return post


@transaction.atomic
def post_unfeature(actor, post):
    post = _lock(post)
    if not post.featured_at:
        return post
    post.featured_at = None
    post.save(update_fields=["featured_at"])
    moderation.log_add(actor, "unfeature_post", item=post, member=post.author)
    shown_changed(post.pk)
    featured_changed(post.pk)
    return post


@transaction.atomic
def comment_set_hidden(actor, comment, hidden, reason=""):
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.hidden == hidden:
        return comment
    comment.hidden = hidden
    comment.save(update_fields=["hidden"])
    if comment.deleted_at is None:
        Post.objects.filter(pk=comment.post_id).update(comment_count=Greatest(F("comment_count") + (-1 if hidden else 1), 0))
    moderation.reports_resolve(actor, comment, Resolution.HIDDEN if hidden else Resolution.RESTORED)
    moderation.author_notify(moderation.log_add(actor, "hide" if hidden else "restore", item=comment,
                                                member=comment.author, detail=reason))
    shown_changed(comment.post_id)
    return comment


# --- the registry ------------------------------------------------------------------------------

def post_title(post):
    """What the queue and the moderation log call a post: its number, never its caption, because
    the log keeps the title after the post and its author's account are gone (the caption shows
    in the queue as the excerpt, read live)."""
    return str(_("Photo post %(number)d") % {"number": post.pk})


def _post_queryset():
    return Post.objects.select_related("author")


def _post_waiting():
    return _post_queryset().filter(status=Post.Status.PENDING, hidden=False).order_by("created_at", "pk")


def _post_preview(post):
    notes = []
    if post.status == Post.Status.REJECTED:
        notes.append(str(_("rejected: %(reason)s") % {"reason": post.reject_reason}))
    if post.featured_at:
        notes.append(str(_("featured")))
    if not post.rights_granted_at:
        notes.append(str(_("no rights to feature")))
    return Preview(
        title=post_title(post), excerpt=Truncator(" ".join(post.caption.split())).chars(400), author=post.author,
        url=post.get_absolute_url(), created_at=post.created_at, hidden=post.hidden,
        waiting=post.status == Post.Status.PENDING, note="; ".join(notes),
    )


def _post_can_view(user, post):
    from .permissions import can_view_post

    return can_view_post(user, post)


def _comment_queryset():
    return Comment.objects.select_related("author", "post")


def _comment_preview(comment):
    return Preview(
        title=str(_("Comment %(number)d on photo post %(post)d") % {"number": comment.pk, "post": comment.post_id}),
        excerpt=Truncator(" ".join(comment.body.split())).chars(400), author=comment.author,
        url=comment.get_absolute_url(), created_at=comment.created_at, hidden=comment.hidden,
        deleted=comment.deleted_at is not None,
    )


def _comment_can_view(user, comment):
    from community.moderation.permissions import can_moderate

    from .permissions import can_view_post

    return can_view_post(user, comment.post) and (not comment.hidden or can_moderate(user))


def register():
    registry.register(ModerationKind(
        code=POST_KIND, label=_("photo post"), model=Post, queryset=_post_queryset, waiting=_post_waiting,
        preview=_post_preview, can_view=_post_can_view,
        hide=lambda actor, post, reason="": post_set_hidden(actor, post, True, reason),
        restore=lambda actor, post, reason="": post_set_hidden(actor, post, False, reason),
        approve=post_approve,
    ))
    registry.register(ModerationKind(
        code=COMMENT_KIND, label=_("photo comment"), model=Comment, queryset=_comment_queryset,
        waiting=lambda: Comment.objects.none(), preview=_comment_preview, can_view=_comment_can_view,
        hide=lambda actor, comment, reason="": comment_set_hidden(actor, comment, True, reason),
        restore=lambda actor, comment, reason="": comment_set_hidden(actor, comment, False, reason),
        approve=lambda actor, comment: comment,
    ))
    for code, label in ACTIONS.items():
        registry.register_action(code, label)
