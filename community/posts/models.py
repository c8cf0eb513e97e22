"""Hashtag photo posts: what members share on the wall at /posts/ and under /tags/<hashtag>/.

A post is one to six photos (each re-encoded by core.images, with alt text and responsive
renditions made off the request by core.renditions), a caption whose #hashtags become Hashtag
tags, optional products ("shop this look") and an optional lookbook page. Likes and comments
keep F() counters on the post. Hashtags keep the spelling first written and are looked up by a
normalised key (hashtags.hashtag_key: NFC + casefold), so #Été and #été are one tag.

Only posts whose author ticked the rights box (rights_granted_at, with the wording's version)
can be featured off the wall; withdrawing the consent un-features them everywhere.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import ItemBase, TagBase
from wagtail.search import index

CAPTION_MAX = 2200  # Instagram's limit: a caption written there fits here
COMMENT_MAX = 500
ALT_MAX = 250
PHOTOS_MAX = 6
HASHTAG_MAX = 100  # characters of one hashtag; longer ones are refused with a message


class Hashtag(TagBase):
    """A hashtag as first written (`name`), found by its normalised `key` (NFC, casefold)."""

    name = models.CharField(_("hashtag"), max_length=HASHTAG_MAX, unique=True)
    slug = models.SlugField(_("slug"), max_length=HASHTAG_MAX + 10, unique=True, allow_unicode=True)
    key = models.CharField(max_length=HASHTAG_MAX * 3, unique=True, editable=False,
                           help_text=_("The hashtag normalised for lookup (NFC, case-folded)."))
    # Published, visible posts under it (F() counter; recount with `posts_recount`).
    post_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("hashtag")
        verbose_name_plural = _("hashtags")

    def get_absolute_url(self):
        return reverse("posts:tag", args=[self.key])


class TaggedPost(ItemBase):
    tag = models.ForeignKey(Hashtag, on_delete=models.CASCADE, related_name="tagged_posts")
    content_object = models.ForeignKey("Post", on_delete=models.CASCADE, related_name="tagged_items")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_object", "tag"], name="posts_tag_once_per_post")]
        indexes = [models.Index(fields=["tag", "content_object"], name="posts_tagged_by_tag")]


class PostQuerySet(models.QuerySet):
    def live(self):
        """What the wall shows to everyone: published and not hidden."""
        return self.filter(status=Post.Status.PUBLISHED, hidden=False)

    def featurable(self):
        """What may be shown off the wall (home page, CMS blocks, campaign pages' highlights)."""
        return self.live().filter(rights_granted_at__isnull=False)


class Post(index.Indexed, models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        PUBLISHED = "published", _("published")
        REJECTED = "rejected", _("rejected")

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="photo_posts")
    caption = models.TextField(_("caption"), blank=True, validators=[MaxLengthValidator(CAPTION_MAX)])
    caption_html = models.TextField(editable=False, blank=True)  # escaped, with #hashtag and @mention links
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PUBLISHED)
    reject_reason = models.CharField(_("reason for rejecting"), max_length=300, blank=True)
    hidden = models.BooleanField(_("hidden"), default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    like_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    # The member's consent that the brand may feature the photos off the wall, credited to them.
    rights_granted_at = models.DateTimeField(_("rights granted at"), null=True, blank=True)
    rights_version = models.CharField(_("wording version"), max_length=16, blank=True)
    featured_at = models.DateTimeField(_("featured at"), null=True, blank=True)
    products = models.ManyToManyField("shop.Product", through="PostProduct", blank=True, related_name="photo_posts",
                                      verbose_name=_("products in the photo"))
    # A lookbook look (a Wagtail page; content sits above community, so the link is to the page).
    look = models.ForeignKey("wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("lookbook look"))

    tags = TaggableManager(through=TaggedPost, blank=True, verbose_name=_("hashtags"))

    objects = PostQuerySet.as_manager()

    search_fields = [
        index.SearchField("caption"),
        index.FilterField("status"),
        index.FilterField("hidden"),
        index.FilterField("author_id"),
    ]

    class Meta:
        verbose_name = _("photo post")
        verbose_name_plural = _("photo posts")
        indexes = [
            models.Index(fields=["status", "hidden", "-created_at", "-id"], name="posts_wall_newest"),
            models.Index(fields=["author", "-created_at"], name="posts_by_author"),
            models.Index(fields=["-featured_at"], condition=Q(featured_at__isnull=False), name="posts_featured"),
        ]

    def __str__(self):
        return f"{self.author} · {self.created_at:%Y-%m-%d} · {self.pk}"

    def get_absolute_url(self):
        return reverse("posts:detail", args=[self.pk])

    @property
    def is_live(self):
        return self.status == self.Status.PUBLISHED and not self.hidden


def photo_upload_to(instance, filename):
    # A fresh random name (core.images.image_process gives one): nothing of the original leaks.
    return f"posts/{filename}"


class PostPhoto(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="photos")
    position = models.PositiveSmallIntegerField(default=0)
    file = models.ImageField(upload_to=photo_upload_to, width_field="width", height_field="height")
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    alt_text = models.CharField(_("alt text"), max_length=ALT_MAX)

    class Meta:
        ordering = ["post", "position", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.file.name


class PostProduct(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="product_links")
    product = models.ForeignKey("shop.Product", on_delete=models.CASCADE, related_name="post_links")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["post", "product"], name="posts_product_once_per_post")]
        indexes = [models.Index(fields=["product", "post"], name="posts_by_product")]

    def __str__(self):
        return f"{self.post_id} → {self.product_id}"


class PostLike(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="likes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="photo_post_likes")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "member"], name="posts_like_once")]

    def __str__(self):
        return f"{self.member_id} ♥ {self.post_id}"


class Comment(models.Model):
    """A short plain-text comment. A deleted member's comments stay, shown as "deleted member"
    (their account row is a tombstone)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="photo_post_comments")
    body = models.TextField(_("comment"), validators=[MaxLengthValidator(COMMENT_MAX)])
    body_html = models.TextField(editable=False, blank=True)  # escaped, with @mention and #hashtag links
    created_at = models.DateTimeField(default=timezone.now)
    hidden = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment on a photo post")
        verbose_name_plural = _("comments on photo posts")
        indexes = [models.Index(fields=["post", "created_at"], name="posts_comments_in_order")]

    def __str__(self):
        return f"{self.post_id}: {self.body[:40]}"

    def get_absolute_url(self):
        return f"{self.post.get_absolute_url()}#comment-{self.pk}"


class HashtagFollow(models.Model):
    """A member following a hashtag: new posts under it reach their notifications, batched."""

    hashtag = models.ForeignKey(Hashtag, on_delete=models.CASCADE, related_name="follows")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hashtag_follows")
    created_at = models.DateTimeField(default=timezone.now)
    # New posts after this moment are the next batch's.
    notified_until = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["hashtag", "member"], name="posts_follow_once")]

    def __str__(self):
        return f"{self.member_id} → #{self.hashtag_id}"


class Campaign(models.Model):
    """A hashtag campaign set up by editors (Snippets → Campaigns): its page lists the entries."""

    hashtag = models.ForeignKey(Hashtag, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("hashtag"))
    title = models.CharField(_("title"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    prize_text = models.CharField(_("prize"), max_length=300, blank=True)
    hero_image = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("hero image"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                              name="posts_campaign_ends_after_start")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("posts:campaign", args=[self.slug])


class RightsEvent(models.Model):
    """Append-only record of a member granting or withdrawing the rights to feature a post's photos
    off the wall: when, and which version of the wording (social_settings.RIGHTS_VERSION) they
    ticked. The post's rights_granted_at/rights_version hold the current state; these rows are the
    history (the data export lists them; they go with the post)."""

    class Action(models.TextChoices):
        GRANT = "grant", _("granted")
        WITHDRAW = "withdraw", _("withdrawn")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="rights_events")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    version = models.CharField(_("wording version"), max_length=16, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("rights event")
        verbose_name_plural = _("rights events")
        indexes = [models.Index(fields=["post", "created_at"], name="posts_rights_events")]

    def __str__(self):
        return f"{self.post_id} {self.action} {self.version} {self.created_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("The rights record is append-only.")
        super().save(*args, **kwargs)
