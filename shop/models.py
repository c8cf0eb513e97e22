"""What the site knows of the store: products, orders, refunds, and the inbox of webhook deliveries.

The shop (checkout, payments) runs elsewhere. Orders arrive by signed webhook or CSV import; every
write is idempotent, enforced by unique constraints rather than by looking first.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable
from wagtail.search import index

ZERO = Decimal("0.00")


class Product(index.Indexed, ClusterableModel):
    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    shop_url = models.URLField(_("shop URL"), max_length=500, blank=True, help_text=_("Where to buy it in the shop."))
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2, validators=[MinValueValidator(ZERO)])
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    active = models.BooleanField(_("active"), default=True, help_text=_("Inactive products are hidden from the site."))
    product_type = models.CharField(
        _("product type"), max_length=64, blank=True, db_index=True,
        help_text=_("For example “Shoes” or “Skin care”: reviews ask the questions editors set for this type."))
    sizes = models.CharField(
        _("sizes"), max_length=200, blank=True,
        help_text=_("The sizes it comes in, separated by commas, for example “XS, S, M, L, XL”. Leave empty for one size."))
    colours = models.CharField(
        _("colours"), max_length=200, blank=True,
        help_text=_("Its colours, separated by commas, for example “Black, Sand”: the product list filters by them."))
    materials = models.TextField(
        _("materials"), blank=True, help_text=_("What it is made of and where; plain text, one line per material."))
    care_guide = models.TextField(
        _("care guide"), blank=True,
        help_text=_("How to wash, dry, store and repair it: plain text, a blank line between paragraphs. "
                    "Shown on the product page and sent in the care-tips e-mail a few days after delivery."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    search_fields = [
        index.SearchField("name"),
        index.SearchField("description"),
        index.AutocompleteField("name"),
        index.FilterField("active"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("shop:product_detail", kwargs={"slug": self.slug})

    @property
    def size_list(self):
        return split_list(self.sizes)

    @property
    def colour_list(self):
        return split_list(self.colours)

    @property
    def material_lines(self):
        return [line.strip() for line in self.materials.splitlines() if line.strip()]


def split_list(value):
    """“XS, S, M” -> ["XS", "S", "M"]: trimmed, empty items and repeats left out, order kept."""
    seen = []
    for item in value.split(","):
        item = item.strip()
        if item and item.casefold() not in (s.casefold() for s in seen):
            seen.append(item)
    return seen


class ProductImage(Orderable):
    """One more picture of a product, after its main image, in the product page's gallery."""

    product = ParentalKey(Product, on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ForeignKey("wagtailimages.Image", verbose_name=_("image"), on_delete=models.CASCADE, related_name="+")
    alt_text = models.CharField(
        _("alt text"), max_length=250, blank=True,
        help_text=_("What the picture shows, for people who cannot see it. Empty: the image's own description."))

    class Meta(Orderable.Meta):
        verbose_name = _("gallery picture")
        verbose_name_plural = _("gallery pictures")

    @property
    def alt(self):
        return self.alt_text or self.image.default_alt_text


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending payment")
        PAID = "paid", _("paid")
        PARTIALLY_REFUNDED = "partially_refunded", _("partially refunded")
        REFUNDED = "refunded", _("refunded")
        CANCELLED = "cancelled", _("cancelled")

    source = models.CharField(_("source"), max_length=32, help_text=_("Which shop or import it came from."))
    external_id = models.CharField(_("order id in the shop"), max_length=64)
    email = models.EmailField(_("customer e-mail"), help_text=_("Lower-cased and trimmed."))
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="orders",
    )
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.PENDING)
    subtotal = models.DecimalField(_("subtotal"), max_digits=12, decimal_places=2, default=ZERO)
    discount_total = models.DecimalField(_("discounts"), max_digits=12, decimal_places=2, default=ZERO)
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2, default=ZERO)
    refunded_total = models.DecimalField(_("refunded"), max_digits=12, decimal_places=2, default=ZERO)
    currency = models.CharField(_("currency"), max_length=3)
    discount_codes = models.JSONField(_("discount codes used"), default=list, blank=True)
    placed_at = models.DateTimeField(_("placed at"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    raw = models.JSONField(_("payload as received"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-placed_at"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="shop_order_unique_per_source"),
            models.CheckConstraint(condition=Q(total__gte=0) & Q(refunded_total__gte=0), name="shop_order_amounts_not_negative"),
        ]
        indexes = [
            models.Index(fields=["email"], name="shop_order_email"),
            models.Index(fields=["member", "-placed_at"], name="shop_order_member_placed"),
        ]

    def __str__(self):
        return f"{self.source} #{self.external_id}"

    @property
    def net_total(self):
        return self.total - self.refunded_total


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="order_lines")
    external_id = models.CharField(max_length=64, help_text=_("The line's id in the shop, or its position."))
    sku = models.CharField(_("SKU"), max_length=64, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(_("unit price"), max_digits=12, decimal_places=2)
    total = models.DecimalField(_("line total"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("order line")
        constraints = [models.UniqueConstraint(fields=["order", "external_id"], name="shop_orderline_unique_per_order")]

    def __str__(self):
        return f"{self.quantity} × {self.name or self.sku}"


class Refund(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="refunds")
    external_id = models.CharField(_("refund id in the shop"), max_length=64)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(ZERO)])
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    refunded_at = models.DateTimeField(_("refunded at"))
    raw = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["refunded_at"]
        verbose_name = _("refund")
        constraints = [
            models.UniqueConstraint(fields=["order", "external_id"], name="shop_refund_unique_per_order"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="shop_refund_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.order} refund {self.external_id}"


class RefundLine(models.Model):
    refund = models.ForeignKey(Refund, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="refund_lines")
    quantity = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["refund", "order_line"], name="shop_refundline_unique")]

    def __str__(self):
        return f"{self.quantity} × {self.order_line}"


class WebhookDelivery(models.Model):
    """The inbox: every signed delivery, stored once, processed in the background."""

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        PROCESSED = "processed", _("processed")
        FAILED = "failed", _("failed")

    source = models.CharField(_("source"), max_length=32)
    delivery_id = models.CharField(_("delivery id"), max_length=128)
    topic = models.CharField(_("topic"), max_length=64)
    payload = models.JSONField(_("payload"))
    order_ref = models.CharField(_("order id"), max_length=64, blank=True, help_text=_("The order this delivery is about."))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    error = models.TextField(_("last error"), blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [models.UniqueConstraint(fields=["source", "delivery_id"], name="shop_delivery_unique")]
        indexes = [
            models.Index(fields=["state", "received_at"], name="shop_delivery_state"),
            models.Index(fields=["source", "order_ref"], name="shop_delivery_order"),
        ]

    def __str__(self):
        return f"{self.source} {self.topic} {self.delivery_id}"


class OutboundDelivery(models.Model):
    """The outbox: an event this site tells the shop (a discount code to honour, or to stop
    honouring), sent by a background task after the write that made it commits, signed, and
    retried with backoff until the shop says yes (shop.outbound). One row per idempotency key, so
    an event is queued once however often the code that queues it runs; the shop receives the key
    with every attempt and stores an event once per key."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("refused by the shop (no more attempts)")

    event = models.CharField(_("event"), max_length=64)
    idempotency_key = models.CharField(_("idempotency key"), max_length=128, unique=True)
    payload = models.JSONField(_("payload"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_status = models.PositiveIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True,
                                           help_text=_("Empty once sent or refused."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outbound delivery")
        verbose_name_plural = _("outbound deliveries")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="shop_outbound_due")]

    def __str__(self):
        return f"{self.event} {self.idempotency_key}"
