import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client

from community.members.signals import member_data_requested, member_deleting
from content.newsletter.models import Subscriber
from tests.factories import PASSWORD, MemberFactory
from tests.members.test_profile import image_upload, profile_post

User = get_user_model()
pytestmark = pytest.mark.django_db


def test_member_downloads_their_data_as_json(member_client):
    member = member_client.member
    profile_post(member_client, bio="Ταξιδεύω", marketing_consent="on")
    response = member_client.get("/me/data.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["account"]["username"] == member.username
    assert data["account"]["bio"] == "Ταξιδεύω"
    assert data["account"]["marketing_consent_at"] == data["newsletter"]["subscriptions"][0]["confirmed_at"]
    assert data["email_addresses"] == [{"email": member.email, "verified": True, "primary": True}]
    assert "password" not in response.content.decode()
    assert data["orders"] == []


def test_the_export_includes_the_members_orders(member_client):
    from tests.factories import OrderFactory, ProductFactory

    OrderFactory(member=member_client.member, external_id="A-1", lines=[ProductFactory(sku="S-1", name="Ελαφρύ πουκάμισο")])
    data = member_client.get("/me/data.json").json()
    assert [o["order_id"] for o in data["orders"]] == ["A-1"]
    assert data["orders"][0]["lines"] == [{"sku": "S-1", "name": "Ελαφρύ πουκάμισο", "quantity": 1, "unit_price": "49.00"}]


def test_other_apps_add_sections_to_the_export(member_client):
    def receiver(sender, member, **kwargs):
        return ("orders", [{"member": member.username}])

    member_data_requested.connect(receiver)
    try:
        data = member_client.get("/me/data.json").json()
    finally:
        member_data_requested.disconnect(receiver)
    assert data["orders"] == [{"member": member_client.member.username}]


def test_wrong_password_deletes_nothing(member_client):
    response = member_client.post("/me/delete/", {"password": "not it"})
    assert response.status_code == 400
    assert "That is not your password" in response.content.decode()
    member = User.objects.get(pk=member_client.member.pk)
    assert member.is_active and member.deleted_at is None


def test_deleting_an_account_removes_personal_data_and_keeps_a_tombstone(member_client, django_capture_on_commit_callbacks):
    member = member_client.member
    profile_post(member_client, avatar_upload=image_upload(), bio="bio", birthday="1990-01-01", marketing_consent="on")
    member.refresh_from_db()
    avatar_path = member.avatar.path
    old_username, old_email = member.username, member.email
    seen = []
    member_deleting.connect(lambda sender, member, **kw: seen.append(member.pk), weak=False, dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = member_client.post("/me/delete/", {"password": PASSWORD})
    finally:
        member_deleting.disconnect(dispatch_uid="t")
    assert response.status_code == 302
    assert seen == [member.pk]
    assert "_auth_user_id" not in member_client.session
    tomb = User.objects.get(pk=member.pk)  # the row stays for what others need
    assert tomb.deleted_at and not tomb.is_active
    assert tomb.username.startswith("deleted-") and tomb.username != old_username
    assert (tomb.email, tomb.display_name, tomb.bio, tomb.birthday) == ("", "", "", None)
    # the consent's record, the newsletter subscription, is unsubscribed and its address erased
    assert not Subscriber.objects.filter(email=old_email).exists()
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED
    assert not tomb.avatar and not tomb.has_usable_password()
    assert str(tomb) == "Deleted member"
    assert not EmailAddress.objects.filter(user=tomb).exists()
    import os

    assert not os.path.exists(avatar_path)
    assert Client().get(f"/members/{old_username}/").status_code == 404
    assert Client().post("/accounts/login/", {"login": old_email, "password": PASSWORD}).status_code == 200
    # the e-mail address is free again for a new sign-up
    assert not User.objects.filter(email=old_email).exists()


def test_a_deleted_members_other_sessions_end(client, member):
    other_device = Client()
    other_device.force_login(member)
    client.force_login(member)
    client.post("/me/delete/", {"password": PASSWORD})
    assert other_device.get("/me/").status_code == 302


def test_staff_accounts_lose_staff_rights_on_deletion(client):
    staff = MemberFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    client.post("/me/delete/", {"password": PASSWORD})
    staff.refresh_from_db()
    assert not staff.is_staff and not staff.is_superuser
