"""Campaigns: the dates decide the entries, the countdown's words, the page and its index, the
admin form's typed hashtag, XSS in what editors write, and pinned query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from community.posts.campaigns import campaign_countdown, campaign_entries, campaign_hashtag, countdown_text
from community.posts.models import Campaign, Hashtag, Post

from .conftest import make_post

XSS = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&'


def campaign_make(tag="LayerUp", slug="layer-up", starts=-5, ends=10, **fields):
    now = timezone.now()
    return Campaign.objects.create(
        hashtag=campaign_hashtag(tag), slug=slug, title=fields.pop("title", "Layer up"),
        starts_at=now + datetime.timedelta(days=starts), ends_at=now + datetime.timedelta(days=ends), **fields)


def backdate(post, days):
    when = timezone.now() + datetime.timedelta(days=days)
    Post.objects.filter(pk=post.pk).update(created_at=when, published_at=when)
    post.refresh_from_db()
    return post


NOW = datetime.datetime(2026, 11, 26, 12, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(("left", "text"), [
    (datetime.timedelta(days=3, hours=5), "in 3 days"),
    (datetime.timedelta(days=1), "in 1 day"),
    (datetime.timedelta(hours=23, minutes=59), "in 23 hours"),
    (datetime.timedelta(hours=1), "in 1 hour"),
    (datetime.timedelta(minutes=59, seconds=59), "in 59 minutes"),
    (datetime.timedelta(minutes=1), "in 1 minute"),
    (datetime.timedelta(seconds=59), "in less than a minute"),
    (datetime.timedelta(seconds=0), ""),
    (datetime.timedelta(days=-2), ""),
])
def test_countdown_words(left, text):
    assert countdown_text(NOW + left, NOW) == text


def test_countdown_states(db):
    campaign = Campaign(starts_at=NOW, ends_at=NOW + datetime.timedelta(days=7))
    before = campaign_countdown(campaign, NOW - datetime.timedelta(hours=2))
    assert (before.state, before.target, before.text) == ("upcoming", NOW, "in 2 hours")
    running = campaign_countdown(campaign, NOW)  # the start is included
    assert (running.state, running.text) == ("running", "in 7 days")
    ended = campaign_countdown(campaign, NOW + datetime.timedelta(days=7))  # the end is not
    assert (ended.state, ended.target, ended.text) == ("ended", None, "")


def test_countdown_is_translated(db):
    with translation.override("el"):
        text = countdown_text(NOW + datetime.timedelta(days=3), NOW)
    assert text  # the English words until the catalogue has them; never empty or an error


def test_the_hashtag_typed_is_found_by_its_key_or_made(db):
    existing = Hashtag.objects.create(name="Sommerlook", key="sommerlook", slug="sommerlook")
    assert campaign_hashtag("#SOMMERLOOK") == existing
    assert campaign_hashtag("sommerlook") == existing
    made = campaign_hashtag("#Καλοκαίρι")
    assert (made.name, made.key) == ("Καλοκαίρι", "καλοκαίρι")
    from django.core.exceptions import ValidationError

    for bad in ("", "#", "two words", "#a #b", "summer-look", "x" * 101, "#1234", "<b>"):
        with pytest.raises(ValidationError):
            campaign_hashtag(bad)


def test_entries_are_the_live_posts_under_the_hashtag_within_the_dates(alice, bob):
    campaign = campaign_make(starts=-5, ends=10)
    inside = backdate(make_post(alice, caption="Warm #layerup"), -1)
    early = backdate(make_post(bob, caption="Too early #LayerUp"), -6)
    make_post(bob, caption="Another tag #winter")
    hidden = make_post(bob, caption="Hidden #layerup")
    Post.objects.filter(pk=hidden.pk).update(hidden=True)
    pending = make_post(bob, caption="Waiting #layerup")
    Post.objects.filter(pk=pending.pk).update(status=Post.Status.PENDING, published_at=None)
    assert [p.pk for p in campaign_entries(campaign).items] == [inside.pk]
    ended = campaign_make(tag="LayerUp", slug="old", starts=-30, ends=-2)
    assert [p.pk for p in campaign_entries(ended).items] == [early.pk]  # what came after its end does not count


def test_campaign_page_lists_entries_with_countdown(client, alice, settings):
    settings.POSTS_PER_PAGE = 2
    campaign = campaign_make(prize_text="A knit of your choice", description="Show your layers.\n\nSecond paragraph.")
    for i in range(3):
        make_post(alice, caption=f"Entry {i} #layerup")
    response = client.get(reverse("posts:campaign", args=[campaign.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Layer up" in html and "A knit of your choice" in html and "<p>Second paragraph.</p>" in html
    assert 'data-countdown' in html and "in 9 days" in html and "js/countdown" in html
    assert html.count('class="photo-card"') == 2 and "Load more" in html
    cursor = response.context["page"].next_cursor
    more = client.get(reverse("posts:campaign", args=[campaign.slug]), {"cursor": cursor, "fragment": "1"})
    assert more.content.decode().count('class="photo-card"') == 1 and "<html" not in more.content.decode()
    assert client.get(reverse("posts:campaign", args=["no-such"])).status_code == 404
    assert client.get(reverse("posts:campaign", args=[campaign.slug]), {"cursor": "garbage%%"}).status_code == 200


def test_ended_and_upcoming_pages(client, db):
    ended = campaign_make(slug="ended", starts=-20, ends=-1)
    upcoming = campaign_make(slug="soon", starts=3, ends=20, title="Soon")
    html = client.get(reverse("posts:campaign", args=[ended.slug])).content.decode()
    assert "This campaign has ended." in html and "data-countdown" not in html
    html = client.get(reverse("posts:campaign", args=[upcoming.slug])).content.decode()
    assert ("Starts" in html and "in 3 days" in html) or "in 2 days" in html


def test_index_lists_running_and_upcoming(client, db):
    campaign_make(slug="running", title="Running one")
    campaign_make(slug="soon", starts=3, ends=20, title="Upcoming one")
    campaign_make(slug="ended", starts=-20, ends=-1, title="Ended one")
    html = client.get(reverse("posts:campaigns")).content.decode()
    assert "Running one" in html and "Upcoming one" in html and "Ended one" not in html


def test_xss_in_title_description_and_prize_is_harmless(client, alice):
    campaign = campaign_make(title=XSS, description=XSS, prize_text=XSS)
    for url in (reverse("posts:campaign", args=[campaign.slug]), reverse("posts:campaigns")):
        html = client.get(url).content.decode()
        assert "<script>alert(1)" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    html = client.get(reverse("posts:campaign", args=[campaign.slug])).content.decode()
    ld = html.split('type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in ld and "\\u003Cscript\\u003E" in ld


def test_campaign_page_query_count_is_constant(client, alice, bob, assert_queries, settings):
    settings.POSTS_PER_PAGE = 24
    campaign = campaign_make()
    make_post(alice, caption="One #layerup")
    url = reverse("posts:campaign", args=[campaign.slug])

    def grow():
        for i in range(5):
            make_post(bob if i % 2 else alice, caption=f"More {i} #layerup #other{i}", photos=2)

    # the campaign with its hashtag and hero, the entries with their authors, their first photos;
    # and the site menu's three (site, locale, view restrictions)
    assert_queries(7, lambda: client.get(url), grow=grow)
    assert_queries(6, lambda: client.get(reverse("posts:campaigns")), grow=lambda: campaign_make(slug="second"))


def test_admin_form_finds_or_makes_the_hashtag(client, db):
    from tests.factories import MemberFactory

    client.force_login(MemberFactory(is_staff=True, is_superuser=True))
    url = reverse("wagtailsnippets_posts_campaign:add")
    assert client.get(url).status_code == 200
    data = {"title": "Été", "slug": "ete", "hashtag_name": "#Été", "starts_at": "2026-12-01 10:00",
            "ends_at": "2026-12-31 10:00", "description": "", "prize_text": ""}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign = Campaign.objects.get()
    assert (campaign.hashtag.name, campaign.hashtag.key) == ("Été", "été")
    edit = reverse("wagtailsnippets_posts_campaign:edit", args=[campaign.pk])
    assert "#Été" in client.get(edit).content.decode()
    bad = client.post(url, {**data, "slug": "bad", "hashtag_name": "not one", "ends_at": "2026-11-01 10:00"})
    assert bad.status_code == 200 and Campaign.objects.count() == 1
    assert Hashtag.objects.count() == 1  # a refused form makes no hashtag
    assert "Type one hashtag" in bad.content.decode() and "The end must come after the start" in bad.content.decode()
