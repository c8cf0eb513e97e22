"""Background work of loyalty (Django's tasks API): notifications after the write commits, and the
daily run (tiers, approvals of order points, expiry and its warnings, birthdays), which cron also
runs as `manage.py loyalty_daily`. Every notification has a source key, so a retried task sends
nothing twice."""

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from community.members.services import notification_send

from .models import LoyaltyAccount
from .notification_kinds import TIER_DOWN, TIER_UP

POINTS_URL_NAME = "referrals:points"
POINTS_PATH = "/me/points/"


def points_url():
    try:
        return reverse(POINTS_URL_NAME)
    except NoReverseMatch:
        return POINTS_PATH


@task()
def tier_changed_notify(member_id, what, key):
    """`what`: "up" (the member reached account.tier), "announced" (a move down on
    account.downgrade_on) or "down" (the announced move down was made: account.tier is the new
    one). `key` makes the notification once per change."""
    account = (LoyaltyAccount.objects.select_related("member", "tier", "downgrade_to")
               .filter(member_id=member_id).first())
    if account is None:
        return None
    if what == "up":
        if account.tier is None:
            return None
        title = _("Welcome to %(tier)s!") % {"tier": account.tier.name}
        kind = TIER_UP
    elif what == "announced" and account.downgrade_on is not None:
        date = date_format(timezone.localtime(account.downgrade_on), "DATE_FORMAT")
        if account.downgrade_to is not None:
            title = _("On %(date)s your tier becomes %(tier)s: earn points before then to keep yours.") % {
                "date": date, "tier": account.downgrade_to.name}
        else:
            title = _("On %(date)s you move down a tier: earn points before then to keep yours.") % {"date": date}
        kind = TIER_DOWN
    elif what == "down":
        if account.tier is not None:
            title = _("Your tier is now %(tier)s. Earn points to move up again: your benefits come back "
                      "as soon as you reach the threshold.") % {"tier": account.tier.name}
        else:
            title = _("You moved down a tier. Earn points to move up again: your benefits come back as soon "
                      "as you reach the threshold.")
        kind = TIER_DOWN
    else:
        return None
    sent = notification_send(account.member, kind, url=points_url(), title=title,
                             source_key=f"loyalty:tier:{member_id}:{what}:{key}")
    return sent is not None


@task()
def loyalty_daily_task():
    from .services import loyalty_daily

    return loyalty_daily()
