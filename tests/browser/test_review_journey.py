"""A buyer's review in a real browser: the review-request e-mail arrives (the mail outbox), the
buyer opens its link while signed out, confirms, signs in, writes the review, and sees it on the
product page with the verified-buyer badge."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from community.reviews.models import Review, ReviewLinkUse
from tests.browser.conftest import browser_db
from tests.browser.test_journey import main_form_button
from tests.factories import PASSWORD, MemberFactory, ProductFactory
from tests.pagecheck import assert_no_axe_violations
from tests.reviews.requests_helpers import links_in, make_request, paid_order, request_mails, send_now

pytestmark = [pytest.mark.browser, browser_db]


def test_review_from_the_request_e_mail_shows_with_the_verified_badge(page, live_server, settings):
    settings.SITE_URL = live_server.url
    buyer = MemberFactory(username="åsne", display_name="Åsne Solberg", email="asne@example.com")
    buyer.date_joined = buyer.date_joined.replace(year=2020)  # not a new member with tighter limits
    buyer.save(update_fields=["date_joined"])
    coat = ProductFactory(name="Fjord raincoat – ø edition", slug="fjord-raincoat")
    socks = ProductFactory(name="Hiking socks", slug="hiking-socks")
    order = paid_order(member=buyer, products=[coat, socks])
    make_request(order)
    mail.outbox.clear()
    assert send_now() == 1

    [message] = request_mails()
    assert message.to == ["asne@example.com"]
    link = next(url for url in links_in(message) if "/fjord-raincoat/" in url)
    assert link.startswith(live_server.url)

    # Signed out: the link explains what it is for and offers to sign in.
    page.goto(link)
    expect(page.locator("main h1")).to_contain_text("Review Fjord raincoat")
    expect(page.locator("main")).to_contain_text("You’re reviewing Fjord raincoat – ø edition, bought on")
    assert_no_axe_violations(page, "the review link's confirm page")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in to review").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.fill("#id_login", buyer.email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        main_form_button(page).click()

    # Back through the link to the review form, with the badge promised.
    page.wait_for_url(re.compile(r"/products/fjord-raincoat/review/$"))
    expect(page.locator("main")).to_contain_text("verified buyer")
    page.locator("input[name=rating][value='5']").check()
    page.fill("#id_title", "Dry through a Bergen autumn")
    page.fill("#id_body", "Three weeks of rain and not a drop got through. The hood stays put in the wind.")
    with page.expect_navigation():
        page.locator("form.review-form").get_by_role("button", name="Publish review").click()

    # On the product page, with the badge; the link was used once.
    expect(page).to_have_url(re.compile(r"/products/fjord-raincoat/"))
    review = Review.objects.get(author=buyer, product=coat)
    item = page.locator(f"#review-{review.pk}")
    expect(item).to_contain_text("Dry through a Bergen autumn")
    expect(item.locator(".verified-badge")).to_contain_text("Verified buyer")
    assert review.verified_buyer and review.from_request
    assert ReviewLinkUse.objects.filter(product=coat, review=review).count() == 1

    # The same link again: used.
    response = page.goto(link)
    assert response.status == 410
    expect(page.locator("main h1")).to_contain_text("This review link does not work")
