"""A member's whole first visit, in a real browser against the live server.

Sign up, confirm the address from the e-mail (read from the mail folder, as a developer would),
log out and in again, edit the profile with an avatar, see the public profile, log out. And the
Wagtail admin, whose sign-in goes through allauth.
"""

import email
import email.policy
import io
import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import browser_db
from tests.factories import PASSWORD, MemberFactory
from tests.pagecheck import assert_no_axe_violations

pytestmark = [pytest.mark.browser, browser_db]

MAIL_SEPARATOR = re.compile(r"^-{79}$", re.MULTILINE)  # between messages in a file-backend .log


def mails_in(folder):
    """Every message the file e-mail backend wrote to `folder`, oldest file first."""
    messages = []
    for log in sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime):
        for raw in MAIL_SEPARATOR.split(log.read_text(encoding="utf-8")):
            if raw.strip():
                messages.append(email.message_from_string(raw.lstrip("\n"), policy=email.policy.default))
    return messages


def confirmation_link(folder, address):
    sent = [m for m in mails_in(folder) if address in str(m["To"])]
    assert sent, f"no e-mail to {address} in {folder}: {sorted(p.name for p in folder.iterdir())}"
    body = sent[-1].get_body(preferencelist=("plain", "html")).get_content()
    links = re.findall(r"https?://\S+/accounts/confirm-email/[^\s\"<>]+", body)
    assert links, f"no confirmation link in the e-mail:\n{body}"
    return links[0]


def main_form_button(page):
    """The submit button of the page's own form (the header has a search and a log-out button)."""
    return page.locator("main form").locator("button[type=submit], input[type=submit]")


def path_of(page):
    return urlsplit(page.url).path


def log_out(page):
    with page.expect_navigation():
        page.locator("header.site-header").get_by_role("button", name="Log out").click()
    if path_of(page).endswith("/accounts/logout/"):  # allauth's "are you sure?" page
        with page.expect_navigation():
            main_form_button(page).click()
    expect(page.locator("header.site-header").get_by_role("link", name="Log in")).to_be_visible()
    expect(page.locator("header.site-header").get_by_role("button", name="Log out")).to_have_count(0)


def log_in(page, login, password):
    page.goto("/accounts/login/")
    page.fill("#id_login", login)
    page.fill("#id_password", password)
    with page.expect_navigation():
        main_form_button(page).click()


def avatar_png(folder):
    path = folder / "avatar.png"
    image = Image.new("RGB", (300, 200), (15, 92, 77))  # not square: the site crops it
    image.paste((251, 250, 248), (100, 50, 200, 150))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


def test_sign_up_confirm_log_in_edit_profile_log_out(page, settings, tmp_path):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = mail_dir
    address, username, password = "zoe.walker@example.com", "zoë.walker", "kettle-lighthouse-47"
    display_name, bio = "Zoë Þórsdóttir-Walker", "Runner, reader and early-morning baker."

    # Sign up.
    page.goto("/accounts/signup/")
    page.fill("#id_email", address)
    page.fill("#id_username", username)
    page.fill("#id_password1", password)
    page.fill("#id_password2", password)
    main_form_button(page).click()
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    expect(page.locator("header.site-header").get_by_role("button", name="Log out")).to_have_count(0)
    # Pages only reachable along the way get the accessibility check here.
    assert_no_axe_violations(page, "the 'verification sent' page")

    # The verification e-mail is in the mail folder; its link opens a page with a button
    # (ACCOUNT_CONFIRM_EMAIL_ON_GET is off: a GET writes nothing).
    link = confirmation_link(mail_dir, address)
    page.goto(link)
    expect(page.locator("main h1")).to_be_visible()
    assert_no_axe_violations(page, "the e-mail confirmation page")
    main_form_button(page).click()
    # Confirming signs the new member in (ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION) and welcomes them.
    expect(page).to_have_url(re.compile(r"/me/welcome/$"))
    expect(page.locator("header.site-header").get_by_role("button", name="Log out")).to_be_visible()
    assert_no_axe_violations(page, "the dashboard after confirming, with its messages")

    log_out(page)

    # Sign in again by e-mail address.
    log_in(page, address, password)
    expect(page).to_have_url(re.compile(r"/me/$"))
    expect(page.locator("header.site-header").get_by_role("button", name="Log out")).to_be_visible()

    # Edit the profile: display name, bio and an avatar.
    page.goto("/me/profile/")
    page.fill("#id_display_name", display_name)
    page.fill("#id_bio", bio)
    page.set_input_files("#id_avatar_upload", str(avatar_png(tmp_path)))
    main_form_button(page).click()

    profile_path = f"/members/{quote(username)}/"
    expect(page).to_have_url(re.compile(re.escape(profile_path) + "$"))
    expect(page.locator("main h1")).to_have_text(display_name)
    expect(page.locator("main")).to_contain_text(bio)
    expect(page.locator("main img.avatar")).to_have_count(1)
    expect(page.locator("header.site-header")).to_contain_text(display_name)
    expect(page.locator(".messages")).to_contain_text("Your profile is saved.")
    assert_no_axe_violations(page, "the profile after saving, with its message")

    # The profile is public: it still shows after logging out.
    log_out(page)
    page.goto(profile_path)
    expect(page.locator("main h1")).to_have_text(display_name)
    expect(page.locator("main img.avatar")).to_have_count(1)


def test_wagtail_admin_signs_in_through_allauth(page):
    staff = MemberFactory(is_staff=True, is_superuser=True)

    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    next_url = parse_qs(urlsplit(page.url).query)["next"][0]
    assert next_url == "/admin/"

    page.fill("#id_login", staff.email)
    page.fill("#id_password", PASSWORD)
    main_form_button(page).click()

    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator(".w-dashboard")).to_be_visible()
    expect(page.locator(".w-dashboard h1")).to_contain_text("Brand Community")
