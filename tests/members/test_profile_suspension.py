"""A suspended member's public profile (name, bio, avatar) stays as it is while the suspension
runs; their private settings still change (consent can always be withdrawn). Changes to the public
profile are rate-limited (PROFILE_EDITS_PER_HOUR); private ones never are (issue 11, item 8)."""

import pytest

from community.members.consent import marketing_consent_for
from community.moderation import services as moderation
from community.moderation.services import moderator_grant
from tests.factories import MemberFactory

from .test_profile import image_upload, profile_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def suspended(member_client):
    member = member_client.member
    member.display_name, member.bio = "Old name", "Old bio."
    member.save()
    moderator = moderator_grant(MemberFactory(username="mod", is_staff=True))
    moderation.member_suspend(moderator, member, days=3, reason="Impersonation")
    return member


ATTEMPTS = [
    # (what is sent, the field that must keep its stored value)
    ({"display_name": "The Brand Team"}, "display_name"),
    ({"bio": "Buy cheap watches at spam.example"}, "bio"),
    ({"avatar_upload": "image"}, "avatar"),
]


@pytest.mark.parametrize(("sent", "field"), ATTEMPTS, ids=[row[1] for row in ATTEMPTS])
def test_a_suspended_member_cannot_change_the_public_profile(member_client, suspended, sent, field):
    kept = getattr(suspended, field)
    data = {"display_name": "Old name", "bio": "Old bio.", **sent}
    if sent.get("avatar_upload"):
        data["avatar_upload"] = image_upload()
    page = member_client.get("/me/profile/").content.decode()
    assert "Your account is suspended" in page
    profile_post(member_client, **data)
    suspended.refresh_from_db()
    assert getattr(suspended, field) == kept


def test_a_suspended_member_can_still_withdraw_consent(member_client, suspended):
    profile_post(member_client, display_name="Old name", bio="Old bio.", marketing_consent="on")
    assert marketing_consent_for(suspended).given
    profile_post(member_client, display_name="Old name", bio="Old bio.", marketing_consent="")
    assert not marketing_consent_for(suspended).given


def test_public_profile_changes_are_rate_limited_private_ones_not(member_client, settings):
    settings.PROFILE_EDITS_PER_HOUR = 2
    statuses = [profile_post(member_client, display_name=f"Name {n}").status_code for n in range(3)]
    assert statuses == [302, 302, 400]
    page = profile_post(member_client, display_name="Name 9").content.decode()
    assert "many times in the last hour" in page
    member = member_client.member
    member.refresh_from_db()
    assert member.display_name == "Name 1"  # nothing of the refused saves was stored
    # unchanged public fields: not counted, so consent and birthday still save
    assert profile_post(member_client, display_name="Name 1", birthday="1990-02-28").status_code == 302
    member.refresh_from_db()
    assert member.birthday.isoformat() == "1990-02-28"
