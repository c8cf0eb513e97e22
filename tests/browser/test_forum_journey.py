"""The forum in a real browser: a member starts a topic; another replies with an @mention; the
first sees the notification, opens it and marks the reply as the answer; a third reports a post;
a moderator hides it. Each signs in through the login form, as a person would."""

import re

import pytest
from playwright.sync_api import expect

from community.forum.models import Category, Post, Topic
from community.moderation.models import Report
from community.moderation.services import moderator_grant
from tests.browser.conftest import browser_db
from tests.browser.test_journey import log_in, log_out, main_form_button
from tests.factories import PASSWORD, MemberFactory
from tests.pagecheck import assert_no_axe_violations

pytestmark = [pytest.mark.browser, browser_db]


def old_member(**fields):
    member = MemberFactory(**fields)
    member.date_joined = member.date_joined.replace(year=2020)  # not a "new member" with tighter limits
    member.save(update_fields=["date_joined"])
    return member


def test_topic_reply_mention_notification_solved_report_hide(page):
    Category.objects.create(name="Care and repair", slug="care", description="Washing and mending.")
    asker = old_member(username="ελένη", display_name="Ελένη", email="eleni@example.com")
    helper = old_member(username="åsne", display_name="Åsne", email="asne@example.com")
    reporter = old_member(username="zoltán", display_name="Zoltán", email="zoltan@example.com")
    moderator = moderator_grant(old_member(username="mod", display_name="The team", is_staff=True))

    # Ελένη starts a topic, with a preview first.
    log_in(page, asker.email, PASSWORD)
    page.goto("/forum/")
    with page.expect_navigation():
        page.locator(".forum-nav").get_by_role("link", name="New topic").click()
    page.select_option("#id_category", label="Care and repair")
    page.fill("#id_title", "How do I wash linen?")
    page.fill("#id_body", "Cold or **warm** water?")
    page.fill("#id_tags", "linen, λινό")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#post-preview strong")).to_have_text("warm")  # swapped in by htmx
    with page.expect_navigation():
        main_form_button(page).filter(has_text="Post topic").click()
    expect(page.locator("main h1")).to_contain_text("How do I wash linen?")
    topic = Topic.objects.get()
    log_out(page)

    # Åsne replies and mentions her.
    log_in(page, helper.email, PASSWORD)
    page.goto(topic.get_absolute_url())
    page.fill("#id_body", "Cold water and a gentle spin, @ελένη. It softens with every wash.")
    with page.expect_navigation():
        page.locator(".topic__reply").get_by_role("button", name="Post reply").click()
    expect(page).to_have_url(re.compile(r"#post-2$"))
    expect(page.locator("#post-2 a.mention")).to_have_text("@ελένη")
    log_out(page)

    # Ελένη sees the notification in the header, opens it and marks the answer.
    log_in(page, asker.email, PASSWORD)
    badge = page.locator("header.site-header").get_by_role("link", name=re.compile("Notifications"))
    # the mention, and the "first post" badge her opening post earned (engagement.play)
    expect(badge).to_contain_text("2")
    with page.expect_navigation():
        badge.click()
    expect(page.locator("main")).to_contain_text("mentioned you")
    assert_no_axe_violations(page, "the notification list")
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name=re.compile("mentioned you")).first.click()
    expect(page.locator("#post-2")).to_be_visible()
    page.locator("#post-2 .post-menu > summary").click()  # the post's secondary actions are in its menu
    with page.expect_navigation():
        page.locator("#post-2").get_by_role("button", name="Mark as the answer").click()
    expect(page.locator(".solution")).to_contain_text("Cold water and a gentle spin")
    expect(page.locator("main h1")).to_contain_text("Solved")
    assert Topic.objects.get().solution.number == 2
    log_out(page)

    # Zoltán likes the answer (htmx swaps the button) and reports the question's reply... the
    # answer, which he thinks is spam.
    log_in(page, reporter.email, PASSWORD)
    page.goto(topic.get_absolute_url())
    page.locator("#post-2").get_by_role("button", name=re.compile("^Like")).click()
    expect(page.locator("#post-2").get_by_role("button", name=re.compile("^Liked"))).to_have_attribute("aria-pressed", "true")
    page.locator("#post-2 .post-menu > summary").click()
    with page.expect_navigation():
        page.locator("#post-2").get_by_role("link", name="Report").click()
    page.get_by_label("Spam or advertising").check()
    with page.expect_navigation():
        main_form_button(page).click()
    expect(page.locator(".messages")).to_contain_text("moderators will look at it")
    assert Report.objects.filter(object_id=Post.objects.get(number=2).pk, resolved_at__isnull=True).count() == 1
    log_out(page)

    # The moderator hides it from the topic page; members no longer see it.
    log_in(page, moderator.email, PASSWORD)
    page.goto(topic.get_absolute_url())
    page.locator("#post-2 .post-menu > summary").click()
    page.locator("#post-2").get_by_label("Reason for hiding (optional: the log and the author see it)").fill("Spam")
    with page.expect_navigation():
        page.locator("#post-2").get_by_role("button", name="Hide").click()
    expect(page.locator("#post-2")).to_contain_text("Hidden by a moderator")
    assert Post.objects.get(number=2).hidden and not Report.objects.filter(resolved_at__isnull=True).exists()
    log_out(page)
    page.goto(topic.get_absolute_url())
    expect(page.locator("#post-2")).to_have_count(0)
