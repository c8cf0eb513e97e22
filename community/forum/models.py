"""The member forum: categories, topics, posts (the opening post is number 1, replies follow),
likes, read positions and subscriptions. Reports, suspensions and the moderators' log are
community.moderation's, for every kind of member-written content.

Counters (replies, likes, topics per category) are changed with F() in the transaction that
changes the rows, and `manage.py forum_recount` recomputes them from the rows. Read positions are
one row per member and topic, written only by that member's own visits (Discourse's model):
posting never writes to other members' rows.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import ItemBase, TagBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from core.reverse import reverse_kept

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}\Z", _("A colour such as #0f5c4d."))


class Category(models.Model):
    """A place for topics. One level of sub-categories; ordered by position."""

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=True,
                            help_text=_("The address: /forum/c/<slug>/. Letters of any script, digits and hyphens."))
    description = models.CharField(_("description"), max_length=300, blank=True)
    # The name and description in the other languages (empty: the English one is shown, marked
    # lang="en"). One category for all languages, so a topic is found whatever language it is read in.
    name_el = models.CharField(_("name in Greek"), max_length=80, blank=True)
    description_el = models.CharField(_("description in Greek"), max_length=300, blank=True)
    name_nb = models.CharField(_("name in Norwegian"), max_length=80, blank=True)
    description_nb = models.CharField(_("description in Norwegian"), max_length=300, blank=True)
    name_hu = models.CharField(_("name in Hungarian"), max_length=80, blank=True)
    description_hu = models.CharField(_("description in Hungarian"), max_length=300, blank=True)
    colour = models.CharField(_("colour"), max_length=7, default="#0f5c4d", validators=[colour_validator])
    parent = models.ForeignKey("self", verbose_name=_("parent category"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children", help_text=_("Optional: one level deep only."))
    position = models.PositiveIntegerField(_("position"), default=0, help_text=_("Lower comes first."))
    staff_only_topics = models.BooleanField(_("only staff start topics"), default=False,
                                            help_text=_("Members may still reply. For announcements."))
    members_only = models.BooleanField(_("members only"), default=False,
                                       help_text=_("Only signed-in members see this category and its topics."))
    topic_count = models.PositiveIntegerField(default=0, editable=False)
    post_count = models.PositiveIntegerField(default=0, editable=False)
    last_posted_at = models.DateTimeField(null=True, blank=True, editable=False)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("colour"), FieldPanel("position")]),
        FieldPanel("parent"),
        MultiFieldPanel([FieldPanel("staff_only_topics"), FieldPanel("members_only")], heading=_("Who may")),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("name_el"), FieldPanel("description_el")]),
            FieldRowPanel([FieldPanel("name_nb"), FieldPanel("description_nb")]),
            FieldRowPanel([FieldPanel("name_hu"), FieldPanel("description_hu")]),
        ], heading=_("Translations")),
    ]

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("forum category")
        verbose_name_plural = _("forum categories")

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id and self.parent else self.name

    def get_absolute_url(self):
        return reverse_kept("forum:category", slug=self.slug)

    TRANSLATED = ("el", "nb", "hu")

    def _localized(self, field):
        code = translation.get_language() or ""
        if code in self.TRANSLATED:
            value = getattr(self, f"{field}_{code}")
            if value:
                return value
        return getattr(self, field)

    @property
    def localized_name(self):
        """The name in the language being read, else the English one."""
        return self._localized("name")

    @property
    def localized_description(self):
        return self._localized("description")

    @property
    def text_lang(self):
        """The language the localized name is in: "" when it is the page's, else the default's code
        (for a lang attribute around an English name under /el/)."""
        code = translation.get_language() or ""
        if code in self.TRANSLATED and not getattr(self, f"name_{code}"):
            return settings.LANGUAGE_CODE
        return ""

    def clean(self):
        if self.parent_id:
            if self.parent_id == self.pk:
                raise ValidationError({"parent": _("A category cannot be its own parent.")})
            if self.parent.parent_id:
                raise ValidationError({"parent": _("Sub-categories go one level deep: choose a top-level category.")})
            if self.pk and self.children.exists():
                raise ValidationError({"parent": _("This category has sub-categories, so it must stay at the top level.")})


class ForumTag(TagBase):
    """Topic tags, apart from the blog's, so each has its own vocabulary. Names in any script."""

    slug = models.SlugField(verbose_name=_("slug"), unique=True, max_length=100, allow_unicode=True)

    class Meta:
        verbose_name = _("forum tag")
        verbose_name_plural = _("forum tags")

    def slugify(self, tag, i=None):
        from django.utils.text import slugify

        slug = slugify(tag, allow_unicode=True) or "tag"
        return f"{slug}-{i}" if i is not None else slug


class TaggedTopic(ItemBase):
    tag = models.ForeignKey(ForumTag, on_delete=models.CASCADE, related_name="tagged_topics")
    content_object = models.ForeignKey("Topic", on_delete=models.CASCADE, related_name="tagged_items")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_object", "tag"], name="forum_tag_once_per_topic")]

    def __str__(self):
        return f"{self.content_object_id}: {self.tag_id}"


class TopicQuerySet(models.QuerySet):
    def live(self):
        return self.filter(deleted_at__isnull=True, hidden=False, approved=True)


class Topic(index.Indexed, models.Model):
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="topics")
    title = models.CharField(_("title"), max_length=150)
    slug = models.SlugField(max_length=150, allow_unicode=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="forum_topics")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_posted_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_poster = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    # The highest post number given out (deleted and hidden posts keep theirs): the unread
    # arithmetic of the lists, with each member's last read number.
    last_post_number = models.PositiveIntegerField(default=1)
    reply_count = models.PositiveIntegerField(default=0)
    like_count = models.PositiveIntegerField(default=0)
    solution = models.ForeignKey("Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    pinned = models.BooleanField(_("pinned"), default=False)
    locked = models.BooleanField(_("locked"), default=False, help_text=_("Nobody can reply; it stays visible."))
    closed = models.BooleanField(_("closed"), default=False, help_text=_("Finished: no new replies."))
    hidden = models.BooleanField(_("hidden"), default=False)
    approved = models.BooleanField(default=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    tags = TaggableManager(through=TaggedTopic, blank=True, verbose_name=_("tags"))

    objects = TopicQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=3),
        index.AutocompleteField("title"),
        index.FilterField("hidden"),
        index.FilterField("approved"),
        index.FilterField("deleted_at"),
        index.FilterField("category_id"),
    ]

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        indexes = [
            models.Index(fields=["category", "-pinned", "-last_posted_at"], name="forum_topic_category_list"),
            models.Index(fields=["-last_posted_at"], name="forum_topic_latest"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse_kept("forum:topic", slug=self.slug, pk=self.pk)

    def post_url(self, number):
        return reverse_kept("forum:post", slug=self.slug, pk=self.pk, number=number)


class PostQuerySet(models.QuerySet):
    def visible(self):
        """Posts shown in a topic to everyone: deleted ones stay as a placeholder, hidden and
        unapproved ones are left out."""
        return self.filter(hidden=False, approved=True)


class Post(index.Indexed, models.Model):
    # No index of its own: the unique (topic, number) index serves every lookup by topic, and a
    # page of a long topic reads a range of it.
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts", db_index=False)
    number = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="forum_posts")
    body = models.TextField(_("text"))
    body_html = models.TextField(editable=False)  # rendered and sanitised when written
    reply_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    like_count = models.PositiveIntegerField(default=0)
    hidden = models.BooleanField(default=False)
    approved = models.BooleanField(default=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = PostQuerySet.as_manager()

    search_fields = [
        index.SearchField("body"),
        index.FilterField("hidden"),
        index.FilterField("approved"),
        index.FilterField("deleted_at"),
        index.FilterField("topic_id"),
    ]

    class Meta:
        ordering = ["number"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [models.UniqueConstraint(fields=["topic", "number"], name="forum_post_number_once_per_topic")]
        indexes = [models.Index(fields=["author", "-created_at"], name="forum_post_author_recent")]

    def __str__(self):
        return f"{self.topic.title} #{self.number}"

    def get_absolute_url(self):
        return self.topic.post_url(self.number)

    @property
    def is_deleted(self):
        return self.deleted_at is not None


class PostRevision(models.Model):
    """The text of a post before each edit, for moderators. Append-only."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.post} ({self.created_at:%Y-%m-%d %H:%M})"


class PostLike(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="likes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_likes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "member"], name="forum_like_once")]

    def __str__(self):
        return f"{self.member} likes {self.post}"


class TopicReadState(models.Model):
    """How far a member has read a topic: the highest post number they have seen."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="read_states")
    last_read_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "topic"], name="forum_read_state_once")]

    def __str__(self):
        return f"{self.member} read {self.topic_id} to #{self.last_read_number}"


class SubscriptionLevel(models.TextChoices):
    WATCHING = "watching", _("Watching")
    MUTED = "muted", _("Muted")


class TopicSubscription(models.Model):
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="subscriptions")
    level = models.CharField(max_length=10, choices=SubscriptionLevel.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "topic"], name="forum_topic_subscription_once")]

    def __str__(self):
        return f"{self.member} {self.level} {self.topic_id}"


class CategorySubscription(models.Model):
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="subscriptions")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "category"], name="forum_category_subscription_once")]

    def __str__(self):
        return f"{self.member} watches {self.category_id}"


class ModerationAction(models.TextChoices):
    """The codes the forum writes to the moderation log (community.moderation.ModerationLog); the
    post actions are the queue's own, the topic actions the forum's (labelled in apps.py)."""

    HIDE_POST = "hide", _("hid an item")
    RESTORE_POST = "restore", _("restored an item")
    APPROVE_POST = "approve", _("approved an item")
    DELETE_POST = "delete", _("deleted an item")
    HIDE_TOPIC = "hide_topic", _("hid a topic")
    RESTORE_TOPIC = "restore_topic", _("restored a topic")
    LOCK = "lock", _("locked a topic")
    UNLOCK = "unlock", _("unlocked a topic")
    CLOSE = "close", _("closed a topic")
    REOPEN = "reopen", _("reopened a topic")
    PIN = "pin", _("pinned a topic")
    UNPIN = "unpin", _("unpinned a topic")
    MOVE = "move", _("moved a topic")
    MERGE = "merge", _("merged a topic")


def upload_to(instance, filename):
    # A fresh random name (core.images.image_process gives one): nothing of the original file leaks.
    return f"forum/{filename}"


class Upload(models.Model):
    """A picture a member added to a post, re-encoded as WebP. Posts show it by its URL, which the
    sanitiser lets through because it is under MEDIA_URL, with its responsive renditions once a
    background task has made them (core.renditions)."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_uploads")
    file = models.ImageField(upload_to=upload_to, width_field="width", height_field="height")
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("picture in a post")
        verbose_name_plural = _("pictures in posts")

    def __str__(self):
        return self.file.name


class ProductMention(models.Model):
    """A post that links to a product's page: the product page lists the topics that talk about it.

    Written by services.posting when a post is written or edited (community.forum.product_links),
    so the product page reads an index, never the posts' text. The topic is read through the post,
    so a merge that moves posts needs no update here."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="product_mentions")
    product = models.ForeignKey("shop.Product", on_delete=models.CASCADE, related_name="forum_mentions")

    class Meta:
        verbose_name = _("product mention")
        verbose_name_plural = _("product mentions")
        constraints = [models.UniqueConstraint(fields=["post", "product"], name="forum_product_mention_once")]

    def __str__(self):
        return f"{self.post_id} → {self.product_id}"
