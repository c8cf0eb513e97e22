import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from community.members.consent import marketing_consent_for
from tests.factories import MemberFactory, OrderFactory

pytestmark = pytest.mark.django_db


def image_upload(fmt="PNG", size=(800, 600), name="me.png", exif=None, colour="teal"):
    buf = io.BytesIO()
    img = Image.new("RGB", size, colour)
    kwargs = {"exif": exif} if exif is not None else {}
    img.save(buf, format=fmt, **kwargs)
    return SimpleUploadedFile(name, buf.getvalue(), content_type=f"image/{fmt.lower()}")


def profile_post(client, **overrides):
    data = {"display_name": "Åsne Solberg", "bio": "Bergen.", "birthday": "", "marketing_consent": ""}
    data.update(overrides)
    return client.post("/me/profile/", data)


def test_public_profile_shows_the_member(client, member):
    member.bio = "Linen <b>everything</b>"
    member.save()
    response = client.get(f"/members/{member.username}/")
    assert response.status_code == 200
    assert member.display_name.encode() in response.content
    assert b"Linen &lt;b&gt;everything&lt;/b&gt;" in response.content  # escaped, never raw HTML


def test_profile_url_is_case_insensitive_and_unicode(client):
    MemberFactory(username="ελένη")
    assert client.get("/members/ελένη/").status_code == 200
    assert client.get("/members/ΕΛΈΝΗ/").status_code == 200


@pytest.mark.parametrize("state", [{"is_active": False}, {"deleted_at": timezone.now()}])
def test_inactive_or_deleted_members_have_no_profile(client, state):
    member = MemberFactory(**state)
    assert client.get(f"/members/{member.username}/").status_code == 404


def test_unknown_member_is_404(client, db):
    assert client.get("/members/nobody/").status_code == 404


def test_profile_and_dashboard_query_counts_are_pinned(client, member, assert_queries):
    # anonymous profile page: the member, their loyalty tier, their photo posts (their first photos
    # too when there are any: tests/posts/test_queries.py), their latest forum topics and replies,
    # their reviews, their badges (the site menu comes from the cache after the first view)
    client.get(f"/members/{member.username}/")
    assert_queries(7, lambda: client.get(f"/members/{member.username}/"), keep_cache=True)
    client.force_login(member)
    # dashboard: the session, the member, their 5 newest notifications (+1 since the dashboard shows
    # them; the header's unread count comes from the cache), their orders and the orders' lines
    OrderFactory(member=member)
    client.get("/me/")

    def more_orders():
        OrderFactory.create_batch(5, member=member)
        client.get("/me/")  # new products move the content version: warm the menu again

    # ... their marketing consent (the newsletter subscriptions of their verified addresses), and the
    # points card (their loyalty account with its tier, their points), the challenges and badges card
    # (their challenge entries, their badges)
    assert_queries(10, lambda: client.get("/me/"), keep_cache=True, grow=more_orders)


def test_dashboard_and_edit_need_login(client, db):
    for url in ("/me/", "/me/profile/", "/me/data.json", "/me/delete/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_owner_edits_profile(member_client):
    member = member_client.member
    response = profile_post(member_client, display_name="  Åsne   Solberg ", bio="Bergen.", birthday="1990-02-28")
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.display_name == "Åsne Solberg"
    assert member.birthday.isoformat() == "1990-02-28"
    page = member_client.get(response["Location"])
    assert "Your profile is saved" in page.content.decode()
    assert "Edit your profile" in page.content.decode()  # the owner sees the edit link


def test_only_the_owner_sees_the_edit_link(client, member):
    other = MemberFactory()
    client.force_login(other)
    assert b"Edit your profile" not in client.get(f"/members/{member.username}/").content


def test_marketing_consent_records_when_it_was_given(member_client):
    """The consent's record is the newsletter subscription (tests/members/test_marketing_consent.py)."""
    member = member_client.member
    profile_post(member_client, marketing_consent="on")
    given = marketing_consent_for(member).since
    assert given is not None
    profile_post(member_client, marketing_consent="on", bio="changed")
    assert marketing_consent_for(member).since == given  # re-saving keeps the original date
    profile_post(member_client, marketing_consent="")
    assert marketing_consent_for(member).since is None


def test_avatar_is_reencoded_square_webp_without_exif(member_client):
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x010E] = "Taken at home, 12 Secret Street"  # ImageDescription
    response = profile_post(member_client, avatar_upload=image_upload("JPEG", (1200, 800), "me.jpg", exif=exif))
    assert response.status_code == 302
    member = member_client.member
    member.refresh_from_db()
    assert member.avatar.name.startswith("avatars/") and member.avatar.name.endswith(".webp")
    assert "me" not in member.avatar.name.split("/")[1]
    with Image.open(member.avatar.path) as img:
        assert img.format == "WEBP"
        assert img.size == (512, 512)
        assert not img.getexif()
    assert (member.avatar_width, member.avatar_height) == (512, 512)


def test_replacing_and_removing_an_avatar_deletes_the_old_file(member_client, django_capture_on_commit_callbacks):
    member = member_client.member
    with django_capture_on_commit_callbacks(execute=True):
        profile_post(member_client, avatar_upload=image_upload())
    member.refresh_from_db()
    first = member.avatar.path
    with django_capture_on_commit_callbacks(execute=True):
        profile_post(member_client, avatar_upload=image_upload(colour="red"))
    member.refresh_from_db()
    assert member.avatar.path != first
    import os

    assert not os.path.exists(first)
    second = member.avatar.path
    with django_capture_on_commit_callbacks(execute=True):
        profile_post(member_client, remove_avatar="on")
    member.refresh_from_db()
    assert not member.avatar
    assert not os.path.exists(second)


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (20 * 1024 * 1024), content_type="image/png"), "the limit is 5 MB"),
        (SimpleUploadedFile("notes.png", b"just some text, not an image", content_type="image/png"), "not an image we can read"),
        (
            SimpleUploadedFile("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
                               content_type="image/svg+xml"),
            "not an image we can read",
        ),
    ],
)
def test_bad_avatars_are_refused_and_nothing_stored_is_lost(member_client, upload, message):
    member = member_client.member
    profile_post(member_client, avatar_upload=image_upload(), bio="kept bio")
    member.refresh_from_db()
    stored_avatar, stored_bio = member.avatar.name, member.bio
    response = profile_post(member_client, avatar_upload=upload, bio="new bio")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Nothing was saved" in response.content.decode()
    member.refresh_from_db()
    assert (member.avatar.name, member.bio) == (stored_avatar, stored_bio)


def test_decompression_bomb_is_refused_before_decoding(member_client, settings):
    settings.IMAGE_USES = {"avatar": {"max_pixels": 1000 * 1000}}
    response = profile_post(member_client, avatar_upload=image_upload(size=(2000, 2000)))
    assert response.status_code == 400
    assert "too many pixels" in response.content.decode()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("bio", "x" * 501, "at most 500 characters"),
        ("birthday", "2999-01-01", "cannot be in the future"),
        ("birthday", "not-a-date", "Enter a valid date"),
        ("display_name", "x" * 61, "at most 60 characters"),
    ],
)
def test_bad_profile_fields_get_clear_messages_and_nothing_changes(member_client, field, value, message):
    member = member_client.member
    before = (member.display_name, member.bio, member.birthday)
    response = profile_post(member_client, **{field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    member.refresh_from_db()
    assert (member.display_name, member.bio, member.birthday) == before
    # the header still shows the stored name, not the rejected one
    assert f">{member.public_name}<" in response.content.decode()
