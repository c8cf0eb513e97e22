"""The referral funnel report (issue 12, item 8): the figures by channel and month, K-factor,
top referrers, rewards issued, the CSV export of each table, the validated period, the chart
drawn on the server, and fixed query counts."""

import csv
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from referrals import reports
from referrals.models import Reward
from referrals.staff_permissions import staff_grant
from tests.factories import MemberFactory
from tests.referrals import staff_data

pytestmark = pytest.mark.django_db

REPORT = "referrals_report:index"


@pytest.fixture
def staff(db):
    return staff_grant(MemberFactory(username="refstaff"))


@pytest.fixture
def client_staff(staff):
    client = Client()
    client.force_login(staff)
    return client


def _this_month(day=3):
    today = timezone.localdate()
    return timezone.make_aware(datetime.datetime.combine(today.replace(day=min(day, today.day)), datetime.time(12)))


def _last_month():
    first = timezone.localdate().replace(day=1)
    return timezone.make_aware(datetime.datetime.combine((first - datetime.timedelta(days=1)).replace(day=10),
                                                         datetime.time(12)))


@pytest.fixture
def funnel(db):
    """alice: 6 clicks (4 whatsapp this month, 2 e-mail last month), 3 friends this month (one
    qualified and approved, one qualified and pending, one not yet), 1 last month by typed code;
    bob ("=cmd" as a name, for the CSV): 2 QR clicks, 1 friend, qualified and approved."""
    alice = MemberFactory(username="alice", display_name="Alice")
    bob = MemberFactory(username="bob", display_name="=HYPERLINK(evil)")
    now, before = _this_month(), _last_month()
    staff_data.clicks(alice, 4, channel="whatsapp", at=now)
    staff_data.clicks(alice, 2, channel="email", at=before)
    staff_data.clicks(bob, 2, channel="qr", at=now)
    staff_data.referral(alice, channel="whatsapp", at=now, reward=Reward.State.APPROVED)
    staff_data.referral(alice, channel="whatsapp", at=now, reward=Reward.State.PENDING)
    staff_data.referral(alice, channel="whatsapp", at=now)
    staff_data.referral(alice, via="typed", at=before)
    staff_data.referral(bob, channel="qr", at=now, reward=Reward.State.APPROVED, points=300)
    return alice, bob


def test_the_funnel_by_channel_and_month(funnel):
    period = reports.Period.last_months(2)
    totals = reports.funnel_totals(period)
    assert (totals.clicks, totals.signups, totals.qualified, totals.approved) == (8, 5, 3, 2)
    channels = {row.key: (row.clicks, row.signups, row.qualified, row.approved) for row in reports.funnel_by_channel(period)}
    assert channels == {"whatsapp": (4, 3, 2, 1), "email": (2, 0, 0, 0), "qr": (2, 1, 1, 1), "typed": (0, 1, 0, 0)}
    months = reports.funnel_by_month(period)
    assert len(months) == 2
    assert [(r.clicks, r.signups, r.qualified, r.approved) for r in months] == [(2, 1, 0, 0), (6, 4, 3, 2)]
    assert months[1].key == timezone.localdate().isoformat()[:7]


def test_a_period_leaves_out_what_is_outside_it(funnel):
    today = timezone.localdate()
    period = reports.Period(today.replace(day=1), today)
    totals = reports.funnel_totals(period)
    assert (totals.clicks, totals.signups) == (6, 4)
    assert [r.key for r in reports.funnel_by_month(period)] == [today.isoformat()[:7]]


def test_k_factor_is_invitations_per_member_times_conversion(funnel):
    period = reports.Period.last_months(2)
    k = reports.k_factor(period)
    members = k.members
    assert members == 7  # alice, bob and their 5 friends
    assert k.invitations == 8 and k.signups == 5
    assert k.invitations_per_member == pytest.approx(8 / 7)
    assert k.conversion == pytest.approx(5 / 8)
    assert k.k == pytest.approx(5 / 7)
    empty = reports.KFactor(members=0, invitations=0, signups=0)
    assert (empty.invitations_per_member, empty.conversion, empty.k) == (0.0, 0.0, 0.0)


def test_top_referrers_and_rewards_issued(funnel):
    alice, bob = funnel
    period = reports.Period.last_months(2)
    top = reports.top_referrers(period)
    assert [(r.member, r.clicks, r.signups, r.qualified, r.approved, r.points) for r in top] == [
        (alice, 6, 4, 2, 1, 500), (bob, 2, 1, 1, 1, 300)]
    rewards = {(r.side, r.state): (r.count, r.points, r.codes, r.values) for r in reports.rewards_issued(period)}
    assert rewards[("referrer", "approved")] == (2, 800, 0, {})
    assert rewards[("referrer", "pending")] == (1, 500, 0, {})
    assert rewards[("friend", "approved")][:3] == (2, 0, 2)
    assert str(rewards[("friend", "approved")][3]["EUR"]) == "20.00"


def _csv(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="referrals-')
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_each_table_exports_as_csv(client_staff, funnel):
    period = reports.Period.last_months(2)
    query = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    url = reverse(REPORT)
    rows = _csv(client_staff.get(url, {**query, "export": "channels"}))
    assert rows[0] == ["channel_code", "channel", "clicks", "signups", "qualified", "approved", "signups_per_click"]
    assert ["whatsapp", "WhatsApp", "4", "3", "2", "1", "0.750"] in rows
    assert ["typed", "their code, typed at sign-up", "0", "1", "0", "0", ""] in rows
    rows = _csv(client_staff.get(url, {**query, "export": "months"}))
    assert rows[0][0] == "month" and len(rows) == 3
    assert rows[2] == [timezone.localdate().isoformat()[:7], "6", "4", "3", "2", "0.667"]
    rows = _csv(client_staff.get(url, {**query, "export": "referrers"}))
    assert rows[1] == ["alice", "Alice", "6", "4", "2", "1", "500"]
    assert rows[2] == ["bob", "'=HYPERLINK(evil)", "2", "1", "1", "1", "300"]  # no formula for the spreadsheet
    rows = _csv(client_staff.get(url, {**query, "export": "rewards"}))
    assert ["friend", "approved", "2", "0", "2", "20.00 EUR"] in rows


@pytest.mark.parametrize("query", [
    {"start": "2026-13-01"}, {"start": "yesterday"}, {"end": "2026-02-30"},
    {"start": "2025-05-01", "end": "2025-04-01"}, {"start": "2001-01-01", "end": "2020-01-01"},
    {"end": "2999-01-01"}, {"start": "1" * 200},
])
def test_a_bad_period_is_a_clear_400(client_staff, query):
    response = client_staff.get(reverse(REPORT), query)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-message"' in html or "help-critical" in html
    assert client_staff.get(reverse(REPORT), {**query, "export": "months"}).status_code == 400


def test_an_unknown_table_is_a_400(client_staff):
    assert client_staff.get(reverse(REPORT), {"export": "members"}).status_code == 400


def test_the_page_shows_definitions_a_chart_and_the_csv_links(client_staff, funnel):
    response = client_staff.get(reverse(REPORT))
    assert response.status_code == 200
    html = response.content.decode()
    assert "K-factor" in html and "invitations per member" in html and "conversion" in html
    assert html.count('<svg class="referrals-chart" role="img"') == 2
    assert "<title id=\"referrals-funnel-chart-title\">" in html
    assert "8 clicks, 5 sign-ups, 3 qualified, 2 approved." in html
    for name in reports.TABLES:
        assert f"export={name}" in html
    assert "<script" not in html.split('<div class="nice-padding">', 1)[1].split("</main>", 1)[0]
    assert ' style="' not in html.split('<div class="nice-padding">', 1)[1].split("</main>", 1)[0]
    assert "/static/css/referrals-admin.css" in html


def test_the_chart_geometry():
    chart = __import__("referrals.admin_views", fromlist=["chart"]).chart([("a", [("s", 10)]), ("b", [("s", 5)])])
    widths = [bar["width"] for group in chart["groups"] for bar in group["bars"]]
    assert widths == [380, 190]
    empty = __import__("referrals.admin_views", fromlist=["chart"]).chart([("a", [("s", 0)])])
    assert empty["groups"][0]["bars"][0]["width"] == 0


def test_the_reports_query_count_does_not_grow(client_staff, funnel, assert_queries):
    alice, bob = funnel

    def more():
        for n in range(5):
            friend_of = alice if n % 2 else bob
            staff_data.clicks(friend_of, 3, channel=["x", "facebook", "telegram", "copy", "qr"][n], at=_last_month())
            staff_data.referral(MemberFactory(), channel="x", at=_last_month(), reward=Reward.State.APPROVED)

    assert_queries(REPORT_QUERIES, lambda: client_staff.get(reverse(REPORT)), grow=more)
    for name in reports.TABLES:
        assert_queries(CSV_QUERIES[name], lambda name=name: client_staff.get(reverse(REPORT), {"export": name}), grow=more)


REPORT_QUERIES = 23  # + the brand setting and the Loyalty and Reviews menus
CSV_QUERIES = {"channels": 7, "months": 7, "referrers": 9, "rewards": 6}
