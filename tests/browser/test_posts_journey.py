"""Photo posts in a real browser: a member shares a post with two photos and hashtags (a campaign's
among them); it shows on the hashtag's page and the campaign's; another member likes it and
comments; an editor features it; the home page's "From our members" shows it. Each signs in
through the login form, as a person would."""

import datetime
import io
import re

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from community.moderation.services import moderator_grant
from community.posts.campaigns import campaign_hashtag
from community.posts.models import Campaign, Comment, Post
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


def jpeg(colour, size=(480, 600)):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG", quality=85)
    return out.getvalue()


def test_post_tag_campaign_like_comment_feature_home(page):
    author = old_member(username="ελένη", display_name="Ελένη", email="eleni@example.com")
    friend = old_member(username="åsne", display_name="Åsne", email="asne@example.com")
    editor = moderator_grant(old_member(username="editor", display_name="The team", is_staff=True,
                                        email="editor@example.com"))
    now = timezone.now()
    Campaign.objects.create(hashtag=campaign_hashtag("#Sommerlook"), slug="sommerlook", title="Sommerlook 2026",
                            description="Your summer looks.", prize_text="A linen shirt",
                            starts_at=now - datetime.timedelta(days=1), ends_at=now + datetime.timedelta(days=3, hours=2))

    # Ελένη shares two photos with their alt texts, hashtags and the rights to feature them.
    log_in(page, author.email, PASSWORD)
    page.goto("/posts/new/")
    page.set_input_files("#id_photo_1", files=[{"name": "sea.jpg", "mimeType": "image/jpeg", "buffer": jpeg((40, 110, 160))}])
    page.fill("#id_alt_1", "The sea at dusk, a linen shirt on a chair")
    page.set_input_files("#id_photo_2", files=[{"name": "shirt.jpg", "mimeType": "image/jpeg", "buffer": jpeg((216, 195, 160))}])
    page.fill("#id_alt_2", "A sand-coloured linen shirt, folded")
    page.fill("#id_caption", "Summer by the sea #Sommerlook #καλοκαίρι")
    page.check("#id_rights")
    with page.expect_navigation():
        main_form_button(page).filter(has_text="Post").click()
    post = Post.objects.get()
    expect(page).to_have_url(re.compile(rf"/posts/{post.pk}/$"))
    assert post.photos.count() == 2 and post.rights_granted_at is not None
    expect(page.locator("main")).to_contain_text("Summer by the sea")
    log_out(page)

    # Anyone finds it under its hashtag, and among the campaign's entries with its countdown.
    page.goto("/tags/καλοκαίρι/")
    expect(page.locator(f'main a[href="/posts/{post.pk}/"]').first).to_be_visible()
    page.goto("/posts/campaigns/sommerlook/")
    expect(page.locator(f'main a[href="/posts/{post.pk}/"]').first).to_be_visible()
    expect(page.locator(".countdown time")).to_have_text(re.compile(r"in 3 days"))  # the script keeps the words
    assert_no_axe_violations(page, "the campaign page")

    # Åsne likes it (htmx swaps the button) and comments.
    log_in(page, friend.email, PASSWORD)
    page.goto(post.get_absolute_url())
    page.locator(".like").get_by_role("button", name=re.compile("^Like")).click()
    expect(page.locator(".like").get_by_role("button", name=re.compile("^Liked"))).to_have_attribute("aria-pressed", "true")
    page.locator(".comment-form textarea").fill("Beautiful light, @ελένη!")
    page.locator(".comment-form").get_by_role("button", name="Post the comment").click()
    expect(page.locator(".comment-list")).to_contain_text("Beautiful light")
    assert Post.objects.get().like_count == 1 and Comment.objects.filter(post=post).count() == 1
    log_out(page)

    # An editor features it from the post's page.
    log_in(page, editor.email, PASSWORD)
    page.goto(post.get_absolute_url())
    with page.expect_navigation():
        page.locator(".post-moderation").get_by_role("button", name="Feature").click()
    expect(page.locator(".post-moderation")).to_contain_text("Featured by the brand.")
    assert Post.objects.get().featured_at is not None
    log_out(page)

    # The home page shows it in "From our members".
    page.goto("/")
    strip = page.locator("section.members-posts")
    expect(strip.get_by_role("heading", name="From our members")).to_be_visible()
    expect(strip.locator(f'a[href="/posts/{post.pk}/"]').first).to_be_visible()
    assert_no_axe_violations(page, "the home page with members' posts")
