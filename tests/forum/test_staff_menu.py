"""Staff under a post (issue 17, item 12): Like, Reply and Quote stay in sight, the rest sits in a
"More" menu; the hide reason is labelled; merging finds the target topic by words of its title;
the Wagtail dashboard shows what waits for moderators and the week's activity."""

import re

import pytest
from django.urls import reverse

from community.forum import services
from community.forum.models import Topic

pytestmark = pytest.mark.django_db


def test_a_moderator_sees_three_actions_and_a_menu(client, topic, bob, moderator):
    services.post_reply(bob, topic, body="A reply")
    client.force_login(moderator)
    html = client.get(topic.get_absolute_url()).content.decode()
    post = re.search(r'<article class="forum-post[^"]*" id="post-2".*?</article>', html, re.S).group(0)
    footer = re.search(r'<footer class="forum-post__actions cluster">(.*?)<details', post, re.S).group(1)
    visible = re.findall(r">\s*(Like|Reply|Quote|Edit|Hide|Delete|Report)\b", footer)
    assert visible == ["Like", "Reply", "Quote"], visible
    menu = re.search(r'<details class="post-menu">.*?</details>', post, re.S).group(0)
    assert "Hide" in menu and "Delete" in menu and "Edit" in menu
    label = re.search(r'<label for="(hide-reason-\d+)">([^<]+)</label>', menu)
    assert label and f'id="{label.group(1)}" name="reason"' in menu


def test_merge_finds_the_target_by_its_title(client, topic, alice, category, moderator):
    target = services.topic_create(alice, category, title="Linen care, the long thread", body="Everything on linen")
    services.topic_create(alice, category, title="Wool socks", body="Darning")
    client.force_login(moderator)
    html = client.get(topic.get_absolute_url() + "?merge_q=linen+thread").content.decode()
    assert 'name="merge_q" value="linen thread"' in html
    choices = re.findall(r'<input type="radio" name="target" value="(\d+)" required> ([^<]+)<', html)
    assert choices == [(str(target.pk), "Linen care, the long thread ")]
    assert 'type="number"' not in re.search(r'id="merge-heading".*?</section>', html, re.S).group(0)
    response = client.post(reverse("forum:moderate_topic", args=[topic.pk]), {"action": "merge", "target": target.pk})
    assert response.status_code == 302 and Topic.objects.get(pk=topic.pk).merged_into_id == target.pk


def test_a_member_gets_no_merge_search(client, topic, bob):
    client.force_login(bob)
    html = client.get(topic.get_absolute_url() + "?merge_q=linen").content.decode()
    assert "merge-find" not in html and 'name="target"' not in html


def test_the_dashboard_shows_the_queue_and_the_week(admin_client, topic, bob):
    services.post_reply(bob, topic, body="A reply")
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Waiting for moderators" in html and reverse("moderation_queue:index") in html
    week = re.search(r'aria-labelledby="community-week-heading">(.*?)</section>', html, re.S).group(1)
    assert re.search(r"<span>\d+</span> new members?", week) and "<span>1</span> new forum topic" in week
    assert "<span>0</span> orders" in week
