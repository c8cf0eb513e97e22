"""In a real browser: the notification pages have no axe violations (light and dark colours), and
with JavaScript a click on an unread notification marks it read (a POST through htmx) on the way
to what it is about."""

import pytest

from community.members.models import Notification
from community.members.services import notification_send
from tests.browser.conftest import browser_db, log_in_context
from tests.factories import MemberFactory
from tests.members.test_notifications_markup import notification_pages
from tests.pagecheck import assert_no_axe_violations

pytestmark = [pytest.mark.browser, browser_db]


def test_notification_pages_have_no_axe_violations(page, browser_context, live_server):
    signed_in = None
    for label, member, method, path, _data, status in notification_pages():
        if method != "get":
            continue
        if member is not None and member != signed_in:
            browser_context.clear_cookies()
            log_in_context(browser_context, live_server, member)
            signed_in = member
        elif member is None and signed_in is not None:
            browser_context.clear_cookies()
            signed_in = None
        response = page.goto(path)
        assert response.status == status, f"{label}: {response.status}"
        assert_no_axe_violations(page, label)


def test_clicking_an_unread_notification_marks_it_read_and_opens_it(page, browser_context, live_server):
    member = MemberFactory()
    actor = MemberFactory(username="maya", display_name="Maya Thompson")
    notification = notification_send(member, "mention", actor=actor, url="/members/maya/", title="Maya mentioned you",
                                     source_key="browser:1")
    log_in_context(browser_context, live_server, member)
    page.goto("/me/notifications/")
    assert page.locator(".account-menu .visually-hidden").inner_text() == "Notifications, 1 unread"
    with page.expect_navigation(url=f"{live_server.url}/members/maya/"):
        page.get_by_role("link", name="Maya mentioned you").click()
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert page.locator(".account-menu .notifications-link").inner_text() == "Notifications"
    assert Notification.objects.filter(recipient=member, read_at__isnull=True).count() == 0
    # "Mark all as read" is a form: it works with or without JavaScript
    notification_send(member, "reply", url="/members/maya/", title="Maya replied", source_key="browser:2")
    page.goto("/me/notifications/")
    page.get_by_role("button", name="Mark all as read").click()
    page.wait_for_url(f"{live_server.url}/me/notifications/")
    assert page.get_by_text("All your notifications are marked as read.").is_visible()
    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()
