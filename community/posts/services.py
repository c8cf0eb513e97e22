"""Writing photo posts: create (photos, caption, hashtags, products, look, rights), edit, delete.

Photos arrive already checked and re-encoded by core.images.image_process (forms.PostForm does it
while validating, so a bad file is a message on its field); this module stores them, and makes
their renditions in the background (core.renditions). A post is written in one transaction; if
anything fails, the files already stored are deleted, so a failed upload leaves no orphan file and
no half-made post.

Hashtag.post_count counts the live (published, not hidden) posts under a hashtag; it moves with
F() in the transaction of the change. posts-social calls post_live_changed() when moderation
publishes, rejects, hides or restores a post.
"""

import hashlib
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from core.renditions import image_delete_on_commit, renditions_schedule

from .app_settings import app_settings
from .cache import post_changed, tags_changed, wall_changed
from .hashtags import hashtags_validate
from .markup import members_for_mentions, render_caption
from .models import PHOTOS_MAX, Hashtag, Post, PostPhoto, PostProduct, TaggedPost
from .ratelimit import is_new_member

logger = logging.getLogger(__name__)

PHOTO_USE = "post_photo"

# For the other parts of the posts app (follower notifications, the moderation queue):
post_created = Signal()  # sender=Post, post, tags (Hashtag rows); inside the create's transaction
post_deleting = Signal()  # sender=Post, post, actor; inside the delete's transaction, before the rows go


class PostError(Exception):
    """A rule of the posts refused the write; the message is for the member."""


def needs_approval(author):
    """Whether a new post of `author` waits for a moderator (POSTS_APPROVE_ALL, or
    POSTS_APPROVE_NEW_MEMBERS for a new member). Staff never wait."""
    if author.is_staff:
        return False
    return app_settings.APPROVE_ALL or (app_settings.APPROVE_NEW_MEMBERS and is_new_member(author))


def caption_render(caption):
    return render_caption(caption, members_for_mentions(caption))


def _hashtag_slug(key):
    slug = key[:Hashtag._meta.get_field("slug").max_length]
    if slug != key:
        slug = slug[:90] + "-" + hashlib.sha256(key.encode()).hexdigest()[:12]
    return slug


def hashtags_get(pairs):
    """The Hashtag rows for [(name, key)], created where missing with the name as written here
    (idempotent under races: the unique key decides, the loser reads the winner's row)."""
    keys = [key for _name, key in pairs]
    found = {tag.key: tag for tag in Hashtag.objects.filter(key__in=keys)}
    for name, key in pairs:
        if key in found:
            continue
        try:
            with transaction.atomic():
                found[key] = Hashtag.objects.create(name=name, key=key, slug=_hashtag_slug(key))
        except IntegrityError:
            found[key] = Hashtag.objects.get(key=key)
    return [found[key] for key in keys]


def _counts_move(tag_ids, delta):
    if tag_ids:
        if delta > 0:
            Hashtag.objects.filter(pk__in=tag_ids).update(post_count=F("post_count") + delta)
        else:
            Hashtag.objects.filter(pk__in=tag_ids).update(post_count=Greatest(F("post_count") + delta, 0))


def post_live_changed(post, was_live):
    """Call inside the transaction that changed `post`'s status or hidden flag: moves its hashtags'
    post counts and the cache versions of what showed or will show it."""
    if was_live == post.is_live:
        post_changed(post.pk)
        return
    tags = list(Hashtag.objects.filter(tagged_posts__content_object=post).values_list("pk", "key"))
    _counts_move([pk for pk, _key in tags], 1 if post.is_live else -1)
    wall_changed()
    tags_changed(key for _pk, key in tags)
    post_changed(post.pk)


def _check_photos(photos):
    if not photos:
        raise ValidationError(_("Add at least one photo."), code="no_photo")
    if len(photos) > PHOTOS_MAX:
        raise ValidationError(_("A post has at most %(max)d photos.") % {"max": PHOTOS_MAX}, code="too_many_photos")
    for _image, alt in photos:
        if not (alt or "").strip():
            raise ValidationError(_("Every photo needs its alt text."), code="alt_missing")


def _store_photos(post, photos, stored):
    rows = []
    for position, (image, alt) in enumerate(photos):
        photo = PostPhoto(post=post, position=position, alt_text=" ".join(alt.split()))
        photo.file.save(image.name, image.content if hasattr(image, "content") else image, save=False)
        stored.append((photo.file.storage, photo.file.name))
        photo.save()
        renditions_schedule(photo, "file", "renditions", PHOTO_USE)
        rows.append(photo)
    return rows


def _delete_stored(stored):
    for storage, name in stored:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("could not delete media file %s", name)


def post_create(author, *, caption, photos, products=(), look=None, rights=False):
    """A new post. `photos`: [(core.images.ProcessedImage or its ContentFile, alt text)], one to
    PHOTOS_MAX, already processed; `products`: shop Products (active ones; the form checks);
    `look`: a live lookbook Page or None; `rights`: the member ticked the rights box (its time and
    the wording's version are stored). The status is pending when needs_approval(author).
    ValidationError for bad input; nothing is stored then."""
    caption = (caption or "").strip()
    _check_photos(photos)
    pairs = hashtags_validate(caption)
    status = Post.Status.PENDING if needs_approval(author) else Post.Status.PUBLISHED
    now = timezone.now()
    stored = []
    try:
        with transaction.atomic():
            post = Post.objects.create(
                author=author, caption=caption, caption_html=caption_render(caption), status=status, created_at=now,
                published_at=now if status == Post.Status.PUBLISHED else None, look=look,
                rights_granted_at=now if rights else None, rights_version=app_settings.RIGHTS_VERSION if rights else "",
            )
            _store_photos(post, photos, stored)
            PostProduct.objects.bulk_create(
                [PostProduct(post=post, product=product, position=i) for i, product in enumerate(dict.fromkeys(products))])
            tags = hashtags_get(pairs)
            TaggedPost.objects.bulk_create([TaggedPost(content_object=post, tag=tag) for tag in tags])
            if post.is_live:
                _counts_move([tag.pk for tag in tags], 1)
                wall_changed()
                tags_changed(tag.key for tag in tags)
            post_created.send(sender=Post, post=post, tags=tags)
    except BaseException:
        _delete_stored(stored)
        raise
    return post


@transaction.atomic
def post_edit(editor, post, *, caption, alt_texts=None, products=None):
    """Change the caption (re-tagging: the hashtags' counts and versions move), the photos' alt
    texts ({photo pk: text}) and the products. ValidationError for bad input."""
    caption = (caption or "").strip()
    pairs = hashtags_validate(caption)
    post = Post.objects.select_for_update().get(pk=post.pk)
    old = dict(Hashtag.objects.filter(tagged_posts__content_object=post).values_list("key", "pk"))
    new_tags = hashtags_get(pairs)
    new = {tag.key: tag.pk for tag in new_tags}
    removed, added = set(old) - set(new), set(new) - set(old)
    if removed:
        TaggedPost.objects.filter(content_object=post, tag_id__in=[old[k] for k in removed]).delete()
    if added:
        TaggedPost.objects.bulk_create([TaggedPost(content_object=post, tag_id=new[k]) for k in added],
                                       ignore_conflicts=True)
    if post.is_live:
        _counts_move([old[k] for k in removed], -1)
        _counts_move([new[k] for k in added], 1)
    if caption != post.caption:
        post.caption, post.caption_html = caption, caption_render(caption)
    for photo in post.photos.all():
        text = " ".join(((alt_texts or {}).get(photo.pk) or "").split())
        if alt_texts is not None and photo.pk in alt_texts:
            if not text:
                raise ValidationError(_("Every photo needs its alt text."), code="alt_missing")
            if text != photo.alt_text:
                photo.alt_text = text
                photo.save(update_fields=["alt_text"])
    if products is not None:
        PostProduct.objects.filter(post=post).delete()
        PostProduct.objects.bulk_create(
            [PostProduct(post=post, product=product, position=i) for i, product in enumerate(dict.fromkeys(products))])
    post.edited_at = timezone.now()
    post.save(update_fields=["caption", "caption_html", "edited_at"])
    wall_changed()
    tags_changed(set(old) | set(new))
    post_changed(post.pk)
    return post


@transaction.atomic
def post_delete(actor, post):
    """Delete a post with its photos' files (after commit), rows, likes and comments; its
    hashtags' counts move when it was live."""
    post = Post.objects.select_for_update().filter(pk=post.pk).first()
    if post is None:
        return
    tags = list(Hashtag.objects.filter(tagged_posts__content_object=post).values_list("pk", "key"))
    if post.is_live:
        _counts_move([pk for pk, _key in tags], -1)
    for photo in post.photos.all():
        image_delete_on_commit(photo.file, photo.renditions)
    post_deleting.send(sender=Post, post=post, actor=actor)
    pk = post.pk
    post.delete()
    wall_changed()
    tags_changed(key for _pk, key in tags)
    post_changed(pk)



def counters_recount():
    """Recompute every counter from the rows (manage.py posts_recount): hashtags' live posts, posts'
    likes and visible comments. Returns how many rows were corrected."""
    from .models import Comment

    fixed = 0
    live = Q(tagged_posts__content_object__status=Post.Status.PUBLISHED, tagged_posts__content_object__hidden=False)
    for tag in Hashtag.objects.annotate(n=Count("tagged_posts", filter=live)).exclude(post_count=F("n")).iterator():
        Hashtag.objects.filter(pk=tag.pk).update(post_count=tag.n)
        fixed += 1
    visible = Comment.objects.filter(post=OuterRef("pk"), hidden=False, deleted_at__isnull=True)
    likes = Post.objects.annotate(n=Count("likes")).exclude(like_count=F("n")).only("pk")
    for post in likes.iterator():
        Post.objects.filter(pk=post.pk).update(like_count=post.n)
        fixed += 1
    counted = Subquery(visible.order_by().values("post").annotate(c=Count("pk")).values("c")[:1])
    comments = Post.objects.annotate(n=Coalesce(counted, 0)).exclude(comment_count=F("n")).only("pk")
    for post in comments.iterator():
        Post.objects.filter(pk=post.pk).update(comment_count=post.n)
        fixed += 1
    return fixed
