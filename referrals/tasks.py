"""Background work of referrals (Django's tasks API, the django_tasks package): notifications after
the write commits, and approving the rewards whose return window has ended.

Approval is scheduled two ways. On a backend that can defer (django-tasks-db in production),
`rewards_approve_due_task` is enqueued with run_after = the reward's due time when the reward is
made. The immediate backend of development and tests cannot defer (enqueueing with run_after raises
InvalidTaskError, its `supports_defer` is False), so there, and as a safety net everywhere, cron
runs `manage.py referral_rewards_approve`. Both approve only what is due and are safe to repeat.
Each notification's source key makes a retried task send nothing twice."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django_tasks import task

from community.members.services import notification_send

from .models import Referral, Reward
from .notification_kinds import FRIEND_JOINED, REWARD_APPROVED

# the member's referral page (in the recipient's language, when the URL is reversed in it)
MEMBER_PAGE_URL_NAME = "referrals:dashboard"
MEMBER_PAGE_PATH = "/me/referrals/"


def member_page_url():
    try:
        return reverse(MEMBER_PAGE_URL_NAME)
    except NoReverseMatch:
        return MEMBER_PAGE_PATH


@task()
def friend_joined_notify(referral_pk):
    referral = Referral.objects.select_related("referrer", "friend").filter(pk=referral_pk).first()
    if referral is None:
        return None
    title = _("%(name)s joined through your invitation") % {"name": referral.friend.public_name}
    sent = notification_send(referral.referrer, FRIEND_JOINED, actor=referral.friend, url=member_page_url(),
                             title=title, source_key=f"referrals:referral:{referral.pk}:joined")
    return sent is not None


@task()
def reward_approved_notify(reward_pk):
    reward = Reward.objects.select_related("member", "referral__friend").filter(pk=reward_pk).first()
    if reward is None or reward.state != Reward.State.APPROVED:
        return None
    if reward.side == Reward.Side.REFERRER:
        title = _("Your reward for inviting %(name)s was approved: %(points)d points") % {
            "name": reward.referral.friend.public_name, "points": reward.points}
    elif reward.discount_code:
        title = _("Your welcome discount code is ready")
    else:
        title = _("Your welcome reward was approved: %(points)d points") % {"points": reward.points}
    sent = notification_send(reward.member, REWARD_APPROVED, url=member_page_url(), title=title,
                             source_key=f"referrals:reward:{reward.pk}:approved")
    return sent is not None


@task()
def rewards_approve_due_task():
    from .services import rewards_approve_due, sightings_prune

    approved = rewards_approve_due()
    sightings_prune()
    return approved
