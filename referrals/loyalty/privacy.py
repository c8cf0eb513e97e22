"""Loyalty's part in a member's data export and account deletion (community.members.signals;
README.md, "Members' data", documents the `loyalty` section and what deletion keeps).

Export: the member's tier (and since when), a move down announced (to which tier, on which day),
whether they chose to be on the leaderboard, their points (to spend and pending) and when the
points would expire. Their ledger entries, loyalty's included, are in the `referrals` section.

Export also lists the member's free-shipping codes (referrals.loyalty.perks).

Deletion: unused free-shipping codes are withdrawn (the shop hears `discount_code.cancelled`);
the loyalty account (tier, announcement, leaderboard choice) goes, so the member leaves
the leaderboard at once; the ledger entries stay with the tombstone, as referrals.privacy says
(append-only; they hold points, kinds, dates and source keys, no name or free text).
"""

import datetime

from django.db import transaction
from django.db.models import Max, Q, Sum
from django.db.models.functions import Coalesce
from django.dispatch import receiver

from community.members.signals import member_data_requested, member_deleting
from core.versions import version_bump

from ..models import LedgerEntry
from .expiry import ACTIVITY
from .models import LoyaltyAccount, ShippingCode
from .perks import shipping_code_sync
from .redeem_privacy import codes_export
from .rules import programme
from .selectors import LEADERBOARD_VERSION

SECTION = "loyalty"


def _iso(value):
    return value.isoformat() if value else None


def loyalty_export(member):
    """Four queries (the codes' is redemption's): the account with its tiers, the programme, and one pass over the ledger."""
    account = LoyaltyAccount.objects.select_related("tier", "downgrade_to").filter(member=member).first()
    prog = programme()
    sums = LedgerEntry.objects.filter(member=member).aggregate(
        approved=Coalesce(Sum("points", filter=Q(status=LedgerEntry.Status.APPROVED)), 0),
        pending=Coalesce(Sum("points", filter=Q(status=LedgerEntry.Status.PENDING)), 0),
        last=Max("created_at", filter=ACTIVITY))
    expires_at = None
    if prog.expiry_days and sums["last"] is not None and sums["approved"] > 0:
        expires_at = sums["last"] + datetime.timedelta(days=prog.expiry_days)
    return {
        "tier": account.tier.name if account and account.tier else None,
        "tier_since": _iso(account.tier_since) if account and account.tier else None,
        "moving_down_on": _iso(account.downgrade_on) if account else None,
        "moving_down_to": account.downgrade_to.name if account and account.downgrade_on and account.downgrade_to
        else None,
        "on_leaderboard": bool(account and account.leaderboard),
        "points_to_spend": sums["approved"],
        "points_pending": sums["pending"],
        "points_expire_at": _iso(expires_at),
        "points_expiring": sums["approved"] if expires_at else 0,
        "discount_codes": codes_export(member),  # redemption's (referrals.loyalty.redeem_privacy)
        "free_shipping_codes": [
            {"code": code.code, "tier": code.tier.name if code.tier else None, "state": code.state,
             "tier_since": _iso(code.period_start), "created_at": _iso(code.created_at), "used_at": _iso(code.used_at),
             "withdrawn_at": _iso(code.closed_at)}
            for code in ShippingCode.objects.filter(member=member).select_related("tier").order_by("created_at", "pk")
        ],
    }


def loyalty_erase(member):
    # unused free-shipping codes are withdrawn (the shop is told): nobody is left in the tier
    with transaction.atomic():
        shipping_code_sync(LoyaltyAccount(member_id=member.pk, tier=None))
    LoyaltyAccount.objects.filter(member=member).delete()
    version_bump(LEADERBOARD_VERSION)  # off the cached leaderboard at once


@receiver(member_data_requested, dispatch_uid="referrals_loyalty_export")
def export_loyalty(sender, member, **kwargs):
    return SECTION, loyalty_export(member)


@receiver(member_deleting, dispatch_uid="referrals_loyalty_delete")
def forget_loyalty(sender, member, **kwargs):
    loyalty_erase(member)
