"""Referral rows for the staff tests, written straight to the models (the engine's services are
tested in their own files): codes, clicks, referrals with flags, rewards and ledger entries."""

import datetime
import uuid

from django.utils import timezone

from referrals.models import Click, FraudFlag, LedgerEntry, Referral, ReferralCode, Reward
from tests.factories import MemberFactory, OrderFactory


def code(member, vanity=None):
    return ReferralCode.objects.get_or_create(member=member, defaults={"code": f"C{member.pk:07d}", "vanity": vanity})[0]


def clicks(member, n, *, channel="link", at=None, ip_hash="", user_agent="Mozilla/5.0 test"):
    the_code = code(member)
    at = at or timezone.now()
    Click.objects.bulk_create([Click(code=the_code, token=uuid.uuid4(), at=at, channel=channel, ip_hash=ip_hash,
                                     user_agent=user_agent) for _ in range(n)])


def referral(referrer, friend=None, *, channel="link", via="link", at=None, qualified=False, reward=None, flags=(),
             points=500):
    """A referral of `friend` (a new member when None); `reward` is the state of the referrer's
    reward (made with its ledger entries) or None; `flags` are (rule, detail) pairs."""
    at = at or timezone.now()
    friend = friend or MemberFactory()
    made = Referral.objects.create(referrer=referrer, friend=friend, code=code(referrer), via=via,
                                   channel=channel if via == "link" else "", created_at=at,
                                   review=Referral.Review.FLAGGED if flags else Referral.Review.CLEAR)
    for rule, detail in flags:
        FraudFlag.objects.create(referral=made, rule=rule, detail=detail)
    if qualified or reward:
        order = OrderFactory(member=friend, email=friend.email, total="49.00", paid_at=at)
        made.qualified_at, made.qualifying_order = at + datetime.timedelta(days=1), order
        made.save(update_fields=["qualified_at", "qualifying_order"])
    if reward:
        made_reward = Reward.objects.create(member=referrer, referral=made, side=Reward.Side.REFERRER, points=points,
                                            state=reward, due_at=at + datetime.timedelta(days=30), created_at=at,
                                            reason="The return window is still open.")
        LedgerEntry.objects.create(member=referrer, points=points, kind=LedgerEntry.Kind.REFERRAL_REFERRER,
                                   status=LedgerEntry.Status.PENDING, source_key=f"reward:{made_reward.pk}:pending",
                                   reward=made_reward, note="Referral reward", created_at=at)
        if reward == Reward.State.APPROVED:
            LedgerEntry.objects.create(member=referrer, points=-points, kind=LedgerEntry.Kind.REFERRAL_REFERRER,
                                       status=LedgerEntry.Status.PENDING, source_key=f"reward:{made_reward.pk}:release",
                                       reward=made_reward, created_at=at)
            LedgerEntry.objects.create(member=referrer, points=points, kind=LedgerEntry.Kind.REFERRAL_REFERRER,
                                       status=LedgerEntry.Status.APPROVED, source_key=f"reward:{made_reward.pk}:approve",
                                       reward=made_reward, created_at=at)
        Reward.objects.create(member=friend, referral=made, side=Reward.Side.FRIEND, points=0, discount_code=f"WELCOME{made.pk}",
                              discount_value="10.00", currency="EUR", state=reward, due_at=at + datetime.timedelta(days=30),
                              created_at=at)
    return made
