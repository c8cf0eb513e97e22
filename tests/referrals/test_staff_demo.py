"""The referral demo (issue 12, item 10): clicks over channels and months, sign-ups, qualified
orders, pending and approved rewards and one flagged self-referral, made through the services so
the states are consistent; `manage.py load_demo` twice changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from referrals import demo, reports
from referrals.ledger import reconcile
from referrals.models import Click, FraudFlag, LedgerEntry, Referral, Reward
from referrals.staff_permissions import can_report, can_review

pytestmark = pytest.mark.django_db


def _state():
    return {
        "clicks": Click.objects.count(), "referrals": Referral.objects.count(),
        "rewards": sorted(Reward.objects.values_list("referral__friend__username", "side", "state")),
        "ledger": LedgerEntry.objects.count(), "flags": FraudFlag.objects.count(),
    }


def test_load_demo_twice_gives_consistent_referrals_and_changes_nothing():
    first = StringIO()
    call_command("load_demo", stdout=first)
    assert "Demo referrals: 8 friends referred" in first.getvalue()
    after = _state()
    second = StringIO()
    call_command("load_demo", stdout=second)
    assert _state() == after
    assert "Demo referrals: 8 friends referred" in second.getvalue()

    assert after["clicks"] == sum(n for n, _w in demo.SHARERS.values()) + len(demo.FRIENDS)
    months = {c.at.strftime("%Y-%m") for c in Click.objects.all()}
    channels = set(Click.objects.values_list("channel", flat=True))
    assert len(months) >= 10 and len(channels) >= 6
    states = {(friend, side): state for friend, side, state in after["rewards"]}
    for friend in ("ingrid", "kostas", "petra"):
        assert states[(friend, "referrer")] == states[(friend, "friend")] == "approved"
    for friend in ("tom", "sofia"):
        assert states[(friend, "referrer")] == "pending"
    assert not any(friend in ("nikos", "reka") for friend, _side in states)
    flagged = Referral.objects.get(friend__username="jberg")
    assert flagged.referrer.username == "jonas" and flagged.review == Referral.Review.FLAGGED
    assert set(flagged.flags.values_list("rule", flat=True)) >= {FraudFlag.Rule.SAME_MAILBOX, FraudFlag.Rule.SAME_DEVICE}
    assert states[("jberg", "referrer")] == "flagged"
    assert Referral.objects.get(friend__username="nikos").qualified_at is None
    assert reconcile() == []  # the ledger agrees with the rewards

    totals = reports.funnel_totals(reports.Period.last_months(12))
    assert (totals.signups, totals.qualified, totals.approved) == (8, 6, 3)
    assert totals.clicks > 150
    staff = demo.get_user_model().objects.get(username=demo.STAFF_USERNAME)
    assert can_review(staff) and can_report(staff) and not staff.is_superuser
