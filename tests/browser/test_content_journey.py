"""A visitor's tour of the brand's content in a real browser: open the home page, go to the
featured lookbook, follow "shop the look" to a product, open the blog, filter it by a tag, and
subscribe to the newsletter, confirming from the e-mail. Then a member reads the members-only
interview that a visitor only sees the teaser of."""

import re
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import browser_db, log_in_context
from tests.browser.test_journey import mails_in
from tests.content.blog_fixtures import make_check_blog
from tests.content.page_fixtures import make_check_pages
from tests.factories import MemberFactory
from tests.pagecheck import assert_no_axe_violations

pytestmark = [pytest.mark.browser, browser_db]


def newsletter_link(folder, address):
    sent = [m for m in mails_in(folder) if address in str(m["To"])]
    assert sent, f"no e-mail to {address}"
    body = sent[-1].get_body(preferencelist=("plain",)).get_content()
    links = re.findall(r"https?://\S+/newsletter/confirm/[^\s\"<>]+", body)
    assert links, f"no confirmation link in:\n{body}"
    return urlsplit(links[0]).path  # the link names the configured site, not the test's live server


def test_home_lookbook_product_blog_tag_newsletter(page, settings, tmp_path):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = mail_dir
    make_check_pages()
    make_check_blog()

    # Home: the featured lookbook is the newest one.
    page.goto("/")
    featured = page.locator("section.featured-lookbook")
    expect(featured.get_by_role("heading", name="Summer linen")).to_be_visible()
    with page.expect_navigation():
        featured.get_by_role("link", name="See the looks").click()
    expect(page).to_have_url(re.compile(r"/lookbooks/summer-linen/$"))
    expect(page.locator("main h1")).to_have_text("Summer linen")
    first_look = page.locator("#look-1")
    expect(first_look.get_by_role("heading", name="Shop the look")).to_be_visible()
    expect(first_look).to_contain_text("#linenweek")

    # Shop the look: the product page, which links on to the shop.
    with page.expect_navigation():
        first_look.get_by_role("link", name="Λινό πουκάμισο 0", exact=True).click()
    expect(page).to_have_url(re.compile(r"/products/look-piece-0/$"))
    expect(page.locator("main h1")).to_have_text("Λινό πουκάμισο 0")
    expect(page.locator('main a[href="https://shop.example.com/p/look-0"]')).to_have_count(1)

    # The blog, from the site menu, filtered by a tag in Greek.
    with page.expect_navigation():
        page.locator("header.site-header").get_by_role("link", name="Blog", exact=True).click()
    expect(page.locator("main h1")).to_have_text("Blog")
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name="Linen story 10").click()
    with page.expect_navigation():
        page.locator(".post-terms").get_by_role("link", name="#λινό").click()
    assert unquote(urlsplit(page.url).path) == "/blog/tag/λινό/"
    expect(page.locator("main h1")).to_contain_text("λινό")
    expect(page.locator("main .post-card")).to_have_count(10)  # the first page of 11 tagged posts
    assert_no_axe_violations(page, "a tag archive reached from a post")

    # The newsletter, from the footer form on this page (htmx swaps in the answer).
    page.fill("#newsletter-footer-email", "reader@example.com")
    page.check("#newsletter-footer-consent")
    page.locator("#newsletter-footer button").click()
    expect(page.locator("#newsletter-footer .newsletter-done")).to_be_visible()

    # The e-mail's link opens a page with a button: the GET alone confirms nothing.
    page.goto(newsletter_link(mail_dir, "reader@example.com"))
    expect(page.locator("main h1")).to_have_text("Confirm your subscription")
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name="Yes, subscribe me").click()
    expect(page).to_have_url(re.compile(r"/newsletter/confirmed/$"))

    from content.newsletter.models import Subscriber

    subscriber = Subscriber.objects.get(email="reader@example.com")
    assert subscriber.confirmed_at is not None


def test_members_only_page_shows_the_body_to_members_only(page, browser_context, live_server):
    make_check_pages()
    secret = "The secret members-only words of the interview."

    page.goto("/in-the-studio/")
    expect(page.locator(".members-gate")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(secret)
    with page.expect_navigation():
        page.locator(".members-gate").get_by_role("link", name="Log in").click()
    assert urlsplit(page.url).path == "/accounts/login/" and urlsplit(page.url).query == "next=/in-the-studio/"

    log_in_context(browser_context, live_server, MemberFactory())
    page.goto("/in-the-studio/")
    expect(page.locator(".members-content")).to_contain_text(secret)
    expect(page.locator(".members-gate")).to_have_count(0)
    assert_no_axe_violations(page, "a members-only page as a member")
