"""The admin's pages (badges, manual awards through the service, challenges, the support report)
answer staff and refuse others as the rest of the admin does; the help centre's pages are found
by site search as "Help" and product pages link to the live care page, following its publishing."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from community.members.models import Notification
from content.models import HelpIndexPage, HelpPage, HelpTopic, HomePage
from engagement.play.models import Badge, BadgeAward, Challenge
from engagement.play.rules import Rule
from tests.admin_access import assert_admin_refused, assert_sent_to_sign_in
from tests.factories import MemberFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    return MemberFactory(username="boss", is_staff=True, is_superuser=True)


def test_the_admin_lists_and_edits(client, admin):
    client.force_login(admin)
    for name in ("play_badges:index", "play_awards:index", "play_challenges:index", "play_challenges:add",
                 "play_badges:add", "play_awards:add", "play_support_report"):
        assert client.get(reverse(name)).status_code == 200, name


def test_members_and_staff_without_permission_are_refused(client, alice):
    for name in ("play_badges:index", "play_support_report"):
        client.force_login(alice)
        assert_sent_to_sign_in(client.get(reverse(name)))
    clerk = MemberFactory(is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(clerk)
    assert_admin_refused(client.get(reverse("play_support_report")))


def test_an_editor_gives_a_manual_badge_once_and_the_member_is_told(client, admin, alice,
                                                                       django_capture_on_commit_callbacks):
    badge = Badge.objects.create(rule=Rule.MANUAL, name="Studio guest")
    client.force_login(admin)
    url = reverse("play_awards:add")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"badge": badge.pk, "member": alice.pk, "note": "Visited"})
    assert response.status_code == 302
    award = BadgeAward.objects.get()
    assert (award.member, award.awarded_by, award.note) == (alice, admin, "Visited")
    assert Notification.objects.filter(recipient=alice, kind="play_badge").count() == 1
    again = client.post(url, {"badge": badge.pk, "member": alice.pk})
    assert again.status_code == 200 and "already has this badge" in again.content.decode()
    rule_badge = Badge.objects.get(rule=Rule.FIRST_POST)
    refused = client.post(url, {"badge": rule_badge.pk, "member": alice.pk})
    assert refused.status_code == 200 and BadgeAward.objects.count() == 1  # rule badges are the site's


def test_a_challenge_ending_before_it_starts_is_refused(client, admin):
    client.force_login(admin)
    now = timezone.now()
    response = client.post(reverse("play_challenges:add"), {
        "title": "Oops", "slug": "oops", "intro": "", "starts_at": now.strftime("%Y-%m-%d %H:%M"),
        "ends_at": (now - timezone.timedelta(days=1)).strftime("%Y-%m-%d %H:%M"), "goal": "photo_posts",
        "goal_count": 3, "hashtag": "", "points": 10})
    assert response.status_code == 200 and not Challenge.objects.exists()
    html = response.content.decode()
    assert "A challenge ends after it starts." in html and "A photo challenge needs a hashtag." in html


def _help(topic=HelpTopic.CARE, live=True):
    home = HomePage.objects.get()
    index = HelpIndexPage.objects.first() or home.add_child(instance=HelpIndexPage(title="Help", slug="help"))
    index.save_revision().publish()
    page = index.add_child(instance=HelpPage(title="Caring for wool", slug=f"care-{topic}", topic=topic,
                                             intro="Air it, do not wash it."))
    if live:
        page.save_revision().publish()
    else:
        page.unpublish()
    return page


def test_the_product_page_links_to_the_live_care_page_and_follows_it(client, settings):
    settings.PAGE_CACHE_SECONDS = 600
    product = ProductFactory()
    url = product.get_absolute_url()
    assert "care-link" not in client.get(url).content.decode()
    page = _help()
    assert f'href="{page.url}"' in client.get(url).content.decode()
    page.unpublish()
    assert "care-link" not in client.get(url).content.decode()


def test_help_pages_are_found_as_help(client):
    from wagtail.search.index import insert_or_update_object

    page = _help(HelpTopic.FAQ)
    insert_or_update_object(page)
    html = client.get("/search/", {"q": "wool", "type": "help"}).content.decode()
    assert "result__kind--help" in html and page.url in html
