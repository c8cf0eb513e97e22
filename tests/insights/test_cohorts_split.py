"""Cohorts, the community effect and engagement against hand-computed fixtures; the registries."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from community.forum.models import Category, Post, PostLike, Topic
from insights import periods, selectors, sources, stats
from tests.factories import MemberFactory
from tests.insights.fixtures import at, order

pytestmark = pytest.mark.django_db

Q1 = periods.Range(datetime.date(2025, 1, 1), datetime.date(2025, 3, 31))


@pytest.fixture(autouse=True)
def athens(settings):
    settings.TIME_ZONE = "Europe/Athens"
    settings.INSIGHTS_WINDOW_DAYS = 365


def test_cohorts_by_hand():
    """January: K (again in March), L (again in February and March), M (never again; a refunded
    second order does not count). February: N (again in February: same month, not a return).
    P's first order was in 2024: no cohort here."""
    order("K1", "k@x.net", at(2025, 1, 3, 12), "10.00")
    order("K2", "k@x.net", at(2025, 3, 2, 12), "10.00")
    order("L1", "l@x.net", at(2025, 1, 20, 12), "10.00")
    order("L2", "l@x.net", at(2025, 2, 2, 12), "10.00")
    order("L3", "l@x.net", at(2025, 3, 9, 12), "10.00")
    order("M1", "m@x.net", at(2025, 1, 25, 12), "10.00")
    order("M2", "m@x.net", at(2025, 2, 25, 12), "10.00", status="refunded", refunded="10.00")
    order("N1", "n@x.net", at(2025, 2, 5, 12), "10.00")
    order("N2", "n@x.net", at(2025, 2, 15, 12), "10.00")
    order("P1", "p@x.net", at(2024, 11, 5, 12), "10.00")
    order("P2", "p@x.net", at(2025, 2, 5, 12), "10.00")
    jan, feb, mar = selectors.cohorts(Q1)
    assert (jan.size, jan.cells) == (3, [(1, 1, pytest.approx(1 / 3)), (2, 2, pytest.approx(2 / 3))])
    assert (feb.size, feb.cells) == (1, [(1, 0, 0.0)])
    assert (mar.size, mar.cells) == (0, [])


def _forum_member(username, when):
    member = MemberFactory(username=username)
    category = Category.objects.get_or_create(slug="talk", defaults={"name": "Talk"})[0]
    topic = Topic.objects.create(category=category, title=f"Hello from {username}", slug=username, author=member,
                                 created_at=when, last_posted_at=when)
    Post.objects.create(topic=topic, number=1, author=member, body="hi", body_html="<p>hi</p>", created_at=when)
    return member


def test_community_effect_counts_and_too_few(settings):
    """In Q1: active members A (a forum topic in February) and B (a like in March); a quiet member Q;
    guests G and H. Everyone had an order in 2024 and some ordered again."""
    a = _forum_member("act-a", at(2025, 2, 1, 12))
    b = MemberFactory(username="act-b")
    PostLike.objects.create(post=Post.objects.get(author=a), member=b, created_at=at(2025, 3, 3, 12))
    old = _forum_member("old", at(2024, 6, 1, 12))  # active only before the range: quiet in it
    q = MemberFactory(username="quiet")
    for ref, who in (("A", a), ("B", b), ("Q", q), ("O", old)):
        order(f"{ref}1", who.email, at(2024, 5, 1, 12), "50.00", member=who)
    order("A2", a.email, at(2025, 2, 10, 12), "70.00", member=a)
    order("B2", b.email, at(2025, 3, 10, 12), "30.00", member=b)
    order("G1", "g@x.net", at(2024, 5, 1, 12), "20.00")
    order("H1", "h@x.net", at(2025, 1, 5, 12), "40.00")
    settings.INSIGHTS_MIN_SAMPLE = 2
    _segment, groups = selectors.community_effect(Q1, "community")
    by_key = {g.key: g for g in groups}
    active, quiet, guests = by_key["active"], by_key["quiet"], by_key["guest"]
    assert (active.figures.customers_start, active.kept.count, active.figures.customers_end,
            active.repeat.count) == (2, 2, 2, 2)
    assert (quiet.figures.customers_start, quiet.kept.count, quiet.repeat.count) == (2, 2, 0)
    assert (guests.figures.customers_start, guests.figures.customers_end, guests.figures.new) == (1, 2, 1)
    assert active.kept.enough and not guests.kept.enough
    assert (active.kept.low, active.kept.high) == pytest.approx(stats.wilson(2, 2))
    assert active.aov.value == Decimal("50.00")  # (50 + 70 + 50 + 30) / 4 orders in the window
    settings.INSIGHTS_MIN_SAMPLE = 30
    _segment, groups = selectors.community_effect(Q1, "community")
    assert not any(g.kept.enough or g.repeat.enough or g.aov.enough for g in groups)


def test_wilson_table():
    for successes, n, low, high in [(0, 10, 0.0, 0.2775), (5, 10, 0.2366, 0.7634), (10, 10, 0.7225, 1.0),
                                    (81, 263, 0.2553, 0.3662)]:
        assert stats.wilson(successes, n) == (pytest.approx(low, abs=1e-4), pytest.approx(high, abs=1e-4))
    assert stats.wilson(0, 0) is None


def test_engagement_by_hand():
    a = _forum_member("eng-a", at(2025, 1, 10, 10))
    b = MemberFactory(username="eng-b", date_joined=at(2025, 2, 3, 12))
    topic = Topic.objects.get(author=a)
    reply = Post.objects.create(topic=topic, number=2, author=b, body="answer", body_html="<p>answer</p>",
                                created_at=at(2025, 1, 10, 16))
    topic.solution = reply
    topic.save()
    PostLike.objects.create(post=reply, member=a, created_at=at(2025, 3, 1, 12))
    jan, feb, mar = selectors.engagement(Q1)
    assert (jan.active_members, jan.topics, jan.replies, jan.solved_rate, jan.median_first_answer_hours) == (
        2, 1, 1, 1.0, 6.0)
    assert (feb.active_members, feb.new_members, feb.topics) == (0, 1, 0)
    assert mar.active_members == 1


def test_a_later_capability_plugs_in_its_activity():
    """Engagement (surveys, badges) is built later: it registers an activity source from its own
    app, and members doing only that count as active."""
    member = MemberFactory(username="surveyed")
    from django.contrib.auth import get_user_model
    from django.db.models import F

    def survey_answers():
        return get_user_model().objects.filter(username="surveyed").values(
            insights_member=F("pk"), insights_at=F("date_joined"))

    member.date_joined = timezone.make_aware(datetime.datetime(2025, 2, 14, 12))
    member.save()
    sources.register_activity("test_survey", "survey answers", survey_answers)
    try:
        ids = set(selectors.active_member_ids(Q1.since, Q1.until).values_list("insights_member", flat=True))
        assert member.pk in ids
    finally:
        sources._activity.pop("test_survey")


def test_newsletter_confirmations_and_unsubscriptions_by_month():
    """content.newsletter registers its two series: confirmed and unsubscribed addresses a month."""
    from content.newsletter.models import Source, Subscriber

    consent = {"language": "en", "consent_version": "1", "consent_text": "Yes", "consent_at": at(2025, 1, 1, 9),
               "consent_source": Source.values[0]}
    Subscriber.objects.create(email="a@example.com", confirmed_at=at(2025, 1, 5, 9), **consent)
    Subscriber.objects.create(email="b@example.com", confirmed_at=at(2025, 1, 20, 9), unsubscribed_at=at(2025, 3, 2, 9),
                              **consent)
    Subscriber.objects.create(email="c@example.com", **consent)  # never confirmed: counts nowhere
    jan, feb, mar = selectors.engagement(Q1)
    assert dict(jan.extra)["newsletter confirmations"] == 2 and dict(jan.extra)["newsletter unsubscriptions"] == 0
    assert dict(feb.extra)["newsletter confirmations"] == 0
    assert dict(mar.extra)["newsletter unsubscriptions"] == 1


def test_survey_answers_and_challenges_count_as_community_activity():
    from engagement.lifecycle.models import Survey

    member = MemberFactory(username="answers-surveys")
    Survey.objects.create(member=member, type=Survey.Type.values[0], score=9, sent_at=at(2025, 2, 1, 9),
                          answered_at=at(2025, 2, 2, 9))
    _jan, feb, _mar = selectors.engagement(Q1)
    assert feb.active_members == 1
