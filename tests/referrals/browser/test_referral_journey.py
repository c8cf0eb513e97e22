"""Refer-and-earn from end to end, in Chromium against the live server, with the shop's webhook
posted over HTTP as the shop would.

Member A makes and copies their link; a new visitor opens it in another browser, sees A's name and
the offer, signs up and confirms the address from the e-mail; the shop reports the friend's paid
order; A sees the reward pending with the date it will be approved; the clock passes the return
window (the scheduled command, run as cron would); A sees it approved, with the points.
"""

import datetime
import json
import re
import urllib.request

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from referrals.models import Referral, Reward
from shop.services import signature_for
from tests.browser.conftest import assert_no_policy_violations, browser_db, log_in_context
from tests.browser.test_journey import confirmation_link, main_form_button
from tests.factories import MemberFactory
from tests.pagecheck import assert_no_axe_violations
from tests.shop.helpers import SHOPIFY_SECRET, shopify_order

pytestmark = [pytest.mark.browser, browser_db]


def post_order(live_server, body, delivery_id):
    data = json.dumps(body).encode()
    request = urllib.request.Request(
        live_server.url + "/webhooks/shop/shopify/", data=data, method="POST",
        headers={"Content-Type": "application/json", "X-Shopify-Topic": "orders/paid",
                 "X-Shopify-Webhook-Id": delivery_id, "X-Shopify-Hmac-Sha256": signature_for(SHOPIFY_SECRET, data)},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status in (200, 202)


def test_share_join_buy_wait_and_earn(browser, browser_context, page, live_server, policy_violations, settings,
                                      tmp_path):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = mail_dir
    settings.SHOP_WEBHOOK_SOURCES = {"shopify": {"format": "shopify", "secret": SHOPIFY_SECRET}}
    anna = MemberFactory(display_name="Anna Kovács")

    # A makes their link and copies it.
    browser_context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    log_in_context(browser_context, live_server, anna)
    page.goto("/me/referrals/")
    page.get_by_role("button", name="Get my link").click()
    expect(page.get_by_role("button", name="Copy link")).to_be_visible()
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("status").filter(has_text="Link copied.")).to_have_count(1)
    link = page.evaluate("() => navigator.clipboard.readText()")
    assert re.fullmatch(re.escape(live_server.url) + r"/r/[A-Z0-9]{8}\?via=copy", link), link

    # A friend opens it in their own browser, from their own network (behind the site's proxy: the
    # live server and both browsers share 127.0.0.1, and the same network would hold the reward for
    # review): the landing page names A and the offer.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    friend_context = browser.new_context(base_url=live_server.url,
                                         extra_http_headers={"X-Forwarded-For": "203.0.113.7"})
    friend = friend_context.new_page()
    friend.goto(link)
    expect(friend).to_have_url(re.compile(r"/r/[A-Z0-9]{8}/welcome/$"))
    expect(friend.locator("main")).to_contain_text("Anna Kovács")
    assert_no_axe_violations(friend, "the referral landing page")
    friend.locator("main").get_by_role("link", name="Join").click()
    expect(friend).to_have_url(re.compile(r"/accounts/signup/"))
    friend.fill("#id_email", "petra@example.com")
    friend.fill("#id_username", "petra")
    friend.fill("#id_password1", "kettle-lighthouse-47")
    friend.fill("#id_password2", "kettle-lighthouse-47")
    main_form_button(friend).click()
    expect(friend).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    friend.goto(confirmation_link(mail_dir, "petra@example.com"))
    main_form_button(friend).click()
    expect(friend).to_have_url(re.compile(r"/me/(welcome/)?$"))
    referral = Referral.objects.get(friend__username="petra")
    assert (referral.referrer, referral.via, referral.channel) == (anna, Referral.Via.LINK, "copy")
    assert referral.review == Referral.Review.CLEAR, list(referral.flags.values_list("rule", "detail"))
    friend_context.close()

    # The shop reports the friend's first paid order, 40 EUR (minimum 30).
    paid = timezone.now()
    post_order(live_server, shopify_order(order_id=7001, email="petra@example.com", financial_status="paid",
                                          total="40.00", created_at=paid.isoformat()), "delivery-7001")
    reward = Reward.objects.get(referral=referral, side=Reward.Side.REFERRER)
    assert reward.state == Reward.State.PENDING

    page.goto("/me/referrals/")
    rewards = page.locator("main").get_by_role("heading", name="Your rewards").locator("xpath=..")
    expect(page.locator("main")).to_contain_text("Waiting for the return window to end on")
    expect(rewards).to_contain_text("Pending")
    assert_no_policy_violations(page, policy_violations, " on the page with a pending reward")

    # The return window ends; the scheduled approval runs (cron in production).
    call_command("referral_rewards_approve", "--now", (paid + datetime.timedelta(days=31)).isoformat())
    reward.refresh_from_db()
    assert reward.state == Reward.State.APPROVED

    page.reload()
    expect(rewards).to_contain_text("Approved")
    expect(page.locator("main")).to_contain_text("500")
    assert_no_axe_violations(page, "the referral page with an approved reward")
    assert_no_policy_violations(page, policy_violations, " on the page with an approved reward")
