"""Each earning rule: what it awards, once, multiplied by the tier, capped, and taken back."""

import datetime
from decimal import Decimal

import pytest
from allauth.account.signals import user_signed_up
from django.core.files.uploadedfile import SimpleUploadedFile

from community.posts.signals import post_published
from community.reviews.signals import review_published
from referrals import ledger
from referrals.loyalty import earning
from referrals.models import LedgerEntry
from shop import signals as shop_signals
from shop.models import Order
from tests.factories import MemberFactory
from tests.referrals.loyalty.helpers import APPROVED, DAY, PENDING, T0, Kind, balance, paid_order, put_in_tier

pytestmark = pytest.mark.django_db


def entries(member):
    return list(LedgerEntry.objects.filter(member=member).order_by("created_at", "pk")
                .values_list("kind", "status", "points", "source_key"))


class Stub:
    """What a signal carries, as far as the rules read it."""

    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)


# --- orders --------------------------------------------------------------------------------------

def test_a_paid_order_earns_pending_points_per_currency_unit_rounded_down(loyalty, member):
    order = paid_order(member, total="98.70")
    shop_signals.order_paid.send(sender=Order, order=order)
    shop_signals.order_paid.send(sender=Order, order=order)  # a replay
    assert entries(member) == [(Kind.ORDER, PENDING, 98, f"loyalty:order:{order.pk}")]
    assert balance(member) == ledger.Balance(approved=0, pending=98)


def test_order_points_are_approved_once_the_return_window_ends(loyalty, member):
    order = paid_order(member)
    earning.order_award(order, now=T0)
    LedgerEntry.objects.update(created_at=T0)
    assert earning.order_points_approve_due(now=T0 + 30 * DAY - datetime.timedelta(seconds=1)) == 0
    assert earning.order_points_approve_due(now=T0 + 30 * DAY) == 1
    assert earning.order_points_approve_due(now=T0 + 31 * DAY) == 0
    assert balance(member) == ledger.Balance(approved=100, pending=0)
    assert ledger.reconcile() == []


def test_other_currencies_unpaid_orders_and_orders_of_no_member_earn_nothing(loyalty, member):
    assert earning.order_award(paid_order(member, currency="USD")) is None
    pending = paid_order(member)
    Order.objects.filter(pk=pending.pk).update(status="pending")
    assert earning.order_award(pending) is None
    guest = paid_order(member)
    Order.objects.filter(pk=guest.pk).update(member=None)
    assert earning.order_award(guest) is None
    assert entries(member) == []


def _refund(order, amount):
    order.refresh_from_db()
    order.refunded_total += Decimal(amount)
    order.status = "refunded" if order.refunded_total >= order.total else "partially_refunded"
    order.save()
    shop_signals.order_refunded.send(sender=Order, order=order, refund=None, amount=Decimal(amount))


def test_a_partial_refund_takes_back_points_in_proportion_while_pending(loyalty, member):
    order = paid_order(member, total="80.00")
    earning.order_award(order)
    _refund(order, "20.00")
    shop_signals.order_refunded.send(sender=Order, order=order, refund=None, amount=Decimal("20"))  # a replay
    assert balance(member) == ledger.Balance(approved=0, pending=60)
    _refund(order, "60.00")
    assert balance(member) == ledger.Balance(approved=0, pending=0)
    assert ledger.reconcile() == []


def test_a_refund_after_approval_takes_back_approved_points(loyalty, member):
    order = paid_order(member, total="90.00")
    earning.order_award(order, now=T0)
    LedgerEntry.objects.update(created_at=T0)
    earning.order_points_approve_due(now=T0 + 31 * DAY)
    _refund(order, "30.00")
    assert balance(member) == ledger.Balance(approved=60, pending=0)
    assert ledger.reconcile() == []


def test_a_cancelled_order_loses_all_its_points(loyalty, member):
    order = paid_order(member, total="50.00")
    earning.order_award(order)
    _refund(order, "10.00")
    order.refresh_from_db()
    order.status = "cancelled"
    order.save()
    shop_signals.order_cancelled.send(sender=Order, order=order)
    assert balance(member).pending == 0
    assert [e[3].rsplit(":", 1)[-1] for e in entries(member)] == [str(order.pk), "10.00", "cancel"]
    assert ledger.reconcile() == []


def test_a_fully_refunded_order_is_released_with_nothing_left(loyalty, member):
    order = paid_order(member, total="40.00")
    earning.order_award(order, now=T0)
    _refund(order, "40.00")
    LedgerEntry.objects.update(created_at=T0)
    assert earning.order_points_approve_due(now=T0 + 31 * DAY) == 1
    assert earning.order_points_approve_due(now=T0 + 32 * DAY) == 0  # released: not a candidate again
    assert balance(member) == ledger.Balance(approved=0, pending=0)
    assert ledger.reconcile() == []


def test_orders_attached_by_a_verified_address_earn(loyalty, member):
    order = paid_order(member)
    Order.objects.filter(pk=order.pk).update(member=None, email="later@example.com")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=member, email="later@example.com", verified=True, primary=False)
    # the receiver runs after commit; the test transaction never commits, so run the sweep itself
    from shop.services import orders_attach_to_member

    orders_attach_to_member(member, "later@example.com")
    assert earning.orders_award_missed(member, now=T0 + DAY) == 1
    assert earning.orders_award_missed(member, now=T0 + DAY) == 0
    assert balance(member).pending == 100


# --- the same for every rating ---------------------------------------------------------------------

def test_a_one_star_and_a_five_star_review_earn_the_same(loyalty):
    one, five = MemberFactory(), MemberFactory()
    review_published.send(sender=object, review=Stub(pk=1, author=one, rating=1))
    review_published.send(sender=object, review=Stub(pk=2, author=five, rating=5))
    assert balance(one) == balance(five) == ledger.Balance(approved=50, pending=0)


def test_reviews_are_capped_per_day(loyalty, member):
    for pk in (1, 2, 3):
        earning.review_award(Stub(pk=pk, author=member), now=T0)
    assert balance(member).approved == 100
    earning.review_award(Stub(pk=4, author=member), now=T0 + DAY)
    assert balance(member).approved == 150


def test_a_photo_post_earns_once(loyalty, member):
    post = Stub(pk=7, author=member)
    post_published.send(sender=object, post=post)
    post_published.send(sender=object, post=post)
    assert entries(member) == [(Kind.PHOTO_POST, APPROVED, 25, "loyalty:photo_post:7")]


def test_a_solved_answer_earns_its_author_once_per_topic(loyalty, member):
    starter = MemberFactory()
    topic = Stub(pk=3, author_id=starter.pk)
    earning.solved_answer_award(topic, Stub(author_id=member.pk, author=member))
    other = MemberFactory()
    earning.solved_answer_award(topic, Stub(author_id=other.pk, author=other))  # re-marked: nothing more
    assert balance(member).approved == 20
    assert balance(other).approved == 0
    # one's own reply in one's own topic earns nothing
    assert earning.solved_answer_award(Stub(pk=4, author_id=member.pk), Stub(author_id=member.pk, author=member)) is None


def test_marking_an_answer_in_the_forum_sends_topic_solved(loyalty, django_capture_on_commit_callbacks):
    from community.forum.models import Category, Topic
    from community.forum.services import post_reply, topic_create, topic_mark_solved
    from community.forum.signals import topic_solved

    starter, helper = MemberFactory(), MemberFactory()
    category = Category.objects.create(name="Care", slug="care")
    topic = topic_create(starter, category, title="How do I wash linen?", body="Cold or warm water?", tags=[])
    reply = post_reply(helper, topic, body="Cold, and hang it to dry.")
    seen = []

    def listen(sender, topic, post, actor, **kwargs):
        seen.append((sender, topic.pk, post.pk, actor.pk))

    topic_solved.connect(listen, dispatch_uid="test-listen")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            topic_mark_solved(starter, topic, reply)
        with django_capture_on_commit_callbacks(execute=True):
            topic_mark_solved(starter, topic, None)  # cleared: no signal
    finally:
        topic_solved.disconnect(dispatch_uid="test-listen")
    assert seen == [(Topic, topic.pk, reply.pk, starter.pk)]
    assert balance(helper).approved == 20


# --- members -------------------------------------------------------------------------------------

def test_joining_earns_welcome_points_once(loyalty, member):
    user_signed_up.send(sender=object, request=None, user=member)
    user_signed_up.send(sender=object, request=None, user=member)
    assert entries(member) == [(Kind.SIGNUP, APPROVED, 40, f"loyalty:signup:{member.pk}")]


def test_a_complete_profile_earns_once(loyalty, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        member.display_name, member.bio = "Zoë Ωmega", "Hi"
        member.save()
    assert balance(member).approved == 0  # no picture yet
    with django_capture_on_commit_callbacks(execute=True):
        member.avatar = SimpleUploadedFile("a.png", b"x", content_type="image/png")
        member.save()
        member.save()
    assert entries(member) == [(Kind.PROFILE, APPROVED, 30, f"loyalty:profile:{member.pk}")]


def test_birthdays_earn_once_a_year_with_the_tier_bonus(loyalty):
    plain = MemberFactory(birthday=datetime.date(1990, 6, 10))
    insider = MemberFactory(birthday=datetime.date(1985, 6, 10))
    MemberFactory(birthday=datetime.date(1990, 6, 11))
    put_in_tier(insider, "Insider")
    assert earning.birthdays_award(now=T0) == 2
    assert earning.birthdays_award(now=T0 + datetime.timedelta(hours=1)) == 0
    assert balance(plain).approved == 100
    assert balance(insider).approved == int((100 + 50) * 1.5)
    assert earning.birthdays_award(now=T0.replace(year=2027)) == 2


def test_a_29_february_birthday_counts_on_28_february_in_other_years(loyalty):
    leap = MemberFactory(birthday=datetime.date(2000, 2, 29))
    assert earning.birthdays_award(now=datetime.datetime(2027, 2, 28, 12, tzinfo=datetime.UTC)) == 1
    assert earning.birthdays_award(now=datetime.datetime(2028, 2, 28, 12, tzinfo=datetime.UTC)) == 0
    assert earning.birthdays_award(now=datetime.datetime(2028, 2, 29, 12, tzinfo=datetime.UTC)) == 1
    assert balance(leap).approved == 200


# --- multipliers, switches -----------------------------------------------------------------------

@pytest.mark.parametrize(("tier_name", "review", "order"), [
    ("Member", 50, 99), ("Insider", 75, 148), ("VIP", 100, 198),
])
def test_the_tier_multiplier_applies_to_every_award(loyalty, member, tier_name, review, order):
    put_in_tier(member, tier_name)
    earning.review_award(Stub(pk=1, author=member))
    earning.order_award(paid_order(member, total="99.99"))
    assert balance(member) == ledger.Balance(approved=review, pending=order)


def test_nothing_is_earned_while_the_programme_or_the_rule_is_off(loyalty, member):
    loyalty.review_enabled = False
    loyalty.save()
    assert earning.review_award(Stub(pk=1, author=member)) is None
    loyalty.review_enabled, loyalty.enabled = True, False
    loyalty.save()
    assert earning.review_award(Stub(pk=1, author=member)) is None
    assert earning.order_award(paid_order(member)) is None
    assert entries(member) == []


def test_inactive_and_deleted_members_earn_nothing(loyalty):
    gone = MemberFactory(is_active=False)
    assert earning.signup_award(gone) is None
    assert entries(gone) == []
