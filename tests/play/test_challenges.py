"""Challenges: joining, progress from the real events, completion paying points once through the
ledger, the leaderboard by display name and only for those who opt in, and the pages."""

import datetime

import pytest
from django.urls import reverse

from community.forum.services import post_reply, topic_create, topic_mark_solved
from community.members.models import Notification
from engagement.play import services
from engagement.play.models import ChallengeEntry, ChallengeStep, Goal
from engagement.play.privacy import play_export
from referrals import ledger
from referrals.models import LedgerEntry

from .conftest import make_challenge
from .helpers import publish_photo, publish_review

pytestmark = pytest.mark.django_db


def entry_of(challenge, member):
    return ChallengeEntry.objects.get(challenge=challenge, member=member)


def challenge_points(member):
    return list(LedgerEntry.objects.filter(member=member, source_key__startswith="play:challenge:")
                .values_list("points", flat=True))


def test_reviews_after_joining_complete_the_challenge_and_pay_once(alice, django_capture_on_commit_callbacks):
    challenge = make_challenge(goal=Goal.REVIEWS, count=2, points=150)
    publish_review(alice)  # before joining: does not count
    services.challenge_join(challenge, alice)
    first = publish_review(alice)
    assert entry_of(challenge, alice).progress == 1 and challenge_points(alice) == []
    services.challenge_event(alice, Goal.REVIEWS, f"review:{first.pk}")  # the same review again
    assert entry_of(challenge, alice).progress == 1
    with django_capture_on_commit_callbacks(execute=True):
        publish_review(alice)
    entry = entry_of(challenge, alice)
    assert entry.progress == 2 and entry.completed_at is not None
    assert challenge_points(alice) == [150]
    with django_capture_on_commit_callbacks(execute=True):
        publish_review(alice)  # after completion nothing more
    assert entry_of(challenge, alice).progress == 2 and challenge_points(alice) == [150]
    assert ledger.balance(alice).approved >= 150
    assert Notification.objects.filter(recipient=alice, kind="play_challenge").count() == 1
    # the points page says what they were for, in plain words
    from referrals.loyalty.rules import programme_cached
    from referrals.loyalty.selectors import entry_explain

    paid = LedgerEntry.objects.get(member=alice, source_key__startswith="play:challenge:")
    assert paid.kind == LedgerEntry.Kind.CHALLENGE
    assert entry_explain(paid, programme_cached()) == ("Challenge completed", challenge.title)


def test_photo_posts_count_only_with_the_hashtag_in_any_case(alice):
    challenge = make_challenge(goal=Goal.PHOTO_POSTS, count=2, hashtag="SummerLook")
    services.challenge_join(challenge, alice)
    publish_photo(alice, "linen")
    assert entry_of(challenge, alice).progress == 0
    publish_photo(alice, "summerlook")
    publish_photo(alice, "SUMMERLOOK", "linen")
    entry = entry_of(challenge, alice)
    assert entry.progress == 2 and entry.completed_at is not None


def test_solved_answers_count_for_the_answerer(alice, bob, category, django_capture_on_commit_callbacks):
    challenge = make_challenge(goal=Goal.SOLVED_ANSWERS, count=1, points=30)
    services.challenge_join(challenge, alice)
    with django_capture_on_commit_callbacks(execute=True):
        topic = topic_create(bob, category, title="Moth holes", body="How to mend them?")
        answer = post_reply(alice, topic, body="Darn them with wool.")
    with django_capture_on_commit_callbacks(execute=True):
        topic_mark_solved(bob, topic, answer)
    assert entry_of(challenge, alice).completed_at is not None and challenge_points(alice) == [30]


def test_closed_upcoming_and_unpublished_challenges_cannot_be_joined(alice):
    for challenge in (make_challenge("past", start=-10, end=-1), make_challenge("soon", start=2, end=5),
                      make_challenge("draft", published=False)):
        with pytest.raises(services.JoinRefused):
            services.challenge_join(challenge, alice)


def test_events_after_the_end_do_not_count(alice):
    challenge = make_challenge(goal=Goal.REVIEWS, count=1)
    services.challenge_join(challenge, alice)
    later = challenge.ends_at + datetime.timedelta(minutes=1)
    assert services.challenge_event(alice, Goal.REVIEWS, "review:1", at=later) == []
    assert entry_of(challenge, alice).progress == 0


def test_joining_twice_keeps_one_entry(alice):
    challenge = make_challenge()
    _entry, created = services.challenge_join(challenge, alice)
    _again, created_again = services.challenge_join(challenge, alice)
    assert created and not created_again and ChallengeEntry.objects.count() == 1


def test_join_and_leaderboard_through_the_pages(client, alice, bob):
    challenge = make_challenge(goal=Goal.REVIEWS, count=2)
    url = challenge.get_absolute_url()
    response = client.get(url)
    assert response.status_code == 200 and "Log in</a> to join" in response.content.decode()
    assert client.post(reverse("play:challenge_join", args=[challenge.slug])).status_code == 302
    assert not ChallengeEntry.objects.exists()  # anonymous: sent to log in
    client.force_login(alice)
    client.post(reverse("play:challenge_join", args=[challenge.slug]), {"leaderboard": "1"})
    client.force_login(bob)
    client.post(reverse("play:challenge_join", args=[challenge.slug]))
    publish_review(bob)
    page = client.get(url).content.decode()
    assert 'max="2" value="1"' in page  # bob's progress bar
    board = page.split('class="challenge-board"')[1]
    assert "Alice" in board and "Bob" not in board  # bob did not opt in
    client.post(reverse("play:challenge_leaderboard", args=[challenge.slug]), {"show": "1"})
    assert "Bob" in client.get(url).content.decode().split('class="challenge-board"')[1]
    dashboard = client.get(reverse("members:dashboard")).content.decode()
    assert challenge.title in dashboard and "<progress" in dashboard


def test_pages_answer_404_for_unknown_huge_or_unpublished(client):
    make_challenge("draft", published=False)
    for slug in ("draft", "nope", "x" * 5000):
        assert client.get(f"/challenges/{slug}/").status_code == 404
    assert client.get(reverse("play:challenge_join", args=["draft"])).status_code in (302, 405)


def test_the_list_groups_open_upcoming_and_past(client):
    make_challenge("now", start=-1, end=3)
    make_challenge("later", start=3, end=9)
    make_challenge("before", start=-9, end=-2)
    page = client.get(reverse("play:challenges")).content.decode()
    assert page.index("Challenge now") < page.index("Challenge later") < page.index("Challenge before")


def test_export_and_erasure(alice):
    challenge = make_challenge()
    services.challenge_join(challenge, alice, leaderboard=True)
    assert play_export(alice)["challenges"][0]["on_leaderboard"] is True
    services.challenges_erase_member(alice)
    assert not ChallengeEntry.objects.exists() and not ChallengeStep.objects.exists()


def test_join_is_rate_limited(client, alice, monkeypatch):
    from engagement.play import views

    monkeypatch.setattr(views, "CHOICES_PER_HOUR", 2)
    client.force_login(alice)
    slugs = [make_challenge(f"c{n}").slug for n in range(3)]
    for slug in slugs:
        client.post(reverse("play:challenge_join", args=[slug]))
    assert ChallengeEntry.objects.count() == 2
