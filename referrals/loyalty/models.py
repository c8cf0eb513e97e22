"""The loyalty programme's settings, its tiers, and each member's loyalty state.

Points themselves live only in the ledger (referrals.models.LedgerEntry, kinds ORDER, REVIEW, …,
EXPIRY); nothing here holds an amount of points. LoyaltyAccount holds what the ledger cannot say
by itself: the tier a member is in now (tiers move up at once and down only a month after being
announced), the announcement, the last expiry warning, and the leaderboard choice.

These models belong to the referrals app (imported by referrals.models; migrations in
referrals/migrations).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


class CapPeriod(models.TextChoices):
    DAY = "day", _("a day")
    MONTH = "month", _("a month")


class TierBasis(models.TextChoices):
    POINTS = "points", _("points earned in the last 12 months")
    SPENT = "spent", _("amount spent in the last 12 months")


def _rule_panel(prefix, heading, capped=True):
    fields = [FieldPanel(f"{prefix}_enabled"), FieldPanel(f"{prefix}_points")]
    if capped:
        fields.append(FieldRowPanel([FieldPanel(f"{prefix}_cap"), FieldPanel(f"{prefix}_cap_period")]))
    return MultiFieldPanel(fields, heading=heading)


@register_setting(icon="pick")
class LoyaltyProgramme(BaseGenericSetting):
    """What earns points and how many, how tiers are decided, and when points expire. Edited in
    Settings → Loyalty programme; the tiers themselves are in Loyalty → Tiers."""

    enabled = models.BooleanField(_("programme running"), default=True,
                                  help_text=_("When off, no new points are earned; balances and tiers stay."))
    currency = models.CharField(_("currency"), max_length=3, default="EUR",
                                help_text=_("Orders in this currency earn points; thresholds by amount use it."))

    # orders
    order_enabled = models.BooleanField(_("orders earn points"), default=True)
    order_points_per_unit = models.DecimalField(
        _("points per currency unit"), max_digits=6, decimal_places=2, default=Decimal("1"),
        validators=[MinValueValidator(0)], help_text=_("Of the amount paid, net of refunds. Rounded down."))
    order_pending_days = models.PositiveIntegerField(
        _("days order points stay pending"), default=30, validators=[MaxValueValidator(365)],
        help_text=_("The return window: a refund in this time takes the points back before they can be spent."))

    review_enabled = models.BooleanField(_("reviews earn points"), default=True,
                                         help_text=_("The same for every rating. Rewarded reviews say so on the site."))
    review_points = models.PositiveIntegerField(_("points per published review"), default=50)
    review_cap = models.PositiveIntegerField(_("at most"), default=5, help_text=_("Awards per member; 0: no limit."))
    review_cap_period = models.CharField(_("per"), max_length=8, choices=CapPeriod.choices, default=CapPeriod.MONTH)

    photo_post_enabled = models.BooleanField(_("photo posts earn points"), default=True)
    photo_post_points = models.PositiveIntegerField(_("points per published photo post"), default=25)
    photo_post_cap = models.PositiveIntegerField(_("at most"), default=3, help_text=_("Awards per member; 0: no limit."))
    photo_post_cap_period = models.CharField(_("per"), max_length=8, choices=CapPeriod.choices, default=CapPeriod.DAY)

    solved_answer_enabled = models.BooleanField(_("solved forum answers earn points"), default=True)
    solved_answer_points = models.PositiveIntegerField(_("points per answer marked as the solution"), default=20)
    solved_answer_cap = models.PositiveIntegerField(_("at most"), default=10,
                                                    help_text=_("Awards per member; 0: no limit."))
    solved_answer_cap_period = models.CharField(_("per"), max_length=8, choices=CapPeriod.choices,
                                                default=CapPeriod.MONTH)

    birthday_enabled = models.BooleanField(_("birthdays earn points"), default=True)
    birthday_points = models.PositiveIntegerField(_("birthday points"), default=100,
                                                  help_text=_("Once a year, plus the tier's birthday bonus."))
    signup_enabled = models.BooleanField(_("joining earns points"), default=True)
    signup_points = models.PositiveIntegerField(_("welcome points"), default=50)
    profile_enabled = models.BooleanField(_("a complete profile earns points"), default=True)
    profile_points = models.PositiveIntegerField(_("points for a complete profile"), default=50,
                                                 help_text=_("Once: a display name, a picture and a short bio."))

    tier_basis = models.CharField(_("tiers are decided by"), max_length=8, choices=TierBasis.choices,
                                  default=TierBasis.POINTS)
    downgrade_notice_days = models.PositiveIntegerField(
        _("days' notice before moving down a tier"), default=30, validators=[MaxValueValidator(365)])

    expiry_days = models.PositiveIntegerField(
        _("points expire after this many days without activity"), default=365, validators=[MaxValueValidator(3650)],
        help_text=_("Activity: earning or spending points. 0: points never expire."))
    expiry_warning_days = models.PositiveIntegerField(_("warn this many days before"), default=30,
                                                      validators=[MaxValueValidator(365)])

    leaderboard_enabled = models.BooleanField(_("monthly leaderboard"), default=True,
                                              help_text=_("Only members who opt in are listed, by display name."))

    panels = [
        FieldPanel("enabled"),
        FieldPanel("currency"),
        MultiFieldPanel([FieldPanel("order_enabled"), FieldPanel("order_points_per_unit"),
                         FieldPanel("order_pending_days")], heading=_("Orders")),
        _rule_panel("review", _("Reviews")),
        _rule_panel("photo_post", _("Photo posts")),
        _rule_panel("solved_answer", _("Forum answers")),
        _rule_panel("birthday", _("Birthday"), capped=False),
        _rule_panel("signup", _("Joining"), capped=False),
        _rule_panel("profile", _("Profile"), capped=False),
        MultiFieldPanel([FieldPanel("tier_basis"), FieldPanel("downgrade_notice_days")], heading=_("Tiers")),
        MultiFieldPanel([FieldPanel("expiry_days"), FieldPanel("expiry_warning_days")], heading=_("Expiry")),
        FieldPanel("leaderboard_enabled"),
    ]

    class Meta:
        verbose_name = _("loyalty programme")


class Tier(models.Model):
    """A level members reach by what they earned (or spent) in the last 12 months. The tier with
    the lowest threshold (usually 0) is where everyone starts."""

    name = models.CharField(_("name"), max_length=60)
    threshold = models.PositiveIntegerField(
        _("threshold"), unique=True,
        help_text=_("Points earned (or whole currency units spent, as the programme says) in the last 12 months."))
    multiplier = models.DecimalField(_("points multiplier"), max_digits=4, decimal_places=2, default=Decimal("1"),
                                     validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("10"))],
                                     help_text=_("Points earned are multiplied by this (1.25 = a quarter more)."))
    birthday_bonus = models.PositiveIntegerField(_("birthday bonus points"), default=0)
    free_shipping = models.BooleanField(
        _("free shipping"), default=False,
        help_text=_("Members who reach this tier get a free-shipping code for the shop, for every order of theirs "
                    "while they stay in the tier; it is withdrawn when they leave it."))
    benefits = models.TextField(_("benefits"), blank=True,
                                help_text=_("One benefit a line, as members read them (early access, free shipping…)."))

    panels = [FieldPanel("name"), FieldPanel("threshold"), FieldPanel("multiplier"), FieldPanel("birthday_bonus"),
              FieldPanel("free_shipping"), FieldPanel("benefits")]

    class Meta:
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")
        ordering = ["threshold"]

    def __str__(self):
        return self.name

    @property
    def benefit_lines(self):
        return [line.strip() for line in self.benefits.splitlines() if line.strip()]


class LoyaltyAccount(models.Model):
    """A member's loyalty state beside the ledger: one row per member (the primary key), made
    when first needed. `tier` None means the lowest tier."""

    member = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                  related_name="loyalty")
    tier = models.ForeignKey(Tier, verbose_name=_("tier"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    tier_since = models.DateTimeField(_("in this tier since"), default=timezone.now)
    # A move down announced and not yet made: to this tier (None: the lowest), from this day on.
    downgrade_to = models.ForeignKey(Tier, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    downgrade_announced_at = models.DateTimeField(_("move down announced at"), null=True, blank=True)
    downgrade_on = models.DateTimeField(_("moves down on"), null=True, blank=True)
    leaderboard = models.BooleanField(_("shown on the leaderboard"), default=False)

    class Meta:
        verbose_name = _("loyalty account")
        verbose_name_plural = _("loyalty accounts")
        indexes = [models.Index(fields=["downgrade_on"], name="referrals_loyalty_downgrade")]

    def __str__(self):
        return f"{self.member_id} · {self.tier or '-'}"


class ShippingCode(models.Model):
    """A free-shipping code a member got by reaching a tier with free shipping: one per tier period
    (the unique member + period_start, which is LoyaltyAccount.tier_since when it was made), good
    for every order of that member (the shop gets their e-mail address) while the period lasts.
    Told to the shop by the outbound webhook; withdrawn (cancelled) when the member leaves the
    tier. Holds no points: the ledger is not involved. Rules in referrals.loyalty.perks."""

    class State(models.TextChoices):
        READY = "ready", _("ready to use")
        CANCELLED = "cancelled", _("withdrawn")

    member = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.CASCADE,
                               related_name="shipping_codes")
    tier = models.ForeignKey(Tier, verbose_name=_("tier"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    period_start = models.DateTimeField(_("in the tier since"))
    code = models.CharField(_("code"), max_length=40, unique=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.READY)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("free-shipping code")
        verbose_name_plural = _("free-shipping codes")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["member", "period_start"], name="referrals_shipping_code_period"),
        ]

    def __str__(self):
        return self.code
