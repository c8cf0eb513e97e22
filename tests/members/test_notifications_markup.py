"""The notification pages are valid HTML (Nu checker) in every state a member can reach: the list
with unread and read notifications, empty, a second page, the settings, the dashboard's section,
and the pages an e-mail's unsubscribe link opens (confirm, done, already off, forged)."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from community.members.models import Notification
from community.members.services import notification_send, notifications_mark_read
from community.members.tokens import unsubscribe_token_make
from tests.factories import MemberFactory
from tests.pagecheck import vnu_report


def notification_pages():  # also used by tests/members/browser and tests/newsletter/browser
    """(label, member or None, method, path, data, expected status) for every state worth checking."""
    member = MemberFactory(username="ἀλίκη", display_name="Ἀλίκη Παπαδοπούλου")
    actor = MemberFactory(username="zoltán", display_name="Zoltán Kovács")
    for n in range(33):
        notification_send(
            member, "reply" if n % 3 else "mention", actor=actor, url=f"/forum/t/{n}/#p{n}",
            title=f"Zoltán replied in “Λινό & μαλλί {n}”", excerpt="Wash it cold <b>and</b> dry it flat." if n % 2 else "",
            source_key=f"markup:{n}",
        )
    Notification.objects.filter(source_key="markup:0").update(created_at=timezone.now() - datetime.timedelta(days=3))
    notifications_mark_read(member, urls=[f"/forum/t/{n}/#p{n}" for n in range(0, 33, 4)])
    empty = MemberFactory(username="jonas")
    unsubscribe = f"/notifications/unsubscribe/{unsubscribe_token_make(member, ['reply', 'mention'])}/"
    return [
        ("notifications", member, "get", "/me/notifications/", None, 200),
        ("notifications, page 2", member, "get", "/me/notifications/?page=2", None, 200),
        ("notifications in Greek", member, "get", "/el/me/notifications/", None, 200),
        ("no notifications", empty, "get", "/me/notifications/", None, 200),
        ("dashboard with notifications", member, "get", "/me/", None, 200),
        ("dashboard without notifications", empty, "get", "/me/", None, 200),
        ("notification settings", member, "get", "/me/notifications/preferences/", None, 200),
        ("unsubscribe page", None, "get", unsubscribe, None, 200),
        ("unsubscribed", None, "post", unsubscribe, {}, 200),
        ("unsubscribe page, already off", None, "get", unsubscribe, None, 200),
        ("forged unsubscribe link", None, "get", "/el/notifications/unsubscribe/not-a-token/", None, 400),
    ]


@pytest.mark.django_db
def test_notification_pages_are_valid_html(tmp_path):
    pages = []
    for label, member, method, path, data, status in notification_pages():
        client = Client()
        if member is not None:
            client.force_login(member)
        response = getattr(client, method)(path, data) if data is not None else client.get(path)
        assert response.status_code == status, f"{label}: {response.status_code}"
        pages.append((label, response.content.decode()))
    failures = vnu_report(pages, tmp_path)
    assert not failures, failures
