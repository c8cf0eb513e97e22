"""Product reviews, honest by construction (16 CFR 465).

One review per member and product (a unique constraint, so two submissions at once give one).
A rating change is kept as a ReviewRevision and the review shows "edited". The verified-buyer
badge is computed from the shop's orders (matched by the member's verified e-mail addresses) and
stored on the review, recomputed when an order of that member is paid, refunded or cancelled.

ProductRating is the aggregate a product page reads in one query: count, sum and the five star
counts of published, visible reviews, moved with F() in the same transaction as the change that
moves them (`reviews_recount` recomputes them from the rows).

Rejecting is limited to a fixed list of reasons (RejectReason) and every rejection is logged with
the review's rating, so staff can see rejections by star rating: suppression would show.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.search import index

TITLE_MAX = 120
BODY_MAX = 5000
PHOTOS_MAX = 4
ALT_MAX = 250


class RejectReason(models.TextChoices):
    """The only reasons a review may be rejected for. Being negative is not one of them."""

    SPAM = "spam", _("spam or advertising")
    OFF_TOPIC = "off_topic", _("off-topic")
    PERSONAL_DATA = "personal_data", _("contains personal data")
    ABUSIVE = "abusive", _("abusive or hateful")
    NOT_PRODUCT = "not_product", _("not about the product")


class ReviewAttribute(models.Model):
    """A question editors ask of reviews for one product type ("Fit", "Quality", "Would recommend")."""

    class Kind(models.TextChoices):
        SCALE = "scale", _("a scale of five (e.g. runs small … runs large)")
        RATING = "rating", _("a rating from 1 to 5")
        YES_NO = "yes_no", _("yes or no")

    product_type = models.CharField(_("product type"), max_length=64, db_index=True,
                                    help_text=_("As written on the products, e.g. “Shoes”."))
    code = models.SlugField(_("code"), max_length=40, help_text=_("A short name for it, e.g. “fit”."))
    label = models.CharField(_("question"), max_length=80)
    kind = models.CharField(_("kind of answer"), max_length=8, choices=Kind.choices, default=Kind.SCALE)
    low_label = models.CharField(_("lowest end"), max_length=40, blank=True,
                                 help_text=_("For a scale: the first answer, e.g. “Runs small”."))
    high_label = models.CharField(_("highest end"), max_length=40, blank=True,
                                  help_text=_("For a scale: the last answer, e.g. “Runs large”."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["product_type", "position", "pk"]
        verbose_name = _("review question")
        verbose_name_plural = _("review questions")
        constraints = [models.UniqueConstraint(fields=["product_type", "code"], name="reviews_attribute_once_per_type")]

    def __str__(self):
        return f"{self.product_type}: {self.label}"


class ReviewQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Review.Status.PUBLISHED, hidden=False)


class Review(index.Indexed, models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        PUBLISHED = "published", _("published")
        REJECTED = "rejected", _("rejected")

    product = models.ForeignKey("shop.Product", on_delete=models.CASCADE, related_name="reviews")
    # Deleting an account removes its reviews (receivers_member.py; README, "Members' data" says why).
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews")
    rating = models.PositiveSmallIntegerField(_("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    body = models.TextField(_("review"), validators=[MaxLengthValidator(BODY_MAX)])
    attributes = models.JSONField(_("answers"), default=dict, blank=True)  # {attribute code: 1..5 or bool}
    language = models.CharField(_("language"), max_length=8, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PUBLISHED)
    held_reason = models.CharField(max_length=200, blank=True)  # why it waits (a link, a word), for moderators
    reject_reason = models.CharField(_("reason for rejecting"), max_length=16, choices=RejectReason.choices,
                                     blank=True)
    hidden = models.BooleanField(_("hidden"), default=False)
    verified_buyer = models.BooleanField(_("verified buyer"), default=False)
    # Whether the member received (or will receive) a reward for reviewing: disclosed on the review.
    incentivised = models.BooleanField(_("rewarded for reviewing"), default=False)
    from_request = models.BooleanField(default=False)  # written from a review-request e-mail
    helpful_count = models.PositiveIntegerField(default=0)
    photo_count = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    rating_edited = models.BooleanField(default=False)
    brand_reply = models.TextField(_("the brand's reply"), blank=True, validators=[MaxLengthValidator(BODY_MAX)])
    brand_reply_at = models.DateTimeField(null=True, blank=True)
    brand_reply_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")

    objects = ReviewQuerySet.as_manager()

    # Indexed by the services once the write commits (services._index_after_commit), not by the
    # search backend's post_save handler: that runs inside the write's transaction, where the
    # PostgreSQL backend's index update (which rewrites other rows' title norms) deadlocks with
    # concurrent reviews and would break the review's own transaction.
    search_auto_update = False
    search_fields = [
        index.SearchField("title", boost=2),
        index.SearchField("body"),
        index.FilterField("status"),
        index.FilterField("hidden"),
        index.FilterField("product_id"),
    ]

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["product", "author"], name="reviews_once_per_member_and_product"),
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="reviews_rating_1_to_5"),
        ]
        indexes = [
            models.Index(fields=["product", "status", "hidden", "-created_at"], name="reviews_product_newest"),
            models.Index(fields=["product", "status", "hidden", "-helpful_count"], name="reviews_product_helpful"),
            models.Index(fields=["product", "status", "hidden", "rating"], name="reviews_product_rating"),
            models.Index(fields=["author", "-created_at"], name="reviews_by_author"),
        ]

    def __str__(self):
        return f"{self.product} · {self.rating}★ · {self.author}"

    def get_absolute_url(self):
        return f"{self.product.get_absolute_url()}#review-{self.pk}"


class ReviewRevision(models.Model):
    """What a review said before an edit (append-only)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="revisions")
    rating = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=TITLE_MAX)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review", "created_at", "pk"]

    def __str__(self):
        return f"{self.review_id} @ {self.created_at:%Y-%m-%d %H:%M}"


def photo_upload_to(instance, filename):
    # A fresh random name (core.images.image_process gives one): nothing of the original leaks.
    return f"reviews/{filename}"


class ReviewPhoto(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="photos")
    position = models.PositiveSmallIntegerField(default=0)
    file = models.ImageField(upload_to=photo_upload_to, width_field="width", height_field="height")
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    alt_text = models.CharField(_("alt text"), max_length=ALT_MAX, blank=True)

    class Meta:
        ordering = ["review", "position", "pk"]
        verbose_name = _("review photo")
        verbose_name_plural = _("review photos")

    def __str__(self):
        return f"{self.review_id} #{self.position + 1}"


class HelpfulVote(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="helpful_votes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_votes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "member"], name="reviews_helpful_once")]

    def __str__(self):
        return f"{self.member_id} → {self.review_id}"


class ProductRating(models.Model):
    """The aggregate of a product's published, visible reviews (F() counters)."""

    product = models.OneToOneField("shop.Product", on_delete=models.CASCADE, primary_key=True, related_name="rating")
    count = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)  # the sum of the ratings
    stars_1 = models.PositiveIntegerField(default=0)
    stars_2 = models.PositiveIntegerField(default=0)
    stars_3 = models.PositiveIntegerField(default=0)
    stars_4 = models.PositiveIntegerField(default=0)
    stars_5 = models.PositiveIntegerField(default=0)
    with_photos = models.PositiveIntegerField(default=0)
    verified = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.product_id}: {self.count}"

    @property
    def average(self):
        return round(self.total / self.count, 1) if self.count else None


class ReviewRejection(models.Model):
    """Append-only log of rejections with the rating rejected, for the by-stars report."""

    review = models.ForeignKey(Review, null=True, on_delete=models.SET_NULL, related_name="+")
    product = models.ForeignKey("shop.Product", null=True, on_delete=models.SET_NULL, related_name="+")
    rating = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=16, choices=RejectReason.choices)
    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return f"{self.review_id} {self.rating}★ {self.reason}"


class ReviewRequest(models.Model):
    """The e-mail asking a buyer to review what an order held: one per order, one reminder."""

    order = models.OneToOneField("shop.Order", on_delete=models.CASCADE, related_name="review_request")
    email = models.EmailField()
    due_at = models.DateTimeField(db_index=True)  # when the first e-mail goes
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)  # refunded, unsubscribed, nothing to review
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.order_id} → {self.email}"


class ReviewLinkUse(models.Model):
    """A signed review link used: one use per request and product (a unique constraint)."""

    request = models.ForeignKey(ReviewRequest, on_delete=models.CASCADE, related_name="uses")
    product = models.ForeignKey("shop.Product", on_delete=models.CASCADE, related_name="+")
    review = models.ForeignKey(Review, null=True, on_delete=models.SET_NULL, related_name="+")
    used_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "product"], name="reviews_link_once_per_product")]

    def __str__(self):
        return f"{self.request_id}/{self.product_id}"


@register_setting(icon="pick")
class ReviewPolicy(BaseGenericSetting):
    """What editors decide about reviews, in Settings → Review policy. The questions a product
    type asks are ReviewAttribute rows (Reviews → Review questions)."""

    non_buyers_may_review = models.BooleanField(
        _("members who have not bought the product may review it"), default=True,
        help_text=_("Their reviews carry no “verified buyer” badge."))
    auto_publish = models.BooleanField(
        _("publish reviews at once"), default=True,
        help_text=_("When off, every review waits for a moderator. Reviews with links or rude words always wait."))
    rewarded = models.BooleanField(
        _("reviewing earns a reward"), default=False,
        help_text=_("The same for every rating; each review then says “received points for reviewing”."))

    class Meta:
        verbose_name = _("review policy")

class ReviewRequestOptOut(models.Model):
    """An address that asked for no more review requests, kept only as a keyed hash (a customer
    without an account unsubscribed; members use their notification preferences)."""

    email_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.email_hash[:12]
