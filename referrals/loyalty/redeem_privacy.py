"""Redemption's part in a member's data export and account deletion (README.md, "Members' data").

Export: the member's discount codes (code, value, points, state, dates), in the `loyalty` section
as `discount_codes` (referrals.loyalty.privacy adds them); their redemption, refund and adjustment
entries are in `referrals` → `ledger`.

Deletion: the discount codes stay valid until they expire: the member paid for them with points,
they are bearer codes the shop honours without an account, and they hold no personal data (a
random code, a value, dates). An unused one expires without a refund (nobody is left to receive
it). Staff's written reasons on the member's adjustments (ledger notes, and the reason in
Wagtail's log of the adjustment) are blanked, as referrals blanks staff's reasons on referrals:
they may name the member. The entries' points stay, as the append-only ledger does.
"""

from django.dispatch import receiver
from wagtail.models import ModelLogEntry

from community.members.signals import member_deleting

from ..models import DiscountCode, LedgerEntry
from .redemption import ADJUST_ACTION


def _iso(value):
    return value.isoformat() if value else None


def codes_export(member):
    """The member's discount codes, oldest first (one query)."""
    return [
        {"code": code.code, "value": f"{code.value:.2f}", "currency": code.currency, "points": code.points,
         "state": code.state, "created_at": _iso(code.created_at), "expires_at": _iso(code.expires_at),
         "used_at": _iso(code.used_at), "closed_at": _iso(code.closed_at)}
        for code in DiscountCode.objects.filter(member=member).order_by("created_at", "pk")
    ]


def redeem_erase(member):
    adjustments = LedgerEntry.objects.filter(member=member, kind=LedgerEntry.Kind.ADJUSTMENT).exclude(note="")
    ids = [str(pk) for pk in adjustments.values_list("pk", flat=True)]
    adjustments.update(note="")  # the note only: the ledger's points are never changed
    for log in ModelLogEntry.objects.filter(action=ADJUST_ACTION, object_id__in=ids):
        log.data = {key: value for key, value in (log.data or {}).items() if key != "reason"}
        log.save(update_fields=["data"])


@receiver(member_deleting, dispatch_uid="referrals_loyalty_redeem_delete")
def forget_redeem(sender, member, **kwargs):
    redeem_erase(member)
