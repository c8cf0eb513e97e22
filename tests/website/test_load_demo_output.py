"""`manage.py load_demo`, run twice, as `make run` runs it on every start.

A full load takes seconds, so one test loads it twice and checks, after the first run and after
the second, what each app's demo promises (these checks lived beside each app's tests before):

- the output ends with who can log in, with what, just before "Serving on …", and the load itself
  is quiet: no log line per background task, page save or e-mail (issue 17, item 7);
- the second run changes nothing: members, referrals, loyalty, the shop's orders;
- the referral demo (issue 12, item 10): clicks over channels and months, sign-ups, qualified
  orders, pending and approved rewards and one flagged self-referral, consistent with the ledger;
- the loyalty demo: members in each tier, redemption options, codes used, ready and expired
  (points back), an expiring balance whose warning went out, and one adjustment;
- the shop's demo members get the orders placed with their addresses.

The apps' own demo tests (tests/shop/test_demo.py, ...) load their part alone."""

import io
import logging

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from community.members import demo as members_demo
from community.members.models import Notification
from referrals import demo as referrals_demo
from referrals import reports
from referrals.ledger import reconcile
from referrals.loyalty import demo as loyalty_demo
from referrals.loyalty.models import LoyaltyAccount
from referrals.loyalty.redeem_permissions import can_adjust_points, can_see_loyalty_report
from referrals.models import Click, DiscountCode, FraudFlag, LedgerEntry, RedemptionOption, Referral, Reward
from referrals.staff_permissions import can_report, can_review
from shop import demo as shop_demo
from shop.models import Order, OutboundDelivery
from shop.outbound import outbound_send_due
from website.management.commands import load_demo as load_demo_command

pytestmark = pytest.mark.django_db(transaction=False)

SHOP_MEMBER_EMAILS = ["eleni@example.com", "asne@example.com", "zoltan@example.com", "maya@example.com",
                      "jonas@example.com"]


class Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)


def load_demo():
    out = io.StringIO()
    records = Records()
    root = logging.getLogger()
    root.addHandler(records)
    try:
        call_command("load_demo", stdout=out, no_color=True)
    finally:
        root.removeHandler(records)
    return out.getvalue(), records.records


def sign_in_block(lines):
    start = next(i for i, line in enumerate(lines) if line.startswith("Log in at /accounts/login/"))
    return {line.split()[0]: line.split()[1:] for line in lines[start + 1:]}, start


def demo_state():
    """What a second run must leave as the first left it."""
    User = get_user_model()
    return {
        "members": User.objects.count(),
        "clicks": Click.objects.count(), "referrals": Referral.objects.count(),
        "rewards": sorted(Reward.objects.values_list("referral__friend__username", "side", "state")),
        "ledger": LedgerEntry.objects.count(), "flags": FraudFlag.objects.count(),
        "codes": sorted(DiscountCode.objects.values_list("member__username", "state", "points")),
        "options": RedemptionOption.objects.count(), "outbound": OutboundDelivery.objects.count(),
        "tiers": sorted(LoyaltyAccount.objects.filter(member__username__in=list(loyalty_demo.EARNED))
                        .values_list("member__username", "tier__name")),
        "orders": Order.objects.count(),
    }


def test_load_demo_twice(settings, tmp_path, monkeypatch):
    settings.DEMO_ADMIN_PASSWORD_FILE = tmp_path / "var" / "demo-admin-password.txt"
    levels = {name: logging.getLogger(name).level for name in ("", "django_tasks", "wagtail")}

    first, records = load_demo()
    after = demo_state()
    second, _records = load_demo()
    assert demo_state() == after

    check_sign_in_and_quiet(settings, first, second, records, levels)
    check_members()
    check_referrals(first, second, after)
    check_loyalty(first, after)
    check_shop_orders()

    # Once someone changes the admin's password, the demo no longer shows one (the members' part
    # of the demo alone: it is the one that decides).
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("something-else-entirely")
    admin.save()
    monkeypatch.setattr(load_demo_command, "LOADERS", [("members", members_demo.load)])
    third, _records = load_demo()
    shown = " ".join(sign_in_block(third.splitlines())[0]["admin@example.com"])
    password = settings.DEMO_ADMIN_PASSWORD_FILE.read_text().strip()
    assert password not in shown and "changepassword admin" in shown


def check_sign_in_and_quiet(settings, first, second, records, levels):
    lines = first.splitlines()
    block, start = sign_in_block(lines)
    password = settings.DEMO_ADMIN_PASSWORD_FILE.read_text().strip()
    assert len(password) >= 16 and (settings.DEMO_ADMIN_PASSWORD_FILE.stat().st_mode & 0o777) == 0o600
    # the block is the last thing printed: every account, its password and what it is
    assert start + 1 + len(block) == len(lines)
    assert block["admin@example.com"] == [password, "admin"]
    assert block["moderator@example.com"] == ["demo-password-123", "moderator"]
    assert block["referrals@example.com"] == ["demo-password-123", "referral", "staff"]
    for _username, _name, email, _bio, _colour in members_demo.DEMO_MEMBERS:
        assert block[email] == ["demo-password-123", "member"]
    assert lines[start - 2].startswith("Demo data ready (") and "background tasks run" in lines[start - 2]
    assert not any(password in line for line in lines[:start])  # shown in one place only
    # quiet: the hundreds of tasks, page saves and e-mails say nothing below a warning
    assert [r for r in records if r.levelno < logging.WARNING] == []
    assert {name: logging.getLogger(name).level for name in levels} == levels  # and the levels come back
    # Every later run shows the same password again, until someone changes it.
    assert sign_in_block(second.splitlines())[0]["admin@example.com"] == [password, "admin"]


def check_members():
    User = get_user_model()
    assert User.objects.filter(username="admin", is_superuser=True).exists()
    assert User.objects.exclude(avatar="").count() >= 5


def check_referrals(first, second, after):
    assert "Demo referrals: 8 friends referred" in first and "Demo referrals: 8 friends referred" in second
    assert after["clicks"] == sum(n for n, _w in referrals_demo.SHARERS.values()) + len(referrals_demo.FRIENDS)
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
    assert reconcile() == []  # the ledger agrees with the rewards (and the loyalty points)
    totals = reports.funnel_totals(reports.Period.last_months(12))
    assert (totals.signups, totals.qualified, totals.approved) == (8, 6, 3)
    assert totals.clicks > 150
    staff = get_user_model().objects.get(username=referrals_demo.STAFF_USERNAME)
    assert can_review(staff) and can_report(staff) and not staff.is_superuser


def check_loyalty(first, after):
    assert "Demo loyalty: 3 redemption options" in first
    tiers = dict(after["tiers"])
    assert tiers["eleni"] == "VIP" and tiers["maya"] == "Insider" and tiers["asne"] == "Member"
    codes = after["codes"]
    assert ("eleni", "used", 1000) in codes and ("eleni", "ready", 500) in codes
    assert ("maya", "ready", 500) in codes and ("asne", "expired", 500) in codes
    assert LedgerEntry.objects.filter(kind="code_refund", member__username="asne").count() == 1
    assert Notification.objects.filter(recipient__username="zoltan",
                                       source_key__startswith="loyalty:expiry-warning").exists()
    assert OutboundDelivery.objects.filter(event="discount_code.created").count() >= 4
    # unconfigured (the embedded default): the events wait, and say why
    assert outbound_send_due() == 0
    assert not OutboundDelivery.objects.exclude(state="pending").exists()
    assert not OutboundDelivery.objects.filter(last_error="").exists()
    staff = get_user_model().objects.get(username="referrals")
    assert can_see_loyalty_report(staff) and can_adjust_points(staff)
    assert LedgerEntry.objects.filter(kind="adjustment", member__username="jonas").count() == 1


def check_shop_orders():
    # Members are made after the shop (lowest layer first); verifying their addresses attaches
    # the orders placed with them.
    with_orders = dict(Order.objects.filter(source=shop_demo.SOURCE, member__isnull=False)
                       .values_list("member__username", "email").distinct())
    assert set(with_orders) == {"eleni", "asne", "zoltan", "maya", "jonas"}
    assert not Order.objects.filter(email__in=SHOP_MEMBER_EMAILS, member__isnull=True).exists()
    # (the referral demo's friends have orders of their own, under another source)
    assert not (Order.objects.filter(source=shop_demo.SOURCE).exclude(email__in=SHOP_MEMBER_EMAILS)
                .filter(member__isnull=False).exists())


def test_without_a_password_file_the_new_admin_password_is_shown_once(settings):
    settings.DEMO_ADMIN_PASSWORD_FILE = None
    password = members_demo.load(io.StringIO())
    assert password and members_demo.sign_in_details(password)[0] == ("admin", "admin@example.com", password)
    assert members_demo.load(io.StringIO()) is None  # the admin is there: nothing new to show
    assert members_demo.sign_in_details()[0] == ("admin", "admin@example.com", None)
