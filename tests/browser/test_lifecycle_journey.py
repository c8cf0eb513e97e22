"""A member answers the NPS survey from the e-mail in a real browser: the e-mail of the nightly
pass arrives (the mail outbox), the member clicks "9" in it while signed out, sees the answer to
confirm, sends it, adds a comment, and the admin's figures count it. Axe checks each page."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from engagement.lifecycle import passes
from engagement.lifecycle.models import Survey
from engagement.lifecycle.selectors import nps_by_month
from tests.browser.conftest import browser_db
from tests.factories import MemberFactory
from tests.lifecycle.helpers import paid_order, survey_links
from tests.pagecheck import assert_no_axe_violations

pytestmark = [pytest.mark.browser, browser_db]


def test_a_survey_answered_from_the_e_mail(page, live_server, settings):
    settings.SITE_URL = live_server.url
    settings.LIFECYCLE_NPS_DAYS = 30
    member = MemberFactory(username="ingrid", display_name="Ingrid Ødegård", email="ingrid@example.com")
    now = timezone.now()
    paid_order(member, paid_at=now - datetime.timedelta(days=30, hours=1))
    mail.outbox.clear()
    assert passes.nps_send(now) == 1
    [message] = mail.outbox
    assert message.to == ["ingrid@example.com"]
    links = survey_links(message)
    assert len(links) == 11 and all(link.startswith(live_server.url) for link in links)
    nine = next(link for link in links if link.rstrip("/").endswith("/9"))

    page.goto(nine)
    expect(page.locator("main h1")).to_have_text("Would you recommend us?")
    expect(page.locator("main")).to_contain_text("You chose 9 in the e-mail")
    expect(page.get_by_role("radio", name="9")).to_be_checked()
    assert Survey.objects.get().score is None  # opening the link records nothing
    assert_no_axe_violations(page, "the survey's confirm page")
    page.get_by_role("radio", name="10").check()  # changed on the page: no need to go back to the e-mail
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name="Send my answer").click()
    expect(page.locator("main [role=status]")).to_contain_text("Your answer is recorded")
    assert_no_axe_violations(page, "the survey's comment form")
    page.fill("#id_comment", "Lovely linen, and the parcel came in two days. Takk!")
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name="Send the comment").click()
    expect(page.locator("main [role=status]")).to_contain_text("Our team reads every comment")

    survey = Survey.objects.get()
    assert (survey.score, survey.comment, survey.follow_up) == (10, "Lovely linen, and the parcel came in two days. Takk!", "")
    assert nps_by_month(1)[0].promoters == 1

    # the same link again, later: already answered, shows the answer and the comment
    page.goto(nine)
    expect(page.locator("main")).to_contain_text("This survey is answered already")
    expect(page.locator("main blockquote")).to_contain_text("Lovely linen")
