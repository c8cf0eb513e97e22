"""Refer-and-earn: codes and links, clicks, who referred whom, rewards, and the points ledger.

Money-like values live in `LedgerEntry` alone, append-only. A `Reward` is the state of one promised
award (pending, approved, void, flagged, rejected); each of its moves appends ledger entries whose
unique `source_key` makes the move happen once, however often a webhook is replayed:

    created pending   +P pending    key  reward:<id>:pending
    approved          -P pending    key  reward:<id>:release
                      +P approved   key  reward:<id>:approve
    voided (pending)  -P pending    key  reward:<id>:void
    reversed          -P approved   key  reward:<id>:reverse   (refund or cancel after approval)

so a member's balance is the sum of their approved entries and "pending" the sum of their pending
ones; no amount is ever updated. The loyalty programme extends the ledger with its own kinds.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField

# Unambiguous characters for random codes: no 0/O, 1/I/L, no vowels but Y (so no words form by
# chance), upper case. 8 of them give 26^8 ≈ 2·10^11 codes: guessing one in bulk is hopeless
# against the click rate limit and the size of any member base.
CODE_ALPHABET = "23456789BCDFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8
VANITY_MIN, VANITY_MAX = 4, 24


class Channel(models.TextChoices):
    """Where a click came from (`?via=`); anything else is recorded as `other`."""

    LINK = "link", _("link")
    COPY = "copy", _("copied link")
    EMAIL = "email", _("e-mail")
    WHATSAPP = "whatsapp", _("WhatsApp")
    X = "x", _("X")
    FACEBOOK = "facebook", _("Facebook")
    TELEGRAM = "telegram", _("Telegram")
    QR = "qr", _("QR code")
    OTHER = "other", _("other")


class ReferralCode(models.Model):
    """A member's code. `code` is random (CODE_ALPHABET, upper case); `vanity` is an optional code
    the member chose, stored case-folded. `/r/<code>` accepts either, case-insensitively."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.CASCADE, related_name="referral_code",
    )
    code = models.CharField(_("code"), max_length=16, unique=True)
    vanity = models.CharField(_("chosen code"), max_length=VANITY_MAX, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    vanity_changed_at = models.DateTimeField(_("chosen code changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("referral code")
        verbose_name_plural = _("referral codes")

    def __str__(self):
        return self.vanity or self.code

    @property
    def public(self):
        """The code to show and share: the chosen one if there is one."""
        return self.vanity or self.code


class RetiredVanity(models.Model):
    """A vanity code the member chose before and replaced: it still opens their link (links they
    shared keep working) and nobody else may take it, so an old link can never credit another."""

    # null once its member's account is deleted: the code stays reserved, opening nothing
    code = models.ForeignKey(ReferralCode, verbose_name=_("code"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="retired")
    # the code itself; once its member's account is deleted, only a keyed hash of it ("h:…"), as
    # for retired usernames: enough to keep it reserved, not enough to read it
    vanity = models.CharField(_("earlier chosen code"), max_length=64, unique=True)
    retired_at = models.DateTimeField(_("replaced at"), default=timezone.now)

    class Meta:
        verbose_name = _("earlier chosen code")
        verbose_name_plural = _("earlier chosen codes")

    def __str__(self):
        return self.vanity


class Click(models.Model):
    """One visit of `/r/<code>`. Written in batches from a buffer; `token` (made when the click
    happened) makes a flush that is repeated after a crash insert each click once."""

    code = models.ForeignKey(ReferralCode, verbose_name=_("code"), on_delete=models.CASCADE, related_name="clicks")
    token = models.UUIDField(_("token"), default=uuid.uuid4, unique=True, editable=False)
    at = models.DateTimeField(_("at"), default=timezone.now)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.LINK)
    ip_hash = models.CharField(_("IP address (keyed hash)"), max_length=64, blank=True)
    device_hash = models.CharField(_("device (keyed hash)"), max_length=64, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("click")
        verbose_name_plural = _("clicks")
        indexes = [models.Index(fields=["code", "at"], name="referrals_click_code_at")]

    def __str__(self):
        return f"{self.code} {self.at:%Y-%m-%d %H:%M}"


class Sighting(models.Model):
    """Where a member was seen signing in or sharing (keyed hashes only), so a friend who signs up
    from the referrer's own browser or network can be flagged. Kept 90 days."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referral_sightings")
    ip_hash = models.CharField(max_length=64, blank=True)
    device_hash = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("sighting")
        verbose_name_plural = _("sightings")
        indexes = [
            models.Index(fields=["member", "at"], name="referrals_sighting_member_at"),
            models.Index(fields=["ip_hash"], name="referrals_sighting_ip"),
            models.Index(fields=["device_hash"], name="referrals_sighting_device"),
        ]

    def __str__(self):
        return f"{self.member} {self.at:%Y-%m-%d}"


class Referral(models.Model):
    """A friend who joined through a member. One per friend (the first referrer keeps them)."""

    class Via(models.TextChoices):
        LINK = "link", _("their link")
        TYPED = "typed", _("their code, typed at sign-up")
        NAME = "name", _("their name, given at sign-up")

    class NoReward(models.TextChoices):
        """Why a friend who qualified earned no reward (blank: they did, or have not qualified)."""

        CAP = "cap", _("the monthly limit of rewards for the referrer was reached")
        OFF = "off", _("the programme was not running when the friend qualified")
        REJECTED = "rejected", _("staff rejected this referral")

    class Review(models.TextChoices):
        CLEAR = "clear", _("no concerns")
        FLAGGED = "flagged", _("waiting for review")
        APPROVED = "approved", _("approved by staff")
        REJECTED = "rejected", _("rejected by staff")

    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("referrer"), on_delete=models.CASCADE, related_name="referrals_made",
    )
    friend = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("friend"), on_delete=models.CASCADE, related_name="referred_by",
    )
    code = models.ForeignKey(ReferralCode, verbose_name=_("code"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="referrals")
    via = models.CharField(_("how"), max_length=8, choices=Via.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, blank=True)
    click = models.ForeignKey(Click, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The attribution cookie's click token: links the click once a buffered click is flushed.
    click_token = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("joined at"), default=timezone.now)
    qualified_at = models.DateTimeField(_("qualified at"), null=True, blank=True)
    qualifying_order = models.ForeignKey(
        "shop.Order", verbose_name=_("qualifying order"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    no_reward = models.CharField(_("why no reward"), max_length=8, choices=NoReward.choices, blank=True)
    review = models.CharField(_("review"), max_length=8, choices=Review.choices, default=Review.CLEAR)
    review_reason = models.CharField(_("reason given to the referrer"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at"]
        permissions = [
            ("review_referral", _("Can approve or reject flagged referrals")),
            ("view_referral_report", _("Can see the referral funnel report")),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(referrer=models.F("friend")), name="referrals_not_self"),
        ]
        indexes = [models.Index(fields=["referrer", "-created_at"], name="referrals_referrer_created")]

    def __str__(self):
        return f"{self.referrer} → {self.friend}"


class FraudFlag(models.Model):
    """A rule that matched a referral. Flags hold rewards for staff; they never refuse silently."""

    class Rule(models.TextChoices):
        SELF = "self", _("the friend is the referrer")
        SAME_MAILBOX = "mailbox", _("same mailbox as the referrer")
        SAME_DEVICE = "device", _("signed up from the referrer's browser")
        SAME_NETWORK = "network", _("signed up from the referrer's network")
        DISPOSABLE = "disposable", _("disposable e-mail address")
        BURST = "burst", _("many sign-ups on one code in a short time")

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="flags")
    rule = models.CharField(_("rule"), max_length=16, choices=Rule.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("flagged at"), default=timezone.now)

    class Meta:
        verbose_name = _("fraud flag")
        verbose_name_plural = _("fraud flags")
        constraints = [models.UniqueConstraint(fields=["referral", "rule"], name="referrals_flag_once_per_rule")]

    def __str__(self):
        return f"{self.referral}: {self.get_rule_display()}"


class Reward(models.Model):
    """One promised award and where it stands. Its points move in the ledger (see module doc)."""

    class Side(models.TextChoices):
        REFERRER = "referrer", _("for the referrer")
        FRIEND = "friend", _("for the friend")

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        FLAGGED = "flagged", _("held for review")
        APPROVED = "approved", _("approved")
        VOID = "void", _("void")
        REJECTED = "rejected", _("rejected")
        REVERSED = "reversed", _("reversed")

    member = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.CASCADE,
                               related_name="referral_rewards")
    referral = models.ForeignKey(Referral, verbose_name=_("referral"), on_delete=models.CASCADE, related_name="rewards")
    side = models.CharField(_("side"), max_length=8, choices=Side.choices)
    points = models.PositiveIntegerField(_("points"), default=0)
    discount_code = models.CharField(_("discount code"), max_length=32, blank=True)
    discount_value = models.DecimalField(_("discount value"), max_digits=10, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING)
    reason = models.CharField(_("why, in plain words"), max_length=300, blank=True)
    order = models.ForeignKey("shop.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    due_at = models.DateTimeField(_("approved after"), help_text=_("The end of the return window."))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("referral reward")
        verbose_name_plural = _("referral rewards")
        ordering = ["-created_at"]
        constraints = [
            # one reward per side per referral: the source of idempotency for awarding
            models.UniqueConstraint(fields=["referral", "side"], name="referrals_reward_once_per_side"),
            models.UniqueConstraint(fields=["discount_code"], condition=~Q(discount_code=""),
                                    name="referrals_reward_code_unique"),
        ]
        indexes = [
            models.Index(fields=["state", "due_at"], name="referrals_reward_state_due"),
            models.Index(fields=["member", "-created_at"], name="referrals_reward_member"),
        ]

    def __str__(self):
        return f"{self.get_side_display()} · {self.member} · {self.get_state_display()}"


class LedgerEntry(models.Model):
    """Append-only points ledger, shared with loyalty. Never updated, never deleted (the admin is
    read-only; `manage.py ledger_reconcile` recomputes and reports differences)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")

    class Kind(models.TextChoices):
        REFERRAL_REFERRER = "referral_referrer", _("referral reward")
        REFERRAL_FRIEND = "referral_friend", _("welcome reward")
        REVERSAL = "reversal", _("reversal")
        ADJUSTMENT = "adjustment", _("adjustment by staff")
        # loyalty (referrals.loyalty): earning, and its reversal and expiry
        ORDER = "order", _("points for an order")
        ORDER_REFUND = "order_refund", _("order points taken back")
        REVIEW = "review", _("points for a review")
        PHOTO_POST = "photo_post", _("points for a photo post")
        SOLVED_ANSWER = "solved_answer", _("points for a solved forum answer")
        BIRTHDAY = "birthday", _("birthday points")
        SIGNUP = "signup", _("welcome points")
        PROFILE = "profile", _("points for completing the profile")
        EXPIRY = "expiry", _("points expired")
        REDEMPTION = "redemption", _("points turned into a discount code")
        CODE_REFUND = "code_refund", _("points back for an unused, expired discount code")
        # engagement.play: a seasonal challenge completed (the note names it)
        CHALLENGE = "challenge", _("points for a challenge")

    member = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.PROTECT,
                               related_name="ledger_entries")
    points = models.IntegerField(_("points"))
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    source_key = models.CharField(_("source"), max_length=200, unique=True)
    reward = models.ForeignKey(Reward, null=True, blank=True, on_delete=models.PROTECT, related_name="entries")
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["member", "status"], name="referrals_ledger_member_status"),
            # the trailing year's points (loyalty tiers) and a member's last activity (expiry)
            models.Index(fields=["member", "created_at"], name="referrals_ledger_member_at"),
        ]

    def __str__(self):
        return f"{self.member} {self.points:+d} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("Ledger entries are append-only: add a new entry instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Ledger entries are append-only: add a reversal instead.")


@register_setting(icon="link")
class ReferralProgramme(BaseGenericSetting):
    """The offer, set by editors in Settings → Referral programme."""

    class FriendReward(models.TextChoices):
        POINTS = "points", _("points")
        CODE = "code", _("a discount code")

    enabled = models.BooleanField(_("programme running"), default=True,
                                  help_text=_("When off, links still open the landing page but no new rewards are made."))
    referrer_points = models.PositiveIntegerField(_("points for the referrer"), default=500)
    friend_reward = models.CharField(_("the friend gets"), max_length=8, choices=FriendReward.choices,
                                     default=FriendReward.CODE)
    friend_points = models.PositiveIntegerField(_("points for the friend"), default=250)
    friend_code_value = models.DecimalField(_("friend's discount"), max_digits=8, decimal_places=2, default=10,
                                            validators=[MinValueValidator(0)])
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    minimum_order = models.DecimalField(_("minimum first order"), max_digits=10, decimal_places=2, default=30,
                                        validators=[MinValueValidator(0)],
                                        help_text=_("The friend's first paid order must reach this, net of refunds."))
    cookie_days = models.PositiveIntegerField(_("days a click is remembered"), default=30,
                                              validators=[MinValueValidator(1), MaxValueValidator(365)])
    qualify_days = models.PositiveIntegerField(_("days after joining to place the first order"), default=90,
                                               validators=[MinValueValidator(1), MaxValueValidator(730)])
    return_days = models.PositiveIntegerField(_("return window in days"), default=30,
                                              validators=[MaxValueValidator(365)],
                                              help_text=_("Rewards stay pending this long after the order is paid."))
    monthly_cap = models.PositiveIntegerField(_("rewards per referrer per month"), default=10,
                                              help_text=_("0 means no limit."))
    headline = models.CharField(_("offer headline"), max_length=120,
                                default="Give 10 €, get 500 points")
    friend_offer = models.CharField(_("what the friend is offered"), max_length=200,
                                    default="10 € off your first order of 30 € or more")
    terms = RichTextField(_("terms"), blank=True, features=["bold", "italic", "link", "ol", "ul"])
    share_image = models.ForeignKey("wagtailimages.Image", verbose_name=_("share image"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    help_text=_("Shown when a link is shared on social media (1200 × 630 works best)."))

    panels = [
        FieldPanel("enabled"),
        MultiFieldPanel([FieldPanel("headline"), FieldPanel("friend_offer"), FieldPanel("terms"),
                         FieldPanel("share_image")], heading=_("The offer")),
        MultiFieldPanel([FieldPanel("referrer_points"), FieldPanel("friend_reward"), FieldPanel("friend_points"),
                         FieldPanel("friend_code_value"), FieldPanel("currency")], heading=_("Rewards")),
        MultiFieldPanel([FieldPanel("minimum_order"), FieldPanel("cookie_days"), FieldPanel("qualify_days"),
                         FieldPanel("return_days"), FieldPanel("monthly_cap")], heading=_("Rules")),
    ]

    class Meta:
        verbose_name = _("referral programme")


class ReferrerName(models.Model):
    """A member's names as "Been referred by a friend?" matches them (referrals.names.name_key):
    their display name and their username, folded. Kept up to date by a post_save receiver
    (referrals.receivers_member) and removed with the account; only ever searched by exact key, so
    no list of members can be read from it."""

    member = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                  related_name="referrer_name")
    name_key = models.CharField(_("display name, folded"), max_length=120, blank=True, db_index=True)
    username_key = models.CharField(_("username, folded"), max_length=120, blank=True, db_index=True)

    class Meta:
        verbose_name = _("referrer name")
        verbose_name_plural = _("referrer names")

    def __str__(self):
        return self.name_key or self.username_key


class ReferralAskSent(models.Model):
    """The thank-you e-mail after a member's first paid order, which carries their own link: one
    row per member (the primary key), so a replayed order webhook never sends it twice."""

    member = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                  related_name="referral_ask_sent")
    order = models.ForeignKey("shop.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("referral thank-you e-mail")
        verbose_name_plural = _("referral thank-you e-mails")

    def __str__(self):
        return f"{self.member_id} {self.sent_at:%Y-%m-%d}"


# The loyalty programme's models belong to this app (referrals.loyalty, same label and migrations).
from .loyalty.models import LoyaltyAccount, LoyaltyProgramme, ShippingCode, Tier  # noqa: E402, F401

# Loyalty redemption's models live in their own module; imported here so Django finds them.
from .loyalty.redemption_models import DiscountCode, RedemptionOption  # noqa: E402, F401
