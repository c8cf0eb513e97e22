"""The outbound webhook to the shop (shop.outbound): signed, sent after commit, retried with
backoff on network errors, 408, 429 and 5xx and never on other 4xx, idempotent by key, waiting
(visibly) while unconfigured; and its admin list with "retry now"."""

import datetime
import io
import json
import socket

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shop import outbound
from shop.models import OutboundDelivery
from tests.factories import MemberFactory
from tests.referrals.loyalty import redeem_helpers
from tests.referrals.loyalty.redeem_helpers import OUTBOUND_SECRET

pytestmark = pytest.mark.django_db
shop_server = redeem_helpers.shop_server  # the fixture

DATA = {"code": "PTS-ABCD-EFGH-JKLM-NPQR", "value": "5.00", "currency": "EUR", "usage_limit": 1}


def queue(capture, key="discount_code.created:PTS-1", data=DATA, event=outbound.DISCOUNT_CODE_CREATED):
    with capture(execute=True):
        delivery, created = outbound.outbound_queue(event, key, data)
    delivery.refresh_from_db()
    return delivery, created


def later(delivery, seconds=1):
    return delivery.next_attempt_at + datetime.timedelta(seconds=seconds)


def test_sent_after_commit_signed_with_timestamp_and_key(shop_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        delivery, created = outbound.outbound_queue(outbound.DISCOUNT_CODE_CREATED, "k-1", DATA)
        assert shop_server.requests == []  # nothing before the commit
    assert created and len(callbacks) == 1
    callbacks[0]()
    delivery.refresh_from_db()
    assert delivery.state == "sent" and delivery.attempts == 1 and delivery.last_status == 200
    assert delivery.next_attempt_at is None and delivery.sent_at is not None
    [received] = shop_server.requests
    headers = received.headers
    assert headers["idempotency-key"] == "k-1" and headers["x-community-event"] == "discount_code.created"
    assert received.json == {"id": "k-1", "event": "discount_code.created", "created_at": delivery.created_at.isoformat(),
                             "data": DATA}
    stamp = headers["x-community-timestamp"]
    assert outbound.signature_check(OUTBOUND_SECRET, stamp, received.body, headers["x-community-hmac-sha256"])
    # the signature covers the timestamp and the body, with the shared secret only
    assert not outbound.signature_check(OUTBOUND_SECRET, int(stamp) + 1, received.body, headers["x-community-hmac-sha256"])
    assert not outbound.signature_check(OUTBOUND_SECRET, stamp, received.body + b" ", headers["x-community-hmac-sha256"])
    assert not outbound.signature_check("other", stamp, received.body, headers["x-community-hmac-sha256"])
    # and an old request cannot be replayed
    assert not outbound.signature_check(OUTBOUND_SECRET, stamp, received.body, headers["x-community-hmac-sha256"],
                                        now=int(stamp) + outbound.SIGNATURE_TOLERANCE + 1)
    assert shop_server.codes == {"k-1": DATA}


def test_a_rolled_back_write_sends_nothing(shop_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        outbound.outbound_queue(outbound.DISCOUNT_CODE_CREATED, "k-rolled", DATA)
        raise RuntimeError("the redemption failed")
    assert OutboundDelivery.objects.count() == 0 and shop_server.requests == []


def test_the_same_key_is_queued_once(shop_server, django_capture_on_commit_callbacks):
    first, created = queue(django_capture_on_commit_callbacks, key="k-once")
    again, created_again = queue(django_capture_on_commit_callbacks, key="k-once", data={"other": 1})
    assert created and not created_again and again.pk == first.pk and again.payload == DATA
    assert len(shop_server.requests) == 1


def test_500_then_200_gives_the_shop_exactly_one_code(shop_server, django_capture_on_commit_callbacks):
    shop_server.statuses = [500]
    delivery, _ = queue(django_capture_on_commit_callbacks)
    assert delivery.state == "pending" and delivery.attempts == 1 and delivery.last_status == 500
    assert "HTTP 500" in delivery.last_error
    wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
    assert 15 - 2 <= wait <= 30 + 1  # half to all of the first backoff (30 s)
    assert outbound.outbound_send_due() == 0  # not due yet: nothing sent
    assert len(shop_server.requests) == 1
    assert outbound.outbound_send_due(now=later(delivery)) == 1
    delivery.refresh_from_db()
    assert delivery.state == "sent" and delivery.attempts == 2 and delivery.last_error == ""
    assert [r.headers["idempotency-key"] for r in shop_server.requests] == [delivery.idempotency_key] * 2
    assert shop_server.requests[0].body == shop_server.requests[1].body  # the same bytes
    assert list(shop_server.codes) == [delivery.idempotency_key]


def test_a_shop_that_stored_it_but_whose_answer_was_lost_still_keeps_one(shop_server, django_capture_on_commit_callbacks):
    """At least once, never lost: a repeat the shop already has changes nothing there."""
    delivery, _ = queue(django_capture_on_commit_callbacks)
    OutboundDelivery.objects.filter(pk=delivery.pk).update(state="pending", next_attempt_at=timezone.now())
    outbound.outbound_send_due()
    assert len(shop_server.requests) == 2 and len(shop_server.codes) == 1


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_retried_statuses(shop_server, django_capture_on_commit_callbacks, status):
    shop_server.statuses = [status]
    delivery, _ = queue(django_capture_on_commit_callbacks)
    assert delivery.state == "pending" and delivery.next_attempt_at is not None and delivery.last_status == status


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 410, 422])
def test_other_4xx_are_not_retried(shop_server, django_capture_on_commit_callbacks, status):
    shop_server.statuses = [status]
    delivery, _ = queue(django_capture_on_commit_callbacks)
    assert delivery.state == "failed" and delivery.next_attempt_at is None and delivery.last_status == status
    assert outbound.outbound_send_due(now=timezone.now() + datetime.timedelta(days=30)) == 0
    assert len(shop_server.requests) == 1


def test_a_wrong_secret_is_refused_by_the_shop_and_not_retried(shop_server, settings, django_capture_on_commit_callbacks):
    settings.SHOP_OUTBOUND_SECRET = "not-the-shop-s"
    delivery, _ = queue(django_capture_on_commit_callbacks)
    assert delivery.state == "failed" and delivery.last_status == 401 and shop_server.codes == {}


def test_retry_after_is_honoured(shop_server, django_capture_on_commit_callbacks):
    shop_server.statuses, shop_server.retry_after = [429], "3600"
    delivery, _ = queue(django_capture_on_commit_callbacks)
    assert (delivery.next_attempt_at - timezone.now()).total_seconds() > 3500


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_network_errors_are_retried_with_growing_jittered_waits(settings, django_capture_on_commit_callbacks):
    settings.SHOP_OUTBOUND_URL = f"http://127.0.0.1:{free_port()}/nobody-listens"
    settings.SHOP_OUTBOUND_SECRET = OUTBOUND_SECRET
    settings.SHOP_OUTBOUND_MAX_ATTEMPTS = 5
    delivery, _ = queue(django_capture_on_commit_callbacks)
    waits = []
    for attempt in range(1, 6):
        assert delivery.attempts == attempt and delivery.last_status is None
        assert "URLError" in delivery.last_error or "Error" in delivery.last_error
        if attempt == 5:
            break
        waits.append(delivery.next_attempt_at)
        outbound.outbound_send_due(now=later(delivery))
        delivery.refresh_from_db()
    assert delivery.state == "failed" and delivery.next_attempt_at is None
    assert delivery.last_error.startswith("gave up after 5 attempts")


def test_backoff_is_exponential_capped_and_jittered(settings):
    settings.SHOP_OUTBOUND_BACKOFF_SECONDS, settings.SHOP_OUTBOUND_BACKOFF_MAX_SECONDS = 30, 3600
    table = [(1, 30), (2, 60), (3, 120), (4, 240), (8, 3600), (30, 3600)]
    for attempts, ceiling in table:
        assert outbound.backoff_seconds(attempts, rand=lambda: 0.0) == ceiling / 2
        assert outbound.backoff_seconds(attempts, rand=lambda: 1.0) == ceiling
        assert ceiling / 2 <= outbound.backoff_seconds(attempts) <= ceiling


def test_unconfigured_deliveries_wait_visibly_then_go(settings, django_capture_on_commit_callbacks, shop_server):
    settings.SHOP_OUTBOUND_URL = ""
    delivery, _ = queue(django_capture_on_commit_callbacks)
    assert delivery.state == "pending" and delivery.attempts == 0 and "SHOP_OUTBOUND_URL" in delivery.last_error
    assert shop_server.requests == []
    settings.SHOP_OUTBOUND_URL = shop_server.url
    call_command("shop_outbound_send", stdout=io.StringIO())
    delivery.refresh_from_db()
    assert delivery.state == "sent" and delivery.attempts == 1 and len(shop_server.codes) == 1


def test_the_same_bytes_whatever_the_payload_order(shop_server, django_capture_on_commit_callbacks):
    delivery, _ = queue(django_capture_on_commit_callbacks, data={"b": 1, "a": "Ωμέγα"})
    body = outbound.body_of(delivery)
    assert body == outbound.body_of(OutboundDelivery.objects.get(pk=delivery.pk))
    assert json.loads(body)["data"] == {"a": "Ωμέγα", "b": 1}


# --- the admin --------------------------------------------------------------------------------------

@pytest.fixture
def failed_outbound(shop_server, django_capture_on_commit_callbacks):
    shop_server.statuses = [422]
    delivery, _ = queue(django_capture_on_commit_callbacks)
    assert delivery.state == "failed"
    return delivery


def test_admin_lists_inspects_and_retries(client, failed_outbound, shop_server):
    client.force_login(MemberFactory(is_staff=True, is_superuser=True))
    index = client.get(reverse("shop_outbounddelivery:index"))
    assert index.status_code == 200 and failed_outbound.idempotency_key in index.content.decode()
    page = client.get(reverse("shop_outbounddelivery:inspect", args=[failed_outbound.pk])).content.decode()
    retry = reverse("shop_outbounddelivery:retry", args=[failed_outbound.pk])
    assert "HTTP 422" in page and retry in page
    assert client.get(retry).status_code == 200  # asks first
    failed_outbound.refresh_from_db()
    assert failed_outbound.state == "failed" and len(shop_server.requests) == 1  # GET wrote nothing
    assert client.post(retry).status_code == 302
    failed_outbound.refresh_from_db()
    assert failed_outbound.state == "sent" and failed_outbound.attempts == 2 and len(shop_server.codes) == 1
    for url in ("/admin/shop_outbounddelivery/new/", f"/admin/shop_outbounddelivery/edit/{failed_outbound.pk}/",
                f"/admin/shop_outbounddelivery/delete/{failed_outbound.pk}/"):
        assert client.get(url).status_code == 404


def test_admin_list_query_count_is_constant(client, assert_queries, django_capture_on_commit_callbacks, settings):
    settings.SHOP_OUTBOUND_URL = ""
    client.force_login(MemberFactory(is_staff=True, is_superuser=True))
    queue(django_capture_on_commit_callbacks, key="first")
    url = reverse("shop_outbounddelivery:index")
    first = None

    def fetch():
        return client.get(url)

    def grow():
        for i in range(15):
            queue(django_capture_on_commit_callbacks, key=f"more-{i}")

    from tests.conftest import QueryCounter

    with QueryCounter() as q:
        fetch()
    first = q.count
    assert_queries(first, fetch, grow=grow)


def test_retry_needs_the_change_permission(client, failed_outbound):
    viewer = MemberFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="access_admin"),
                                Permission.objects.get(codename="view_outbounddelivery"))
    client.force_login(viewer)
    assert client.get(reverse("shop_outbounddelivery:index")).status_code == 200
    page = client.get(reverse("shop_outbounddelivery:inspect", args=[failed_outbound.pk])).content.decode()
    retry = reverse("shop_outbounddelivery:retry", args=[failed_outbound.pk])
    assert retry not in page
    assert client.post(retry).status_code in (302, 403)
    failed_outbound.refresh_from_db()
    assert failed_outbound.state == "failed" and failed_outbound.attempts == 1
    client.force_login(MemberFactory())  # a member: the admin's sign-in
    assert client.get(reverse("shop_outbounddelivery:index")).status_code == 302
