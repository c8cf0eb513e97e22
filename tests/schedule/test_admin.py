"""Reports → Scheduled jobs: who may see it, what it shows, and its query count (fixed, whatever
the number of runs)."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.menu import reports_menu

from core.schedule.cadence import Daily, Every
from core.schedule.models import ScheduledRun
from core.schedule.runner import schedule_run_due
from tests.admin_access import assert_admin_refused, assert_sent_to_sign_in
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
T = "tests.schedule.helpers."
URL = "/admin/schedule/"
# session, user, permissions and the admin chrome (locales, page, collection and site permissions for the
# menus), the two table queries and the recent runs: fixed, however many runs there are
SCHEDULE_QUERIES = 14


def viewer(*codenames):
    user = MemberFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["access_admin", *codenames]))
    return user


def reports_menu_urls(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return [item.url for item in reports_menu.menu_items_for_request(request)]


def test_the_url_is_named():
    assert reverse("schedule_report") == URL


def test_only_staff_with_the_permission_see_it(client):
    assert_sent_to_sign_in(client.get(URL))
    client.force_login(MemberFactory())
    assert_sent_to_sign_in(client.get(URL))
    client.force_login(viewer())
    assert_admin_refused(client.get(URL))
    assert URL not in reports_menu_urls(viewer())
    allowed = viewer("view_scheduledrun")
    client.force_login(allowed)
    response = client.get(URL)
    assert response.status_code == 200
    assert URL in reports_menu_urls(allowed)
    assert client.post(URL).status_code == 405  # read-only


def test_it_shows_the_schedule_the_runs_and_an_unfinished_one(client, jobs):
    jobs("nightly", Daily("03:00"), task=T + "failing_task", description="Rebuilds <things>")
    jobs("minutely", Every(1), task=T + "count_task")
    schedule_run_due()
    ScheduledRun.objects.filter(job="minutely").update(finished_at=None, outcome="running", output="")
    client.force_login(viewer("view_scheduledrun"))
    html = client.get(URL).content.decode()
    assert "Rebuilds &lt;things&gt;" in html and "task tests.schedule.helpers.failing_task" in html
    assert "daily at 03:00" in html and "every minute" in html
    assert "Unfinished" in html and "still running, or its process stopped" in html
    assert "Failed" in html and "the job&#x27;s own error" in html


def test_its_query_count_does_not_grow_with_the_runs(client, jobs, assert_queries):
    for n in range(4):
        jobs(f"job_{n}", Every(1), task=T + "count_task")
    client.force_login(viewer("view_scheduledrun"))
    schedule_run_due()

    def more():
        now = timezone.now()
        ScheduledRun.objects.bulk_create([ScheduledRun(job=f"job_{n % 4}", slot=now - datetime.timedelta(minutes=n + 1),
                                                       started_at=now - datetime.timedelta(minutes=n + 1), outcome="ok",
                                                       finished_at=now) for n in range(40)])

    assert_queries(SCHEDULE_QUERIES, lambda: client.get(URL), grow=more)
