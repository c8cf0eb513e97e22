"""The forum's part in a member's data export and account deletion (community.members.signals).

On deletion the member's posts keep their place under the "Deleted member" tombstone, because
replies and quotes rely on them, but their text is erased (services/erasure.py); what only
concerns the member (likes, read positions, subscriptions, pictures) goes. Reports and
suspensions are community.moderation's."""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from community.members.signals import member_data_requested, member_deleting, member_files_requested
from community.moderation.models import Suspension
from core.renditions import image_delete_on_commit, renditions_ready

from .cache import forum_changed
from .models import (
    Category,
    CategorySubscription,
    Post,
    PostLike,
    PostRevision,
    Topic,
    TopicReadState,
    TopicSubscription,
    Upload,
)
from .services import post_unlike, render
from .services.erasure import member_writing_erase

# Sent (sender=Topic) after the transaction that marked `post` as the answer of `topic` commits;
# `actor` marked it. Not sent when the answer is cleared. Higher layers (loyalty) listen.
topic_solved = Signal()  # topic, post, actor


def _changed(sender, **kwargs):
    forum_changed()


def _scoped(instance):
    """The scopes a saved or deleted row of the forum moves (see community.forum.cache)."""
    if isinstance(instance, Topic):
        return {"topics": [instance.pk], "categories": [instance.category_id], "lists": True}
    if isinstance(instance, Post):
        return {"topics": [instance.topic_id], "categories": [instance.topic.category_id], "lists": True}
    if isinstance(instance, PostLike):
        return {"topics": [instance.post.topic_id]}
    # Suspensions and subscriptions change what a member may do and how pages offer it: the pages
    # kept for that member.
    return {"viewers": [getattr(instance, "member_id", None) or getattr(instance, "user_id", None)]}


def _row_changed(sender, instance, **kwargs):
    try:
        forum_changed(**_scoped(instance))
    except ObjectDoesNotExist:  # the row it belonged to is going too (a cascade): that row's own signal moves it
        forum_changed(everything=True)


# What forum pages show of a member (name, avatar, profile link) or decide by (active, staff,
# deleted). A save of other fields alone, such as the last_login of every sign-in, moves nothing.
MEMBER_FIELDS_SHOWN = frozenset({
    "username", "display_name", "avatar", "avatar_width", "avatar_height", "is_active", "is_staff", "is_superuser",
    "deleted_at",
})


def _member_changed(sender, update_fields=None, **kwargs):
    if update_fields is not None and not MEMBER_FIELDS_SHOWN.intersection(update_fields):
        return
    forum_changed(members=[kwargs["instance"].pk], viewers=[kwargs["instance"].pk], lists=True)


# What visitors see of the forum: its rows, members' names and avatars on posts, and what decides
# what a member may do on a page (suspensions) and how the page offers it (subscriptions).
# Categories (names, order, access) show on every forum page: the whole forum's version.
post_save.connect(_changed, sender=Category, dispatch_uid="forum-version-save-category")
post_delete.connect(_changed, sender=Category, dispatch_uid="forum-version-delete-category")
for _model in (Topic, Post, PostLike, Suspension, TopicSubscription, CategorySubscription):
    post_save.connect(_row_changed, sender=_model, dispatch_uid=f"forum-version-save-{_model}")
    post_delete.connect(_row_changed, sender=_model, dispatch_uid=f"forum-version-delete-{_model}")
post_save.connect(_member_changed, sender=settings.AUTH_USER_MODEL, dispatch_uid="forum-version-save-member")
post_delete.connect(_changed, sender=settings.AUTH_USER_MODEL, dispatch_uid="forum-version-delete-member")


def _iso(value):
    return value.isoformat() if value else None


def _picture_file(upload):
    return f"files/forum/{upload.file.name.rsplit('/', 1)[-1]}"


@receiver(member_data_requested, dispatch_uid="forum_export")
def export_forum(sender, member, **kwargs):
    posts = (Post.objects.filter(author=member).select_related("topic").order_by("created_at", "pk")
             .prefetch_related(Prefetch("revisions", queryset=PostRevision.objects.order_by("created_at", "pk"))))
    return "forum", {
        "posts": [
            {"topic": p.topic.title, "url": p.get_absolute_url(), "number": p.number, "text": p.body,
             "written_at": p.created_at.isoformat(), "edited_at": _iso(p.edited_at), "deleted": p.is_deleted,
             "hidden": p.hidden, "approved": p.approved,
             "earlier_versions": [{"text": r.body, "replaced_at": r.created_at.isoformat()} for r in p.revisions.all()]}
            for p in posts
        ],
        "topics_started": [
            {"title": t.title, "url": t.get_absolute_url(), "started_at": t.created_at.isoformat()}
            for t in Topic.objects.filter(author=member).order_by("created_at", "pk")
        ],
        "likes": [{"post_url": like.post.get_absolute_url(), "at": like.created_at.isoformat()}
                  for like in PostLike.objects.filter(member=member).select_related("post__topic").order_by("created_at")],
        "watching": [
            {"topic": s.topic.title, "url": s.topic.get_absolute_url(), "level": s.level, "since": s.created_at.isoformat()}
            for s in TopicSubscription.objects.filter(member=member).select_related("topic").order_by("created_at")
        ],
        "category_watches": [
            {"category": s.category.name, "url": s.category.get_absolute_url(), "since": s.created_at.isoformat()}
            for s in CategorySubscription.objects.filter(member=member).select_related("category").order_by("created_at")
        ],
        "read_positions": [
            {"topic": r.topic.title, "url": r.topic.get_absolute_url(), "last_read_number": r.last_read_number}
            for r in TopicReadState.objects.filter(member=member).select_related("topic").order_by("topic_id")
        ],
        "pictures": [
            {"url": u.file.url, "file": _picture_file(u), "width": u.width, "height": u.height,
             "uploaded_at": u.created_at.isoformat()}
            for u in Upload.objects.filter(member=member).order_by("created_at", "pk")
        ],
    }


@receiver(member_files_requested, dispatch_uid="forum_export_files")
def export_forum_files(sender, member, **kwargs):
    return [(_picture_file(u), u.file) for u in Upload.objects.filter(member=member).order_by("created_at", "pk")]


@receiver(member_deleting, dispatch_uid="forum_delete")
def forget_member(sender, member, **kwargs):
    for like in PostLike.objects.filter(member=member).select_related("post"):
        post_unlike(member, like.post)
    TopicReadState.objects.filter(member=member).delete()
    TopicSubscription.objects.filter(member=member).delete()
    CategorySubscription.objects.filter(member=member).delete()
    member_writing_erase(member)


@receiver(post_delete, sender=Upload, dispatch_uid="forum_upload_files")
def delete_upload_files(sender, instance, **kwargs):
    image_delete_on_commit(instance.file, instance.renditions)


@receiver(renditions_ready, sender=Upload, dispatch_uid="forum_upload_renditions")
def show_renditions(sender, name, **kwargs):
    """Posts written before their picture's renditions were made show them from now on."""
    url = sender._meta.get_field("file").storage.url(name)
    changed = 0
    for post in Post.objects.filter(body__contains=f"]({url})").only("pk", "body"):
        changed += Post.objects.filter(pk=post.pk).update(body_html=render(post.body).html)
    if changed:
        forum_changed()
