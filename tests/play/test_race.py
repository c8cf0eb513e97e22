"""Races on PostgreSQL: the same event delivered many times at once counts once and awards once;
two different events that both complete a challenge at once pay its points once; a badge earned
by many events at once is awarded and announced once."""

import os

import pytest
from django.db import transaction

from community.members.models import Notification
from engagement.play import services
from engagement.play.models import Badge, BadgeAward, ChallengeEntry, ChallengeStep, Goal
from engagement.play.rules import Rule
from referrals.models import LedgerEntry
from tests.factories import MemberFactory
from tests.race import race

from .conftest import make_challenge

THREADS = int(os.environ.get("RACE_THREADS", "12"))


def _event(member, goal, key):
    # each thread as a receiver runs it: in its own transaction, after the sender's commit
    with transaction.atomic():
        return len(services.challenge_event(member, goal, key))


@pytest.mark.django_db(transaction=True)
def test_the_same_event_at_once_counts_once_and_pays_once(on_postgres):
    member = MemberFactory()
    challenge = make_challenge(goal=Goal.REVIEWS, count=1, points=80)
    services.challenge_join(challenge, member)
    completed = race(THREADS, lambda i: _event(member, Goal.REVIEWS, "review:42"))
    assert sum(completed) == 1
    assert ChallengeStep.objects.count() == 1
    assert ChallengeEntry.objects.get().progress == 1
    assert list(LedgerEntry.objects.filter(member=member).values_list("points", flat=True)) == [80]


@pytest.mark.django_db(transaction=True)
def test_different_events_completing_at_once_pay_once(on_postgres):
    member = MemberFactory()
    challenge = make_challenge(goal=Goal.REVIEWS, count=3, points=120)
    services.challenge_join(challenge, member)
    services.challenge_event(member, Goal.REVIEWS, "review:1")
    services.challenge_event(member, Goal.REVIEWS, "review:2")
    # every thread brings a different review: each may be the one that reaches three
    completed = race(THREADS, lambda i: _event(member, Goal.REVIEWS, f"review:{100 + i}"))
    assert sum(completed) == 1
    entry = ChallengeEntry.objects.get()
    assert entry.completed_at is not None and entry.progress == ChallengeStep.objects.count() == 2 + THREADS
    assert list(LedgerEntry.objects.filter(member=member).values_list("points", flat=True)) == [120]


@pytest.mark.django_db(transaction=True)
def test_a_badge_earned_by_many_events_at_once_is_awarded_once(on_postgres):
    from tests.play.helpers import publish_review

    member = MemberFactory()
    publish_review(member)  # the rule is met; the award is removed to replay the event at once
    BadgeAward.objects.all().delete()
    Notification.objects.all().delete()

    def check(i):
        with transaction.atomic():
            return len(services.badges_check(member, [Rule.FIRST_REVIEW]))

    assert sum(race(THREADS, check)) == 1
    assert BadgeAward.objects.filter(badge=Badge.objects.get(rule=Rule.FIRST_REVIEW)).count() == 1
    assert Notification.objects.filter(recipient=member, kind="play_badge").count() == 1
