"""Staff side of redemption: the loyalty report's figures (issued, taken back, redeemed, returned,
expired, outstanding by month; codes outstanding; members per tier), its CSV exports (codes
included, formulas guarded), manual adjustments (reason required, logged with the staff member,
one entry per form), who may do what, and pinned query counts."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from referrals import ledger
from referrals.loyalty import redeem_reports, redemption
from referrals.loyalty.models import LoyaltyAccount, Tier
from referrals.models import LedgerEntry
from referrals.reports import Period
from referrals.staff_permissions import staff_grant
from tests.admin_access import assert_admin_refused, assert_sent_to_sign_in
from tests.factories import MemberFactory
from tests.referrals.loyalty.redeem_helpers import option_make

pytestmark = pytest.mark.django_db
Kind, APPROVED, PENDING = LedgerEntry.Kind, LedgerEntry.Status.APPROVED, LedgerEntry.Status.PENDING
REPORT, ADJUST, CODES = "loyalty_report:index", "loyalty_adjust:index", "loyalty_codes:index"


def at(year, month, day=10):
    return timezone.make_aware(datetime.datetime(year, month, day, 12))


def entry(member, points, kind, when, status=APPROVED):
    LedgerEntry.objects.create(member=member, points=points, kind=kind, status=status, created_at=when,
                               source_key=f"t:{LedgerEntry.objects.count()}")


@pytest.fixture
def superuser_client(client, settings):
    settings.SHOP_OUTBOUND_URL = ""
    client.force_login(MemberFactory(is_staff=True, is_superuser=True))
    return client


def test_points_by_month_and_the_liability(db):
    a, b = MemberFactory(), MemberFactory()
    entry(a, 1000, Kind.ADJUSTMENT, at(2026, 1))  # before the period: the opening balance
    entry(a, 300, Kind.REVIEW, at(2026, 2))
    entry(b, 500, Kind.REFERRAL_REFERRER, at(2026, 2))
    entry(b, 999, Kind.ORDER, at(2026, 2), status=PENDING)  # pending: not owed yet
    entry(a, -500, Kind.REDEMPTION, at(2026, 2, 20))
    entry(a, -100, Kind.ADJUSTMENT, at(2026, 3))
    entry(b, -500, Kind.REVERSAL, at(2026, 3))
    entry(a, 500, Kind.CODE_REFUND, at(2026, 3, 15))
    entry(a, -200, Kind.EXPIRY, at(2026, 4))
    rows = redeem_reports.points_by_month(Period(datetime.date(2026, 2, 1), datetime.date(2026, 4, 30)))
    table = [(r.label, r.issued, r.taken_back, r.redeemed, r.returned, r.expired, r.outstanding) for r in rows]
    assert table == [
        ("2026-02", 800, 0, 500, 0, 0, 1300),
        ("2026-03", 0, 600, 0, 500, 0, 1200),
        ("2026-04", 0, 0, 0, 0, 200, 1000),
    ]
    assert rows[-1].outstanding == ledger.balance(a).approved + ledger.balance(b).approved


def test_codes_outstanding_and_members_per_tier(db, settings):
    settings.SHOP_OUTBOUND_URL = ""
    Tier.objects.all().delete()
    low, high = Tier.objects.create(name="Member", threshold=0), Tier.objects.create(name="VIP", threshold=1000)
    members = [MemberFactory() for _ in range(4)]
    LoyaltyAccount.objects.create(member=members[0], tier=high)
    LoyaltyAccount.objects.create(member=members[1], tier=low)
    deleted = MemberFactory()
    LoyaltyAccount.objects.create(member=deleted, tier=high)
    type(deleted).objects.filter(pk=deleted.pk).update(deleted_at=timezone.now(), is_active=False)
    rows = redeem_reports.members_per_tier()
    assert [(r.label, r.members) for r in rows] == [("Member", 3), ("VIP", 1)]
    ledger.append(members[0], 2000, kind=Kind.ADJUSTMENT, status=APPROVED, source_key="give")
    option = option_make(points=500, value="5.00")
    for _ in range(3):
        redemption.points_redeem(members[0], option.pk)
    assert redeem_reports.codes_outstanding() == {"EUR": (3, redeem_reports.Decimal("15.00"))}


def test_the_report_page_and_its_exports(superuser_client):
    member = MemberFactory(username="=cmd|evil")
    ledger.append(member, 1500, kind=Kind.ADJUSTMENT, status=APPROVED, source_key="give")
    code, _ = redemption.points_redeem(member, option_make(points=500).pk)
    response = superuser_client.get(reverse(REPORT))
    html = response.content.decode()
    assert response.status_code == 200 and "Points by month" in html and "Members per tier" in html
    today = timezone.localdate()
    query = {"start": today.replace(day=1).isoformat(), "end": today.isoformat()}
    codes = superuser_client.get(reverse(REPORT), {**query, "export": "codes"})
    assert codes["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(codes.streaming_content).decode())))
    assert rows[0] == redeem_reports.CODES_HEADER
    assert rows[1][:6] == [code.code, "'=cmd|evil", "500", "5.00", "EUR", "ready"]
    months = superuser_client.get(reverse(REPORT), {**query, "export": "months"})
    month_rows = list(csv.reader(io.StringIO(b"".join(months.streaming_content).decode())))
    assert month_rows[1][1:] == ["1500", "0", "500", "0", "0", "1000"]
    assert superuser_client.get(reverse(REPORT), {**query, "export": "tiers"}).status_code == 200
    assert superuser_client.get(reverse(REPORT), {**query, "export": "nope"}).status_code == 400
    assert superuser_client.get(reverse(REPORT), {"start": "2026-13-01"}).status_code == 400
    assert superuser_client.get(reverse(REPORT), {"start": today.isoformat(), "end": "2000-01-01"}).status_code == 400


def test_report_query_count_is_constant(superuser_client, assert_queries, count_queries, settings):
    url = reverse(REPORT)
    superuser_client.get(url)
    from django.core.cache import cache

    cache.clear()
    with count_queries() as q:
        superuser_client.get(url)

    def grow():
        member = MemberFactory()
        ledger.append(member, 5000, kind=Kind.ADJUSTMENT, status=APPROVED, source_key="grow")
        option = option_make(points=100)
        for _ in range(5):
            redemption.points_redeem(member, option.pk)
        LoyaltyAccount.objects.create(member=member, tier=Tier.objects.order_by("-threshold").first())

    assert_queries(q.count, lambda: superuser_client.get(url), grow=grow)


def test_codes_list_query_count_is_constant(superuser_client, assert_queries, count_queries):
    url = reverse(CODES)
    member = MemberFactory()
    ledger.append(member, 100000, kind=Kind.ADJUSTMENT, status=APPROVED, source_key="give")
    option = option_make(points=100)
    redemption.points_redeem(member, option.pk)
    superuser_client.get(url)
    from django.core.cache import cache

    cache.clear()
    with count_queries() as q:
        assert superuser_client.get(url).status_code == 200

    def grow():
        for _ in range(10):
            redemption.points_redeem(member, option.pk)

    assert_queries(q.count, lambda: superuser_client.get(url), grow=grow)


def test_editors_set_the_options_in_the_admin(superuser_client):
    response = superuser_client.post(reverse("loyalty_redemption_options:add"), {
        "points": "750", "value": "8.00", "currency": "EUR", "valid_days": "60", "enabled": "on", "position": "1"})
    assert response.status_code == 302
    assert superuser_client.get(reverse("loyalty_redemption_options:index")).status_code == 200
    from referrals.models import RedemptionOption

    assert RedemptionOption.objects.get().points == 750


# --- adjustments -----------------------------------------------------------------------------------

def adjust_form(client):
    page = client.get(reverse(ADJUST))
    assert page.status_code == 200
    return page.context["form"].initial["key"]


def test_an_adjustment_needs_a_reason_and_is_logged_with_the_staff_member(superuser_client):
    member = MemberFactory(username="ingrid")
    key = adjust_form(superuser_client)
    refused = superuser_client.post(reverse(ADJUST), {"member": "ingrid", "points": "250", "reason": "   ", "key": key})
    assert refused.status_code == 400 and LedgerEntry.objects.count() == 0
    for _ in range(2):  # a double submit: one entry
        done = superuser_client.post(reverse(ADJUST), {"member": "@Ingrid", "points": "250",
                                                       "reason": "Parcel lost in the post", "key": key})
        assert done.status_code == 302
    added = LedgerEntry.objects.get()
    assert (added.points, added.kind, added.status, added.note) == (250, "adjustment", "approved",
                                                                    "Parcel lost in the post")
    log = ModelLogEntry.objects.get(action=redemption.ADJUST_ACTION)
    assert log.user_id is not None and log.user.is_superuser and log.data["reason"] == "Parcel lost in the post"
    assert "ingrid" not in log.label
    assert ledger.balance(member).approved == 250


@pytest.mark.parametrize("data", [
    {"member": "nobody", "points": "10", "reason": "x"},
    {"member": "ingrid", "points": "0", "reason": "x"},
    {"member": "ingrid", "points": "abc", "reason": "x"},
    {"member": "ingrid", "points": "99999999", "reason": "x"},
    {"member": "ingrid", "points": "10"},
])
def test_bad_adjustments_are_refused_with_a_message(superuser_client, data):
    MemberFactory(username="ingrid")
    response = superuser_client.post(reverse(ADJUST), {**data, "key": "k"})
    assert response.status_code == 400 and LedgerEntry.objects.count() == 0


def test_a_negative_adjustment_may_take_points_away(superuser_client):
    member = MemberFactory(username="ingrid")
    superuser_client.post(reverse(ADJUST), {"member": "ingrid", "points": "-40", "reason": "Double award", "key": "k"})
    assert ledger.balance(member).approved == -40


# --- who may -----------------------------------------------------------------------------------------

def test_who_may_see_and_adjust(client, settings):
    for name in (REPORT, ADJUST, CODES):
        assert_sent_to_sign_in(client.get(reverse(name)))
    client.force_login(MemberFactory())
    for name in (REPORT, ADJUST, CODES):
        assert_sent_to_sign_in(client.get(reverse(name)))
    staff = MemberFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    for name in (REPORT, ADJUST, CODES):
        assert_admin_refused(client.get(reverse(name)))
    assert_admin_refused(client.post(reverse(ADJUST), {"member": staff.username, "points": "5", "reason": "x", "key": "k"}))
    referral_staff = staff_grant(MemberFactory())
    client.force_login(referral_staff)
    assert client.get(reverse(REPORT)).status_code == 200
    assert client.get(reverse(CODES)).status_code == 200
    assert_admin_refused(client.get(reverse(ADJUST)))  # adjusting is granted separately
    referral_staff.user_permissions.add(Permission.objects.get(codename="adjust_points"))
    referral_staff = type(referral_staff).objects.get(pk=referral_staff.pk)
    client.force_login(referral_staff)
    assert client.get(reverse(ADJUST)).status_code == 200
    assert LedgerEntry.objects.count() == 0


def test_codes_are_read_only_in_the_admin(superuser_client):
    member = MemberFactory()
    ledger.append(member, 1000, kind=Kind.ADJUSTMENT, status=APPROVED, source_key="give")
    code, _ = redemption.points_redeem(member, option_make().pk)
    assert superuser_client.get(reverse("loyalty_codes:inspect", args=[code.pk])).status_code == 200
    for url in ("/admin/loyalty/codes/new/", f"/admin/loyalty/codes/edit/{code.pk}/",
                f"/admin/loyalty/codes/delete/{code.pk}/"):
        assert superuser_client.get(url).status_code == 404
