"""Badge rules, computed from what members did through the real events; awarded once, announced
once, erased with the account, exported; manual badges given by editors."""

import datetime

import pytest
from django.utils import timezone

from community.forum.services import post_reply, topic_create, topic_mark_solved
from community.members.models import Notification
from community.posts.models import Post as PhotoPost
from community.posts.signals import posts_featured_changed
from community.reviews.signals import review_voted
from engagement.play import services
from engagement.play.models import Badge, BadgeAward
from engagement.play.privacy import play_export
from engagement.play.rules import Rule
from referrals.models import Referral
from tests.factories import MemberFactory

from .helpers import publish_photo, publish_review

pytestmark = pytest.mark.django_db


def rules_of(member):
    return sorted(BadgeAward.objects.filter(member=member).values_list("badge__rule", flat=True))


def test_every_rule_has_its_badge_from_the_migration():
    assert sorted(Badge.objects.exclude(rule=Rule.MANUAL).values_list("rule", flat=True)) == sorted(
        r for r in Rule.values if r != Rule.MANUAL)


def test_a_first_forum_post_earns_the_badge_once_and_announces_it(alice, category, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        topic = topic_create(alice, category, title="Linen at 40?", body="Does it shrink?")
    with django_capture_on_commit_callbacks(execute=True):
        post_reply(alice, topic, body="And what about wool?")
    assert rules_of(alice) == [Rule.FIRST_POST]
    notes = Notification.objects.filter(recipient=alice, kind="play_badge")
    assert [n.title for n in notes] == ["You earned the badge “First post”"]
    assert notes[0].url == alice.get_absolute_url()


def test_reviews_and_helpful_votes(alice, bob):
    review = publish_review(alice, helpful=9)
    assert rules_of(alice) == [Rule.FIRST_REVIEW]
    review_voted.send(sender=type(review), review=review, member=bob)
    assert rules_of(alice) == [Rule.FIRST_REVIEW]  # 9 votes
    type(review).objects.filter(pk=review.pk).update(helpful_count=10)
    review_voted.send(sender=type(review), review=review, member=bob)
    assert rules_of(alice) == [Rule.FIRST_REVIEW, Rule.HELPFUL_10]


def test_five_solved_answers_by_others_not_own_topics(alice, bob, category, django_capture_on_commit_callbacks):
    for n in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            topic = topic_create(bob, category, title=f"Question {n}", body=f"How do I do thing {n}?")
            answer = post_reply(alice, topic, body=f"Like this, for thing {n}.")
        assert Rule.SOLVED_5 not in rules_of(alice)
        with django_capture_on_commit_callbacks(execute=True):
            topic_mark_solved(bob, topic, answer)
    assert Rule.SOLVED_5 in rules_of(alice)
    # her own question answered by herself does not count (the rule counts others' topics)
    assert not services.badges_check(bob, [Rule.SOLVED_5])


def test_three_qualified_referrals(alice, django_capture_on_commit_callbacks):
    for _n in range(3):
        friend = MemberFactory()
        with django_capture_on_commit_callbacks(execute=True):
            referral = Referral.objects.create(referrer=alice, friend=friend, via=Referral.Via.LINK)
        assert Rule.REFERRALS_3 not in rules_of(alice)  # joined, not qualified yet
        with django_capture_on_commit_callbacks(execute=True):
            referral.qualified_at = timezone.now()
            referral.save()
    assert Rule.REFERRALS_3 in rules_of(alice)


def test_a_featured_photo(alice, django_capture_on_commit_callbacks):
    post = publish_photo(alice, "linen")
    posts_featured_changed.send(sender=PhotoPost, post_ids=[post.pk])
    assert rules_of(alice) == []
    PhotoPost.objects.filter(pk=post.pk).update(featured_at=timezone.now(), rights_granted_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        posts_featured_changed.send(sender=PhotoPost, post_ids=[post.pk])
    with django_capture_on_commit_callbacks(execute=True):
        posts_featured_changed.send(sender=PhotoPost, post_ids=[post.pk])
    assert rules_of(alice) == [Rule.FEATURED_PHOTO]
    assert Notification.objects.filter(recipient=alice, kind="play_badge").count() == 1


def test_a_year_a_member_by_the_daily_run(alice, bob):
    type(alice).objects.filter(pk=alice.pk).update(date_joined=timezone.now() - datetime.timedelta(days=366))
    type(bob).objects.filter(pk=bob.pk).update(date_joined=timezone.now() - datetime.timedelta(days=300))
    assert services.play_daily() == 1
    assert services.play_daily() == 0  # safe to run twice
    assert rules_of(alice) == [Rule.MEMBER_YEAR] and rules_of(bob) == []


def test_inactive_badges_and_closed_accounts_get_nothing(alice, bob):
    Badge.objects.filter(rule=Rule.FIRST_REVIEW).update(active=False)
    publish_review(alice)
    assert rules_of(alice) == []
    Badge.objects.filter(rule=Rule.FIRST_REVIEW).update(active=True)
    type(bob).objects.filter(pk=bob.pk).update(is_active=False)
    bob.refresh_from_db()
    publish_review(bob)
    assert rules_of(bob) == []


def test_a_manual_badge_is_given_once_and_exported_then_erased(alice, staff):
    badge = Badge.objects.create(rule=Rule.MANUAL, name="Repair café host", description="Hosted a repair café.")
    assert services.badge_award(badge, alice, by=staff) is not None
    assert services.badge_award(badge, alice, by=staff) is None
    exported = play_export(alice)
    assert [b["badge"] for b in exported["badges"]] == ["Repair café host"]
    services.badges_erase_member(alice)
    assert not BadgeAward.objects.filter(member=alice).exists()


def test_a_manual_badge_needs_a_name_and_one_badge_per_rule():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        Badge(rule=Rule.MANUAL, name=" ").full_clean()
    with pytest.raises(ValidationError):
        Badge(rule=Rule.FIRST_POST).full_clean()  # that rule has its badge already
