import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.core import mail

from content.newsletter.models import Subscriber
from content.newsletter.services import subscriber_confirm, subscriber_sign_up
from tests.admin_access import assert_admin_refused, assert_sent_to_sign_in
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

INDEX = "/admin/newsletter_subscriber/"


@pytest.fixture
def subscribers():
    a, _ = subscriber_sign_up("anna@example.com", language="en", source="footer")
    subscriber_confirm(a, nonce=a.token_nonce)
    subscriber_sign_up("béla@example.hu", language="hu", source="home")
    mail.outbox.clear()
    return Subscriber.objects.all()


@pytest.fixture
def staff_client(client):
    staff = MemberFactory(username="editor", is_staff=True)
    staff.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_subscriber"),
    )
    client.force_login(staff)
    return client


def test_staff_with_view_permission_sees_the_list(staff_client, subscribers):
    response = staff_client.get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "anna@example.com" in html and "béla@example.hu" in html
    response = staff_client.get(INDEX, {"status": "confirmed"})
    assert "anna@example.com" in response.content.decode() and "béla@example.hu" not in response.content.decode()
    response = staff_client.get(INDEX, {"language": "hu"})
    assert "béla@example.hu" in response.content.decode() and "anna@example.com" not in response.content.decode()
    response = staff_client.get(INDEX, {"consent_source": "home"})
    assert "béla@example.hu" in response.content.decode() and "anna@example.com" not in response.content.decode()
    response = staff_client.get(INDEX, {"q": "anna"})
    assert "anna@example.com" in response.content.decode() and "béla@example.hu" not in response.content.decode()
    inspect = staff_client.get(f"{INDEX}inspect/{subscribers.get(email='anna@example.com').pk}/")
    assert inspect.status_code == 200


def test_no_add_edit_or_delete(staff_client, subscribers):
    pk = subscribers.first().pk
    for path in ("add/", f"edit/{pk}/", f"delete/{pk}/"):
        assert staff_client.get(INDEX + path).status_code == 404


def test_csv_export(staff_client, subscribers):
    response = staff_client.get(INDEX, {"export": "csv"})
    assert response.status_code == 200
    assert 'filename="newsletter-subscribers.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["E-mail address", "Status", "Language", "Consent given at", "Consent source", "Confirmed at"]
    by_email = {row[0]: row for row in rows[1:]}
    assert set(by_email) == {"anna@example.com", "béla@example.hu"}
    assert by_email["anna@example.com"][1] == "confirmed" and by_email["anna@example.com"][5]
    assert by_email["béla@example.hu"][2:5:2] == ["hu", "home"] and by_email["béla@example.hu"][5] == ""
    # the export follows the filters
    response = staff_client.get(INDEX, {"export": "csv", "status": "pending"})
    assert len(list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))) == 2


def test_member_without_staff_gets_no_access(member_client, subscribers):
    for params in ({}, {"export": "csv"}):
        response = member_client.get(INDEX, params)
        assert_sent_to_sign_in(response)
        assert b"anna@example.com" not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_admin_user_without_staff_or_view_permission_gets_no_access(client, subscribers):
    editor = MemberFactory(username="nostaff")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"),
                                Permission.objects.get(codename="view_subscriber"))
    client.force_login(editor)
    assert_admin_refused(client.get(INDEX))
    staff = MemberFactory(username="noperm", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    assert_admin_refused(client.get(INDEX))
    assert_admin_refused(client.get(INDEX, {"export": "csv"}))


def test_admin_list_query_count_does_not_grow(staff_client, subscribers, assert_queries):
    def more():
        for i in range(5):
            subscriber_sign_up(f"more{i}@example.com", language="nb", source="dashboard")

    staff_client.get(INDEX)
    # session, user, its permissions (own and groups'), Wagtail's user profile, locales and
    # page and collection permissions for the menu, then the count and the page of subscribers
    assert_queries(11, lambda: staff_client.get(INDEX), grow=more, keep_cache=True)

