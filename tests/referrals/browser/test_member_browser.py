"""The member's referral page in Chromium: no policy violations, no sideways scrolling at phone
widths, the copy button (JavaScript) copies the ?via=copy link and says so; screenshots for the
lead at 320, 390 and 1280 pixels (test-results/, git-ignored)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from referrals.codes import code_for
from referrals.models import FraudFlag, Referral, Reward
from tests.browser.conftest import RESULTS_DIR, assert_no_policy_violations, browser_db, log_in_context
from tests.factories import MemberFactory
from tests.referrals.test_member_page import make_referral, make_reward

pytestmark = [pytest.mark.browser, browser_db]


def rich_member():
    member = MemberFactory(username="ἀλίκη", display_name="Ἀλίκη Παπαδοπούλου")
    code_for(member)
    flagged = make_referral(member, name="Ola Nordmann", review=Referral.Review.FLAGGED)
    FraudFlag.objects.create(referral=flagged, rule=FraudFlag.Rule.SAME_NETWORK)
    make_reward(flagged, state=Reward.State.FLAGGED)
    make_reward(make_referral(member, name="Zsófia Kovács"))
    make_reward(make_referral(member, name="Paid Up"), state=Reward.State.APPROVED)
    make_referral(member, qualified=False)
    return member


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_the_page_fits_and_has_no_policy_violations(page, browser_context, live_server, policy_violations, width):
    member = rich_member()
    log_in_context(browser_context, live_server, member)
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(reverse("referrals:dashboard"))
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    # nothing in the page's own content is wider than the screen (the site header is the base
    # template's business)
    wide = page.evaluate("""() => [...document.querySelectorAll('main *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`).slice(0, 12)""")
    assert wide == [], f"sideways scrolling at {width}px: {wide}"
    assert page.locator("img.qr-code").evaluate("img => img.complete && img.naturalWidth > 0")
    RESULTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / f"referrals-member-{width}.png"), full_page=True)
    assert_no_policy_violations(page, policy_violations, f" at {width}px")


def test_the_copy_button_copies_the_copy_link(page, browser_context, live_server, policy_violations):
    member = MemberFactory()
    code = code_for(member)
    browser_context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    log_in_context(browser_context, live_server, member)
    page.goto(reverse("referrals:dashboard"))
    button = page.get_by_role("button", name="Copy link")
    button.click()
    expect(page.get_by_role("status").filter(has_text="Link copied.")).to_have_count(1)
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.endswith(f"/r/{code.code}?via=copy")
    assert_no_policy_violations(page, policy_violations)


def passwords(page):
    page.locator("#id_password1").fill("a-long-enough-passphrase")
    page.locator("#id_password2").fill("a-long-enough-passphrase")


def test_signup_asks_for_the_email_when_a_name_is_shared(page, live_server, policy_violations):
    MemberFactory(display_name="Anna Kovács")
    MemberFactory(display_name="Anna Kovacs")
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(reverse("account_signup"))
    page.locator("#id_email").fill("new@example.org")
    page.locator("#id_username").fill("newbie")
    passwords(page)
    page.get_by_label("Been referred by a friend? Their name").fill("anna kovacs")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_text("More than one member has this name")).to_have_count(1)
    RESULTS_DIR.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS_DIR / "referrals-signup-390.png"), full_page=True)
    page.get_by_label("Your friend's e-mail address").fill("nobody@example.org")
    passwords(page)  # a form sent back never shows the passwords again
    # an address that is no member's is not reported (the form never tests addresses): it joins
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/confirm-email/")
    assert_no_policy_violations(page, policy_violations)
