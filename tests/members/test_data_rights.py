"""Members' data rights (issue 11, items 9–11): the export holds everything about the member, in
a documented layout, as JSON and as a zip with their files; deleting an account leaves nothing of
theirs but what README.md ("Members' data") says stays; deleted usernames stay reserved; profiles
are public only once the e-mail address is verified."""

import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from wagtail.search.backends import get_search_backend

from community.forum import services as forum
from community.forum.models import Category, Post, PostRevision, Upload
from community.members.models import Notification, ReservedUsername
from community.members.services import member_delete, member_update_profile
from community.moderation import services as moderation
from community.moderation.models import Report
from content.newsletter.models import ConsentEvent, Subscriber
from content.newsletter.services import subscriber_confirm, subscriber_sign_up
from core.images import image_process
from shop import services as shop
from shop.models import Order, Refund, WebhookDelivery
from shop.privacy import payload_without_personal_data
from tests.factories import PASSWORD, MemberFactory
from tests.members.test_profile import image_upload
from tests.shop.helpers import shopify_order, shopify_refund

User = get_user_model()
pytestmark = pytest.mark.django_db

EMAIL = "erin.private@example.org"
NAME = "Erinys Quillfeather"
FIRST, LAST = "Erinys", "Quillfeather"
PHONE = "+47 41 23 45 67"
PHRASE = "zebra-marmalade-7731"
EDITED_OUT = "quokka-saffron-5590"
USERNAME = "erinq"
SECTIONS = {"layout", "version", "exported_at", "account", "email_addresses", "orders", "notification_preferences",
            "notifications", "forum", "posts", "moderation", "newsletter", "referrals", "loyalty", "reviews", "lifecycle",
            "files", "badges_and_challenges"}


@pytest.fixture(autouse=True)
def _shopify(settings):
    settings.SHOP_WEBHOOK_SOURCES = {"shopify": {"format": "shopify", "secret": "test-shopify-secret"}}


def _picture(colour="teal"):
    return image_process(image_upload(colour=colour), "forum_picture").content


def _deliver(delivery_id, topic, payload):
    delivery, _created = shop.delivery_receive(source="shopify", fmt="shopify", delivery_id=delivery_id, topic=topic,
                                               payload=payload)
    shop.delivery_process(delivery.pk)


def _personal_order(order_id=1001):
    person = {"first_name": FIRST, "last_name": LAST, "name": NAME, "phone": PHONE, "address1": "Strandkaien 7",
              "city": "Bergen", "zip": "5013", "country": "Norway"}
    return shopify_order(
        order_id=order_id, email=EMAIL, financial_status="paid", phone=PHONE, note=f"Call {NAME} at {PHONE}",
        customer={"id": 77, "email": EMAIL, "first_name": FIRST, "last_name": LAST, "phone": PHONE},
        shipping_address=person, billing_address=person, contact_email=EMAIL, browser_ip="192.0.2.7",
    )


def make_rich_member(django_capture_on_commit_callbacks):
    """A member with every kind of data the site holds, and the other members around them."""
    bob = MemberFactory(username="bobby", display_name="Bob B")
    carol = MemberFactory(username="carol", display_name="Carol C", is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        erin = MemberFactory(username=USERNAME, email=EMAIL, display_name=NAME, first_name=FIRST, last_name=LAST)
        member_update_profile(erin, display_name=NAME, bio=f"Knitter. {PHRASE}", birthday=None,
                              avatar=image_process(image_upload(), "avatar").content)
        # the shop: an order whose payload holds name, address and phone, and a refund
        _deliver("d-1", "orders/create", _personal_order())
        _deliver("d-2", "refunds/create", {**shopify_refund(order_id=1001), "note": f"{NAME} {PHONE}"})
        # the newsletter, confirmed
        subscriber, _ = subscriber_sign_up(EMAIL, language="en", source="footer", ip_address="192.0.2.7")
        subscriber_confirm(subscriber, nonce=subscriber.token_nonce)
        # the forum
        care = Category.objects.create(name="Care", slug="care")
        bobs = forum.topic_create(bob, care, title="Washing wool", body="How do you wash wool?")
        used = forum.upload_add(erin, _picture("navy"))
        forum.upload_add(erin, _picture("olive"))  # never used in a post
        answer = forum.post_reply(erin, bobs, body=f"Cold water, @bobby. {PHRASE} {EDITED_OUT} {used}")
        forum.post_edit(erin, answer, body=f"Cold water, @bobby. {PHRASE} {used}")  # a revision holds EDITED_OUT
        forum.topic_mark_solved(carol, bobs, answer)  # bob's notification quotes erin's answer
        own = forum.topic_create(erin, care, title="Darning socks", body=f"Is darning worth it? {PHRASE}")
        forum.post_reply(bob, own, body="Yes, it is.")
        forum.post_like(erin, bobs.posts.get(number=1))
        forum.post_like(bob, answer)
        forum.category_watch(erin, care, True)
        forum.read_position_update(erin, bobs, 2)
        # moderation: an open and a closed report by erin, a suspension of erin
        moderation.report_create(erin, bobs.posts.get(number=1), reason="other", details=f"Mine: {PHRASE}")
        closed = moderation.report_create(erin, own.posts.get(number=2), reason="rude", details=f"Also {PHRASE}")
        moderation.report_dismiss(carol, closed)
        moderation.member_suspend(carol, erin, days=1, reason="Too many links")
    erin.refresh_from_db()
    return erin, bob, carol


# --- the export (item 9) -----------------------------------------------------------------------

def test_the_export_has_a_documented_layout_with_every_section(member_client):
    data = member_client.get("/me/data.json").json()
    assert set(data) == SECTIONS
    assert (data["layout"], data["version"]) == ("brand-community-member-export", 2)
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    for section in SECTIONS:
        assert f"`{section}`" in readme, f"README.md does not document the export's {section}"


def test_the_export_holds_everything_about_the_member(client, django_capture_on_commit_callbacks):
    erin, _bob, _carol = make_rich_member(django_capture_on_commit_callbacks)
    client.force_login(erin)
    data = client.get("/me/data.json").json()
    assert set(data) == SECTIONS
    order = data["orders"][0]
    assert order["payload_as_received"]["shipping_address"]["phone"] == PHONE
    assert order["refunds"][0]["amount"] == "49.00"
    assert order["refunds"][0]["payload_as_received"]["note"] == f"{NAME} {PHONE}"
    [subscription] = data["newsletter"]["subscriptions"]
    assert subscription["status"] == "confirmed"
    assert [e["event"] for e in subscription["consent_events"]] == ["signed_up", "confirmed"]
    posts = {p["number"]: p for p in data["forum"]["posts"] if p["topic"] == "Washing wool"}
    assert [v["text"] for v in posts[2]["earlier_versions"]] == [PostRevision.objects.get().body]
    assert EDITED_OUT in posts[2]["earlier_versions"][0]["text"]
    assert data["forum"]["category_watches"][0]["category"] == "Care"
    assert data["forum"]["read_positions"][0]["last_read_number"] == 2
    assert {t["title"] for t in data["forum"]["topics_started"]} == {"Darning socks"}
    assert len(data["forum"]["pictures"]) == 2
    assert {r["details"] for r in data["moderation"]["reports_filed"]} == {f"Mine: {PHRASE}", f"Also {PHRASE}"}
    assert data["moderation"]["suspensions"][0]["reason"] == "Too many links"
    assert data["account"]["avatar_file"] in data["files"]
    assert all(p["file"] in data["files"] for p in data["forum"]["pictures"])


def test_the_zip_holds_the_json_and_the_members_files(client, django_capture_on_commit_callbacks):
    erin, _bob, _carol = make_rich_member(django_capture_on_commit_callbacks)
    client.force_login(erin)
    response = client.get("/me/data.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    assert response["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("data.json"))
    assert set(data) == SECTIONS
    assert sorted(archive.namelist()) == sorted(["data.json", *data["files"]])
    assert archive.read(data["account"]["avatar_file"]) == erin.avatar.open("rb").read()
    for picture in data["forum"]["pictures"]:
        upload = Upload.objects.get(file__endswith=picture["file"].rsplit("/", 1)[-1])
        assert archive.read(picture["file"]) == upload.file.open("rb").read()


def test_the_downloads_need_a_login_and_are_rate_limited(client, member, settings):
    settings.MEMBERS_DATA_EXPORTS_PER_HOUR = 2
    for path in ("/me/data.json", "/me/data.zip"):
        assert client.get(path).status_code == 302
    client.force_login(member)
    assert client.get("/me/data.json").status_code == 200
    assert client.get("/me/data.zip").status_code == 200
    refused = client.get("/me/data.zip")
    assert refused.status_code == 429
    assert client.get("/me/data.json").status_code == 429
    assert client.post("/me/data.zip").status_code == 405


# --- deletion (item 10) ------------------------------------------------------------------------

def _found(word):
    return len(list(get_search_backend().search(word, Post.objects.all())))


def _needles():
    needles = {EMAIL, NAME, FIRST, LAST, PHONE, PHRASE, EDITED_OUT, USERNAME, "Strandkaien"}
    # JSON columns may hold text escaped; these needles are ASCII, so only their case varies.
    return {n.lower() for n in needles}


def _database_hits():
    """Every (table, column, value) of the whole database whose text holds a needle."""
    hits = []
    needles = _needles()
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor, include_views=False)
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (names from the schema)
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("utf-8", "replace")
                    if isinstance(value, str) and any(n in value.lower() for n in needles):
                        hits.append((table, column, value[:200]))
    return hits


def _media_hits():
    hits = []
    for root, _dirs, files in os.walk(settings.MEDIA_ROOT):
        for name in files:
            path = Path(root) / name
            content = path.read_bytes().decode("latin-1").lower()
            if any(n in content or n in name.lower() for n in _needles()):
                hits.append(str(path))
    return hits


def test_deletion_leaves_nothing_of_the_member_but_what_the_readme_keeps(client, django_capture_on_commit_callbacks):
    erin, bob, _carol = make_rich_member(django_capture_on_commit_callbacks)
    files = [Path(erin.avatar.path), *(Path(u.file.path) for u in Upload.objects.filter(member=erin))]
    assert all(f.exists() for f in files)
    assert _database_hits() and _found("marmalade")  # the needles are there before
    with django_capture_on_commit_callbacks(execute=True):
        member_delete(erin)

    assert _database_hits() == []
    assert _media_hits() == []
    assert not any(f.exists() for f in files)
    assert not Upload.objects.filter(member=erin).exists()
    # the newsletter: unsubscribed, address erased, the consent record kept
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert list(ConsentEvent.objects.values_list("event", flat=True)) == ["signed_up", "confirmed", "unsubscribed"]
    # the order stays for the accounting, without personal fields
    order = Order.objects.get()
    assert (order.total, order.refunded_total, order.member_id, order.email) == (98, 49, erin.pk, "")
    assert order.raw["line_items"][0]["sku"] == "SKU-A" and "customer" not in order.raw
    assert Refund.objects.get().amount == 49
    assert all("customer" not in d.payload for d in WebhookDelivery.objects.all())
    # the posts keep their place, with no text, out of the search index
    assert not Post.objects.filter(author=erin).exclude(body="").exists()
    assert not Post.objects.filter(author=erin, deleted_at__isnull=True).exists()
    assert not PostRevision.objects.filter(post__author=erin).exists()
    assert _found("marmalade") == 0
    own = erin.forum_topics.get()
    assert own.deleted_at is None and own.posts.get(number=2).body == "Yes, it is."  # bob's reply lives on
    for topic in (own, bob.forum_topics.get()):
        page = client.get(topic.get_absolute_url())
        assert page.status_code == 200 and PHRASE not in page.content.decode()
    assert not Notification.objects.filter(actor=erin).exists()
    assert Notification.objects.filter(recipient=bob, kind="solved").get().excerpt == ""
    assert Report.objects.filter(reporter=erin).count() == 1  # the closed one, for the moderators' record
    from community.forum.services import counters_recount

    assert counters_recount() == 0  # the counters were kept right


def test_orders_lose_every_field_not_on_the_allowlist():
    kept = payload_without_personal_data(_personal_order())
    assert set(kept) == {"id", "created_at", "currency", "subtotal_price", "total_discounts", "total_price",
                         "financial_status", "discount_codes", "line_items"}
    assert kept["line_items"] == [{"id": 1, "sku": "SKU-A", "name": "Linen shirt", "quantity": 2, "price": "49.00"}]
    generic = {"delivery_id": "d", "topic": "orders/create",
               "data": {"id": "1", "email": EMAIL, "discount_codes": ["A"], "lines": [{"sku": "S", "phone": PHONE}]}}
    assert payload_without_personal_data(generic) == {
        "delivery_id": "d", "topic": "orders/create", "data": {"id": "1", "discount_codes": ["A"], "lines": [{"sku": "S"}]}}
    csv = {"csv": [{"line": 2, "order_id": "7", "email": EMAIL, "sku": "S", "quantity": "1"}]}
    assert payload_without_personal_data(csv) == {"csv": [{"line": 2, "order_id": "7", "sku": "S", "quantity": "1"}]}


# --- usernames and profiles (item 11) ----------------------------------------------------------

def _signup(client, username, email="new@example.com"):
    return client.post("/accounts/signup/", {"email": email, "username": username,
                                             "password1": "a-long-enough-passphrase",
                                             "password2": "a-long-enough-passphrase"})


def test_a_deleted_members_username_cannot_be_taken_again(client):
    erin = MemberFactory(username=USERNAME)
    member_delete(erin)
    assert ReservedUsername.objects.count() == 1
    assert USERNAME not in ReservedUsername.objects.get().name_hash
    for name in (USERNAME, USERNAME.upper()):
        response = _signup(client, name)
        assert response.status_code == 200
        assert "That username is taken." in response.content.decode()
    assert not User.objects.filter(username=USERNAME).exists()
    assert _signup(client, "erinq2").status_code == 302
    with pytest.raises(ValidationError):  # nor in any form on the model, such as the admin's
        User._meta.get_field("username").run_validators(USERNAME)


def test_an_old_mention_does_not_lead_to_someone_else(db):
    erin = MemberFactory(username=USERNAME)
    bob = MemberFactory(username="bobby")
    care = Category.objects.create(name="Care", slug="care")
    member_delete(erin)
    topic = forum.topic_create(bob, care, title="Hello", body=f"Thanks @{USERNAME}!")
    assert "/members/" not in topic.posts.get().body_html  # nobody answers to the name any more


def test_a_profile_is_public_only_once_the_address_is_verified(client):
    unverified = MemberFactory(username="fresh", verified=False)
    EmailAddress.objects.create(user=unverified, email=unverified.email, verified=False, primary=True)
    assert client.get("/members/fresh/").status_code == 404
    bob = MemberFactory(username="bobby")
    care = Category.objects.create(name="Care", slug="care")
    topic = forum.topic_create(bob, care, title="Hello", body="Welcome @fresh!")
    assert "/members/fresh/" not in topic.posts.get().body_html  # the mention does not link
    EmailAddress.objects.filter(user=unverified).update(verified=True)
    assert client.get("/members/fresh/").status_code == 200
    reply = forum.post_reply(bob, topic, body="Welcome again @fresh!")
    assert 'href="/members/fresh/"' in reply.body_html


def test_deleting_through_the_page_still_works(client, django_capture_on_commit_callbacks):
    erin, _bob, _carol = make_rich_member(django_capture_on_commit_callbacks)
    client.force_login(erin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/me/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert Client().get(f"/members/{USERNAME}/").status_code == 404


def test_the_exports_query_count_does_not_grow_with_the_members_data(client, assert_queries, django_capture_on_commit_callbacks):
    erin, bob, carol = make_rich_member(django_capture_on_commit_callbacks)
    client.force_login(erin)

    def more():
        with django_capture_on_commit_callbacks(execute=True):
            topic = forum.topic_create(bob, Category.objects.create(name="More", slug="more"), title="More", body="More?")
            post = forum.post_reply(erin, topic, body="Once")
            forum.post_edit(erin, post, body="Twice")
            forum.post_like(erin, topic.posts.get(number=1))
            forum.topic_watch(erin, topic, "watching")
            forum.category_watch(erin, topic.category, True)
            forum.read_position_update(erin, topic, 2)
            forum.upload_add(erin, _picture("maroon"))
            moderation.report_create(erin, topic.posts.get(number=1), reason="spam")
            moderation.member_suspend(carol, erin, days=1, reason="Again")
            _deliver("d-3", "orders/create", _personal_order(order_id=1002))
            _deliver("d-4", "refunds/create", shopify_refund(refund_id=5002, order_id=1002))

    # 10 of them the referrals section, 4 the loyalty section (one its discount codes), 1 the marketing
    # consent of the account section, 6 the reviews (their photos for the files list, reviews, votes, the
    # addresses, the review requests, their uses), 1 the social log-ins, 5 the photo posts (posts,
    # comments, likes, follows, photo files; the posts' photos, hashtags, products and rights history
    # are 4 more once the member has posts: tests/posts/social/test_data.py), 2 the badges and challenges,
    # 2 the lifecycle e-mails and surveys, 1 the free-shipping codes
    assert_queries(53, lambda: client.get("/me/data.json"), grow=more)
