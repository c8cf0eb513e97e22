"""Redemption: the table of what points buy (RedemptionOption, set by editors) and the discount
codes members made with them (DiscountCode). Imported by referrals.models, so Django finds them in
the referrals app; the rules are in referrals.loyalty.redemption."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel


class RedemptionOption(models.Model):
    """One line of the table editors set: so many points buy a discount code of this value."""

    points = models.PositiveIntegerField(_("points"), validators=[MinValueValidator(1)])
    value = models.DecimalField(_("discount value"), max_digits=8, decimal_places=2,
                                validators=[MinValueValidator(0.01)])
    currency = models.CharField(_("currency"), max_length=3, default="EUR",
                                help_text=_("ISO 4217, for example EUR."))
    valid_days = models.PositiveIntegerField(_("days the code is valid"), default=90,
                                             validators=[MinValueValidator(1), MaxValueValidator(730)],
                                             help_text=_("An unused code expires then, and its points come back."))
    enabled = models.BooleanField(_("offered"), default=True,
                                  help_text=_("When off, members no longer see it; codes already made stay valid."))
    position = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("Lower comes first."))

    panels = [
        FieldRowPanel([FieldPanel("points"), FieldPanel("value"), FieldPanel("currency")]),
        FieldRowPanel([FieldPanel("valid_days"), FieldPanel("position")]),
        FieldPanel("enabled"),
    ]

    class Meta:
        verbose_name = _("redemption option")
        verbose_name_plural = _("redemption options")
        ordering = ["position", "points", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(points__gt=0) & Q(value__gt=0), name="referrals_redemption_positive"),
        ]

    def __str__(self):
        return _("%(points)s points → %(value)s %(currency)s") % {
            "points": self.points, "value": self.value, "currency": self.currency}


class DiscountCode(models.Model):
    """A single-use shop discount code a member bought with points. Its points left the ledger in
    the transaction that made it (entry `redeem:<id>`); if it expires unused they come back
    (`code-refund:<id>`). The shop learns of it by the outbound webhook."""

    class State(models.TextChoices):
        READY = "ready", _("ready to use")
        USED = "used", _("used")
        EXPIRED = "expired", _("expired")
        CANCELLED = "cancelled", _("cancelled")

    member = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.PROTECT,
                               related_name="loyalty_codes")
    option = models.ForeignKey(RedemptionOption, verbose_name=_("option"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="codes")
    code = models.CharField(_("code"), max_length=32, unique=True)
    # the form's one-time key: a double-clicked or replayed POST makes one code, not two
    request_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    points = models.PositiveIntegerField(_("points"))
    value = models.DecimalField(_("discount value"), max_digits=8, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.READY)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    used_order = models.ForeignKey("shop.Order", verbose_name=_("used on order"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(_("expired or cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("points discount code")
        verbose_name_plural = _("points discount codes")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("view_loyalty_report", _("Can see the loyalty report and export discount codes")),
            ("adjust_points", _("Can adjust a member's points")),
        ]
        indexes = [
            models.Index(fields=["member", "-created_at"], name="referrals_code_member"),
            models.Index(fields=["state", "expires_at"], name="referrals_code_state_expiry"),
        ]

    def __str__(self):
        return self.code
