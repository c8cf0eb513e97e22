"""What loyalty does when a lower layer says something happened: each event goes to its earning
rule (referrals.loyalty.earning). Connected from ReferralsConfig.ready(). Thin, and robust: the
senders send after their transaction commits, and a failure here is logged, never raised into the
shop's webhook, the review form or the forum (the daily run catches up on orders).

- shop order_paid: the order's points; order_refunded / order_cancelled: take back their part.
- community.reviews review_published, community.posts post_published, community.forum
  topic_solved: the review, photo post and solved-answer rules.
- allauth user_signed_up: welcome points. A save of a member's display name, picture or bio: the
  complete-profile points. A verified e-mail address: the paid orders it attaches to the member.
"""

import logging

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed, user_signed_up
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from community.forum.signals import topic_solved
from community.posts.signals import post_published
from community.reviews.signals import review_published
from shop import signals as shop_signals
from shop.services import orders_attach_to_member

from . import earning

logger = logging.getLogger(__name__)

PROFILE_FIELDS = {"display_name", "avatar", "bio"}


def _robust(what, fn, *args):
    try:
        return fn(*args)
    except Exception:
        logger.exception("loyalty: %s failed", what)
        return None


def order_paid(sender, order, **kwargs):
    _robust("order points", earning.order_award, order)


def order_changed(sender, order, **kwargs):
    _robust("order points reversal", earning.order_points_adjust, order)


def review_was_published(sender, review, **kwargs):
    _robust("review points", earning.review_award, review)


def post_was_published(sender, post, **kwargs):
    _robust("photo post points", earning.photo_post_award, post)


def topic_was_solved(sender, topic, post, actor=None, **kwargs):
    _robust("solved answer points", earning.solved_answer_award, topic, post)


def member_signed_up(sender, request=None, user=None, **kwargs):
    if user is not None:
        _robust("welcome points", earning.signup_award, user)


def member_saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and not PROFILE_FIELDS & set(update_fields)):
        return
    if earning.profile_complete(instance):
        member = instance
        transaction.on_commit(lambda: _robust("profile points", earning.profile_award, member), robust=True)


def _address_verified(address):
    member, email = address.user, address.email

    def award():
        orders_attach_to_member(member, email)
        earning.orders_award_missed(member)

    transaction.on_commit(lambda: _robust("points for attached orders", award), robust=True)


def address_confirmed(sender, request=None, email_address=None, **kwargs):
    if email_address is not None and email_address.verified:
        _address_verified(email_address)


def address_saved(sender, instance, **kwargs):
    if instance.verified:
        _address_verified(instance)


def tiers_changed(sender, **kwargs):
    """Editors saved or deleted a tier: the cached table of tiers (selectors.tiers_cached) is read again."""
    from core.versions import version_bump

    from .selectors import TIERS_VERSION

    version_bump(TIERS_VERSION)


def programme_changed(sender, **kwargs):
    from core.versions import version_bump

    from .rules import PROGRAMME_VERSION

    version_bump(PROGRAMME_VERSION)


def connect():
    from .models import LoyaltyProgramme, Tier

    uid = "referrals.loyalty."
    post_save.connect(tiers_changed, sender=Tier, dispatch_uid=uid + "tier_saved")
    post_delete.connect(tiers_changed, sender=Tier, dispatch_uid=uid + "tier_deleted")
    post_save.connect(programme_changed, sender=LoyaltyProgramme, dispatch_uid=uid + "programme_saved")
    shop_signals.order_paid.connect(order_paid, dispatch_uid=uid + "order_paid")
    shop_signals.order_refunded.connect(order_changed, dispatch_uid=uid + "order_refunded")
    shop_signals.order_cancelled.connect(order_changed, dispatch_uid=uid + "order_cancelled")
    review_published.connect(review_was_published, dispatch_uid=uid + "review")
    post_published.connect(post_was_published, dispatch_uid=uid + "photo_post")
    topic_solved.connect(topic_was_solved, dispatch_uid=uid + "solved")
    user_signed_up.connect(member_signed_up, dispatch_uid=uid + "signup")
    post_save.connect(member_saved, sender=get_user_model(), dispatch_uid=uid + "profile")
    email_confirmed.connect(address_confirmed, dispatch_uid=uid + "email_confirmed")
    post_save.connect(address_saved, sender=EmailAddress, dispatch_uid=uid + "address_saved")
