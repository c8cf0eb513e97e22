"""The Insights pages in the Wagtail admin: who may see them, the filters, the CSV downloads, the
cached figures with their refresh, the logged per-customer export, and pinned query counts."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.urls import reverse

from insights.models import CustomerExport
from tests.factories import MemberFactory
from tests.insights.fixtures import at, order, retention_orders

pytestmark = pytest.mark.django_db

PAGES = ["insights_retention:index", "insights_cohorts:index", "insights_community:index", "insights_engagement:index"]
Q1 = {"start": "2025-01-01", "end": "2025-03-31"}


def _staff(username, *codenames):
    user = MemberFactory(username=username, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"),
                              *Permission.objects.filter(content_type__app_label="insights", codename__in=codenames))
    client = Client()
    client.force_login(user)
    return user, client


@pytest.fixture
def analyst(db):
    return _staff("analyst", "view_insights")


@pytest.fixture(autouse=True)
def athens(settings):
    settings.TIME_ZONE = "Europe/Athens"


@pytest.mark.parametrize("name", PAGES)
def test_staff_without_the_permission_are_refused(name):
    _user, client = _staff("editor")
    response = client.get(reverse(name))
    assert response.status_code in (302, 403)
    anonymous = Client().get(reverse(name))
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_retention_page_shows_the_hand_computed_figures(analyst):
    retention_orders()
    _user, client = analyst
    response = client.get(reverse("insights_retention:index"), Q1)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and 'role="img"' in html and "<title" in html
    assert "75.0 %" in html  # January's retention
    assert "@example" not in html  # counts only: no customer's data on the page


def test_retention_csv_and_segment_filter(analyst):
    retention_orders()
    _user, client = analyst
    response = client.get(reverse("insights_retention:index"), {**Q1, "export": "periods"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["period", "customers_at_start", "customers_at_end", "new_customers"]
    assert [row[:4] for row in rows[1:]] == [["2025-01", "4", "3", "0"], ["2025-02", "3", "4", "1"],
                                             ["2025-03", "4", "6", "2"]]
    guests = client.get(reverse("insights_retention:index"), {**Q1, "customers": "community:guest", "export": "periods"})
    rows = list(csv.reader(io.StringIO(guests.content.decode())))
    # guests: B and F's June order at the start of January; C, D new later
    assert [row[:4] for row in rows[1:]] == [["2025-01", "2", "2", "0"], ["2025-02", "2", "2", "1"],
                                             ["2025-03", "2", "3", "1"]]


def test_bad_filters_answer_400_not_500(analyst):
    _user, client = analyst
    for query in ({"start": "2025-13-01"}, {"start": "2025-03-01", "end": "2025-01-01"}, {"end": "2999-01-01"},
                  {"start": "1900-01-01", "end": "2025-01-01"}, {"grain": "year"}, {"customers": "nope:x"},
                  {"start": "9" * 30}):
        assert client.get(reverse("insights_retention:index"), query).status_code == 400, query
    assert client.get(reverse("insights_retention:index"), {**Q1, "export": "nope"}).status_code == 400


def test_figures_are_cached_until_refreshed(analyst):
    retention_orders()
    _user, client = analyst
    url = reverse("insights_retention:index")
    first = client.get(url, {**Q1, "export": "periods"}).content
    order("LATE", "late@example.net", at(2025, 1, 20, 12), "10.00")
    assert client.get(url, {**Q1, "export": "periods"}).content == first  # cached
    other = client.get(url, {**Q1, "grain": "quarter", "export": "periods"}).content  # its own scope
    assert b"2025-Q1" in other
    refreshed = client.post(url + "?start=2025-01-01&end=2025-03-31")
    assert refreshed.status_code == 302
    assert client.get(url, {**Q1, "export": "periods"}).content != first


def test_refresh_needs_csrf(analyst):
    user, _client = analyst
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(reverse("insights_retention:index")).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_pages_render_and_pin_their_queries(analyst, assert_queries, name):
    _user, client = analyst
    MemberFactory(username="orderer")
    url = reverse(name)

    def grow():
        for i in range(5):
            order(f"G{i}", f"g{i}@example.net", at(2025, 2, 1 + i, 12), "10.00")

    # cold: the admin's own queries (session, user, site, permissions...) and the figures' (retention: 1
    # SQL pass + the tiers of the segment filter; cohorts: 1; community: 1; engagement: 6, and 2 the
    # newsletter's series); cached:
    # the figures' queries are gone (and the segment filter's choices are cached), the admin's own remain
    cold, warm = {"insights_retention:index": (13, 9), "insights_cohorts:index": (12, 9),
                  "insights_community:index": (12, 9), "insights_engagement:index": (19, 9)}[name]
    if connection.vendor == "postgresql" and name != "insights_engagement:index":
        cold += 4  # the aggregate runs in a savepoint with JIT off: SAVEPOINT, 2 × SET LOCAL, RELEASE
    assert_queries(cold, lambda: client.get(url, Q1), grow=grow)
    assert_queries(warm, lambda: client.get(url, Q1), keep_cache=True)


def test_customer_export_needs_its_own_permission_and_is_logged(analyst):
    retention_orders()
    _user, client = analyst
    url = reverse("insights_customers:index")
    assert client.get(url, Q1).status_code in (302, 403)
    assert not CustomerExport.objects.exists()
    exporter, client = _staff("exporter", "view_insights", "export_customers")
    response = client.get(url, Q1)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["member_id", "email", "first_order", "last_order", "orders", "net_revenue"]
    emails = sorted(row[1] for row in rows[1:])
    assert emails == ["a@example.com", "c@example.net", "d@example.net", "f@example.com", "g@example.com"]
    log = CustomerExport.objects.get()
    assert (log.user, log.start, log.end, log.rows) == (exporter, datetime.date(2025, 1, 1), datetime.date(2025, 3, 31), 5)


def test_dashboard_panel(analyst):
    _user, client = analyst
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert "insights-headline-heading" in response.content.decode()
    _user, editor = _staff("editor2")
    assert "insights-headline-heading" not in editor.get(reverse("wagtailadmin_home")).content.decode()


def test_nightly_warm_fills_every_default_page(analyst, count_queries):
    from django.core.management import call_command

    _user, client = analyst
    retention_orders()
    from django.core.cache import cache

    cache.clear()
    call_command("insights_warm", stdout=io.StringIO())
    # the first visit reads the figures from the cache: no query touches the orders
    for name in PAGES:
        with count_queries() as q:
            assert client.get(reverse(name)).status_code == 200
        assert "shop_order" not in q.sql and "forum_post" not in q.sql, name


def test_cached_figures_html_follows_the_refresh_and_the_viewer(analyst):
    """The charts and tables are kept as HTML beside the figures: an order arriving changes nothing
    until a refresh; a viewer with the export right gets their own copy with its link."""
    retention_orders()
    _user, client = analyst
    url = reverse("insights_retention:index")

    def table(response):
        html = response.content.decode()
        start = html.index('id="insights-table-caption"')
        return html[start:html.index("</table>", start)]

    first = client.get(url, Q1)
    assert "one row per customer" not in first.content.decode()
    order("X1", "x@example.net", at(2025, 1, 20, 12), "10.00")
    assert table(client.get(url, Q1)) == table(first)
    client.post(url + "?start=2025-01-01&end=2025-03-31")
    assert table(client.get(url, Q1)) != table(first)  # January has a new customer and another order
    _exporter, other = _staff("exporter", "view_insights", "export_customers")
    assert "one row per customer" in other.get(url, Q1).content.decode()
