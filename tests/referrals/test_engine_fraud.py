"""Fraud rules flag for review, never refuse (referrals.fraud), and staff's review
(services.referral_review)."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError

from referrals import ledger, services
from referrals.codes import code_for
from referrals.models import Click, FraudFlag, Referral, Reward, Sighting
from tests.factories import MemberFactory
from tests.referrals.engine_helpers import DAY, T0, order_make, referral_make, rewards_of

pytestmark = pytest.mark.django_db
MINUTE = datetime.timedelta(minutes=1)


def rules(referral):
    return set(FraudFlag.objects.filter(referral=referral).values_list("rule", flat=True))


@pytest.mark.parametrize("referrer_email, friend_email, flagged", [
    ("ann.smith@gmail.com", "annsmith+free@googlemail.com", True),
    ("Ann@Example.com", "ann@example.com", True),
    ("ann+a@outlook.com", "ann+b@outlook.com", True),
    ("ann.smith@outlook.com", "annsmith@outlook.com", False),  # dots are other mailboxes there
    ("ann.smith@example.com", "annsmith@example.com", False),
    ("ann@outlook.com", "ann@hotmail.com", False),
    ("ann@example.com", "bob@example.com", False),
])
def test_same_mailbox(programme, referrer_email, friend_email, flagged):
    referral = referral_make(MemberFactory(email=referrer_email), MemberFactory(email=friend_email))
    assert (FraudFlag.Rule.SAME_MAILBOX in rules(referral)) is flagged
    assert (referral.review == Referral.Review.FLAGGED) is flagged


def test_same_mailbox_counts_every_address_of_both(programme):
    referrer = MemberFactory(email="work@example.com")
    EmailAddress.objects.create(user=referrer, email="private.mail@gmail.com", verified=True)
    referral = referral_make(referrer, MemberFactory(email="privatemail+x@gmail.com"))
    assert rules(referral) == {FraudFlag.Rule.SAME_MAILBOX}


@pytest.mark.parametrize("seen_days_ago, hashes, expected", [
    (1, {"device_hash": "dev-1"}, {FraudFlag.Rule.SAME_DEVICE}),
    (1, {"ip_hash": "ip-1"}, {FraudFlag.Rule.SAME_NETWORK}),
    (1, {"ip_hash": "ip-1", "device_hash": "dev-1"}, {FraudFlag.Rule.SAME_DEVICE, FraudFlag.Rule.SAME_NETWORK}),
    (90, {"device_hash": "dev-1"}, {FraudFlag.Rule.SAME_DEVICE}),  # the last day remembered
    (91, {"device_hash": "dev-1"}, set()),                          # forgotten
    (1, {"ip_hash": "ip-2", "device_hash": "dev-2"}, set()),        # somewhere else
    (1, {}, set()),                                                 # nothing known of the friend
])
def test_referrers_device_or_network(programme, seen_days_ago, hashes, expected):
    referrer = MemberFactory()
    Sighting.objects.create(member=referrer, ip_hash="ip-1", device_hash="dev-1", at=T0 - seen_days_ago * DAY)
    Sighting.objects.create(member=MemberFactory(), ip_hash="ip-2", device_hash="dev-2", at=T0)  # someone else's
    referral = referral_make(referrer, **hashes)
    assert rules(referral) == expected


def test_the_click_that_brought_the_friend_from_the_referrers_browser(programme):
    referrer = MemberFactory()
    Sighting.objects.create(member=referrer, ip_hash="ip-1", device_hash="dev-1", at=T0 - DAY)
    click = Click.objects.create(code=code_for(referrer), device_hash="dev-1", ip_hash="ip-9", at=T0 - DAY)
    referral = referral_make(referrer, via=Referral.Via.LINK, click_token=click.token, device_hash="dev-7")
    assert rules(referral) == {FraudFlag.Rule.SAME_DEVICE}


@pytest.mark.parametrize("email, flagged", [
    ("someone@mailinator.com", True),
    ("someone@example.com", False),
])
def test_disposable_address(programme, email, flagged):
    referral = referral_make(friend=MemberFactory(email=email))
    assert (FraudFlag.Rule.DISPOSABLE in rules(referral)) is flagged


@pytest.mark.parametrize("gaps_minutes, flagged_positions", [
    ([0, 10, 20], [2]),        # the third within the hour is over a limit of 2
    ([0, 10, 20, 30], [2, 3]),
    ([0, 30, 61], []),         # the first has left the window when the third comes
    ([0, 60, 60], [2]),        # the window's edge counts
])
def test_bursts_on_one_code(programme, settings, gaps_minutes, flagged_positions):
    settings.REFERRAL_BURST_SIGNUPS, settings.REFERRAL_BURST_MINUTES = 2, 60
    referrer = MemberFactory()
    referrals = [referral_make(referrer, joined=T0 + gap * MINUTE) for gap in gaps_minutes]
    flagged = [i for i, r in enumerate(referrals) if FraudFlag.Rule.BURST in rules(r)]
    assert flagged == flagged_positions


def test_flags_once_per_rule(programme):
    from referrals.fraud import referral_screen

    referral = referral_make(friend=MemberFactory(email="x@mailinator.com"))
    referral_screen(referral, now=T0)
    assert FraudFlag.objects.filter(referral=referral).count() == 1


def test_a_clean_referral_is_clear(programme):
    referral = referral_make()
    assert rules(referral) == set() and referral.review == Referral.Review.CLEAR


# --- flagged rewards and staff review -----------------------------------------------------------

def flagged_referral_with_rewards():
    referral = referral_make(friend=MemberFactory(email="x@mailinator.com"))
    order = order_make(referral.friend)
    services.order_paid_handle(order, now=order.paid_at)
    referral.refresh_from_db()
    return referral


def test_flagged_rewards_wait_for_staff(programme):
    referral = flagged_referral_with_rewards()
    assert {r.state for r in referral.rewards.all()} == {Reward.State.FLAGGED}
    assert services.rewards_approve_due(now=T0 + 365 * DAY) == 0
    assert ledger.balance(referral.referrer) == ledger.Balance(approved=0, pending=500)


def test_staff_approve_releases_and_approves_what_is_due(programme):
    staff = MemberFactory(is_staff=True)
    referral = flagged_referral_with_rewards()
    services.referral_review(referral, approve=True, reason="Flatmates, checked.", staff=staff, now=T0 + 5 * DAY)
    assert {r.state for r in referral.rewards.all()} == {Reward.State.PENDING}
    services.referral_review(referral, approve=True, reason="", staff=staff, now=T0 + 40 * DAY)
    assert {r.state for r in referral.rewards.all()} == {Reward.State.APPROVED}
    referral.refresh_from_db()
    assert (referral.review, referral.reviewed_by) == (Referral.Review.APPROVED, staff)
    assert ledger.balance(referral.referrer) == ledger.Balance(approved=500, pending=0)
    assert ledger.reconcile() == []


def test_staff_reject_voids_with_a_reason_the_referrer_sees(programme):
    staff = MemberFactory(is_staff=True)
    referral = flagged_referral_with_rewards()
    with pytest.raises(ValidationError):
        services.referral_review(referral, approve=False, reason="  ", staff=staff)
    services.referral_review(referral, approve=False, reason="The same  person\nsigned up twice.", staff=staff)
    referral.refresh_from_db()
    assert referral.review == Referral.Review.REJECTED
    assert referral.review_reason == "The same person signed up twice."
    assert referral.no_reward == Referral.NoReward.REJECTED
    assert {(r.state, r.reason) for r in referral.rewards.all()} == {(Reward.State.REJECTED, "rejected")}
    assert ledger.balance(referral.referrer) == ledger.Balance(0, 0)
    assert ledger.reconcile() == []


def test_rejected_before_qualifying_makes_no_rewards(programme):
    staff = MemberFactory(is_staff=True)
    referral = referral_make(friend=MemberFactory(email="x@mailinator.com"))
    services.referral_review(referral, approve=False, reason="Throw-away address.", staff=staff)
    order = order_make(referral.friend)
    services.order_paid_handle(order, now=order.paid_at)
    referral.refresh_from_db()
    assert referral.qualified_at and referral.no_reward == Referral.NoReward.REJECTED
    assert not referral.rewards.exists()


def test_rejecting_after_approval_reverses(programme):
    staff = MemberFactory(is_staff=True)
    referral = referral_make()
    order = order_make(referral.friend)
    services.order_paid_handle(order, now=order.paid_at)
    services.rewards_approve_due(now=T0 + 100 * DAY)
    services.referral_review(referral, approve=False, reason="Found out later.", staff=staff)
    assert set(rewards_of(referral)["referrer"].entries.values_list("source_key", flat=True)) >= {
        f"reward:{rewards_of(referral)['referrer'].pk}:reverse"}
    assert {r.state for r in referral.rewards.all()} == {Reward.State.REVERSED}
    assert ledger.balance(referral.referrer) == ledger.Balance(0, 0)


def test_a_second_decision_on_what_was_already_decided_changes_nothing(programme):
    """Two staff (or a double click) deciding the same flagged referral: the first wins."""
    staff = MemberFactory(is_staff=True)
    referral = flagged_referral_with_rewards()
    services.referral_review(referral, approve=True, reason="", staff=staff, now=T0 + 40 * DAY,
                             expected=Referral.Review.FLAGGED)
    with pytest.raises(ValidationError) as error:
        services.referral_review(referral, approve=False, reason="Too late", staff=staff,
                                 expected=Referral.Review.FLAGGED)
    assert error.value.code == "decided"
    referral.refresh_from_db()
    assert (referral.review, referral.review_reason) == (Referral.Review.APPROVED, "")
    assert {r.state for r in referral.rewards.all()} == {Reward.State.APPROVED}
    assert ledger.reconcile() == []
