"""Referrals' part in a member's data export and account deletion (community.members.signals;
referrals sit above community, so they listen, and community never calls them). README.md,
"Members' data", documents the export's `referrals` section and what deletion keeps.

Export: the member's code and link, clicks on it by channel, the friends they referred (by public
name only: a friend's e-mail or username is the friend's data), who referred them, their rewards,
their ledger entries, when the thank-you e-mail carrying their link was sent, and the sightings
kept for the fraud rules (keyed hashes, as stored).

Deletion: the code goes (so the link stops working) with every click on it; the codes the member
chose stay reserved as keyed hashes, linked to nobody, so nobody else can take over links still
circulating;
sightings go; the click that brought the member, if they were referred, loses its IP hash, device
hash and browser; fraud flag details and staff's written reasons on referrals the member took part in are blanked.
Rewards not yet approved are voided (reason "account_closed", with their ledger entries).
Referrals (who referred whom, and when), rewards (points, discount codes) and ledger entries stay,
linked to the account's tombstone: the points ledger is append-only, and rewards and discount
codes are the shop's records of what it owes or gave.
"""

from django.db import transaction
from django.db.models import Count, Q
from django.dispatch import receiver

from community.members.signals import member_data_requested, member_deleting

from . import services
from .codes import referral_url, vanity_reserved_key
from .models import (
    Click,
    FraudFlag,
    LedgerEntry,
    Referral,
    ReferralAskSent,
    ReferralCode,
    RetiredVanity,
    Reward,
    Sighting,
)

SECTION = "referrals"


def _iso(value):
    return value.isoformat() if value else None


def _code(member):
    code = ReferralCode.objects.filter(member=member).first()
    if code is None:
        return None, {}
    clicks = dict(Click.objects.filter(code=code).values("channel").annotate(n=Count("pk")).order_by("channel")
                  .values_list("channel", "n"))
    return {
        "code": code.code, "chosen_code": code.vanity, "link": referral_url(code), "created_at": _iso(code.created_at),
        "chosen_code_changed_at": _iso(code.vanity_changed_at),
        "earlier_chosen_codes": list(code.retired.order_by("retired_at", "pk").values_list("vanity", flat=True)),
    }, clicks


def _referral(referral, person):
    """One referral as its friend sees it: who the other member is (by public name), when and how
    they joined, and whether they qualified."""
    return {
        "name": person.public_name, "joined_at": _iso(referral.created_at), "how": referral.via,
        "channel": referral.channel, "qualified_at": _iso(referral.qualified_at),
    }


def _referral_made(referral):
    """One referral as its referrer sees it: also staff's review, the reason staff gave the referrer,
    and why it earned no reward (these are the referrer's, never the friend's)."""
    return {
        **_referral(referral, referral.friend), "review": referral.review,
        "review_reason": referral.review_reason, "no_reward": referral.no_reward,
    }


def referrals_export(member):
    """The member's referral data as JSON-able data (ten queries when the member has a code, whatever its size)."""
    code, clicks = _code(member)
    made = Referral.objects.filter(referrer=member).select_related("friend").order_by("created_at", "pk")
    referred = Referral.objects.filter(friend=member).select_related("referrer").first()
    rewards = Reward.objects.filter(member=member).select_related("order").order_by("created_at", "pk")
    sent = ReferralAskSent.objects.filter(member=member).first()
    return {
        "code": code,
        "clicks_by_channel": clicks,
        "friends_referred": [_referral_made(r) for r in made],
        "referred_by": _referral(referred, referred.referrer) if referred else None,
        "rewards": [
            {"for": reward.side, "points": reward.points, "discount_code": reward.discount_code,
             "discount_value": str(reward.discount_value) if reward.discount_value is not None else None,
             "currency": reward.currency, "state": reward.state, "reason": reward.reason,
             "order_id": reward.order.external_id if reward.order else None, "approved_after": _iso(reward.due_at),
             "created_at": _iso(reward.created_at), "decided_at": _iso(reward.decided_at)}
            for reward in rewards
        ],
        "ledger": [
            {"points": entry.points, "kind": entry.kind, "status": entry.status, "source": entry.source_key,
             "note": entry.note, "created_at": _iso(entry.created_at)}
            for entry in LedgerEntry.objects.filter(member=member).order_by("created_at", "pk")
        ],
        "thank_you_email_sent_at": _iso(sent.sent_at) if sent else None,
        "sightings": [
            {"at": _iso(s.at), "ip_address_hash": s.ip_hash, "device_hash": s.device_hash}
            for s in Sighting.objects.filter(member=member).order_by("at", "pk")
        ],
    }


@transaction.atomic
def referrals_erase_personal_data(member):
    """What deletion does to the member's referral data (see the module docstring)."""
    # Rewards not yet approved are voided: nobody is left to receive them.
    for pk in Reward.objects.filter(member=member, state__in=[Reward.State.PENDING, Reward.State.FLAGGED]
                                    ).values_list("pk", flat=True):
        services.reward_void(pk, reason="account_closed")
    code = ReferralCode.objects.filter(member=member).first()
    if code is not None:
        # every code the member chose stays reserved (unlinked): links to it still circulating
        # must never start crediting whoever would choose it next
        chosen = [code.vanity] if code.vanity else []
        chosen += RetiredVanity.objects.filter(code=code).values_list("vanity", flat=True)
        RetiredVanity.objects.filter(code=code).delete()
        RetiredVanity.objects.bulk_create([RetiredVanity(code=None, vanity=vanity_reserved_key(v)) for v in chosen],
                                          ignore_conflicts=True)
        code.delete()  # its clicks go with it (CASCADE)
    Sighting.objects.filter(member=member).delete()
    Click.objects.filter(pk__in=Referral.objects.filter(friend=member, click__isnull=False).values("click")).update(
        ip_hash="", device_hash="", user_agent="")
    involved = Referral.objects.filter(Q(friend=member) | Q(referrer=member))
    FraudFlag.objects.filter(referral__in=involved).exclude(detail="").update(detail="")
    involved.exclude(review_reason="").update(review_reason="")


@receiver(member_data_requested, dispatch_uid="referrals_export")
def export_referrals(sender, member, **kwargs):
    return SECTION, referrals_export(member)


@receiver(member_deleting, dispatch_uid="referrals_delete")
def forget_member(sender, member, **kwargs):
    referrals_erase_personal_data(member)
