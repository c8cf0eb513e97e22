"""Points that lapse after a period without activity, and the warning before.

Activity is any ledger entry of the member other than an expiry: points earned, approved, taken
back, spent (redemptions) or adjusted. When a member's last activity is `expiry_days` old
(LoyaltyProgramme; 0 turns expiry off) and they have approved points, the daily run appends one
EXPIRY entry taking the whole approved balance, keyed by the member and their last activity
(loyalty:expiry:<member id>:<last activity>): once per quiet period, whatever the number of runs.
Pending points do not expire (they become activity when approved).

`expiry_warning_days` before that day (30 by default) the member gets an "expiry warning"
notification, e-mailed by default, once per expiry date (its source key carries the date).
Each expiry runs with the member's row locked and re-reads the balance and last activity there,
so points earned or spent at the same moment are never expired.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from community.members.services import notification_send

from .. import ledger
from ..models import LedgerEntry
from .notification_kinds import EXPIRY_WARNING
from .rules import programme

Kind, APPROVED = LedgerEntry.Kind, LedgerEntry.Status.APPROVED
ACTIVITY = ~Q(kind=Kind.EXPIRY)


def expiry_key(member_id, last_activity):
    return f"loyalty:expiry:{member_id}:{last_activity.isoformat()}"


def member_expiry(member, *, prog=None):
    """(the moment the member's approved points would expire, how many) or (None, 0). One query."""
    prog = prog or programme()
    row = LedgerEntry.objects.filter(member=member).aggregate(
        last=Max("created_at", filter=ACTIVITY), balance=Coalesce(Sum("points", filter=Q(status=APPROVED)), 0))
    if not prog.expiry_days or row["last"] is None or row["balance"] <= 0:
        return None, 0
    return row["last"] + datetime.timedelta(days=prog.expiry_days), row["balance"]


def _candidates(since=None, until=None):
    """Members with approved points whose last activity falls in [since, until]: rows of
    (member_id, last activity, approved balance)."""
    rows = (LedgerEntry.objects.values("member_id")
            .annotate(last=Max("created_at", filter=ACTIVITY), balance=Sum("points", filter=Q(status=APPROVED)))
            .filter(balance__gt=0))
    if since is not None:
        rows = rows.filter(last__gt=since)
    if until is not None:
        rows = rows.filter(last__lte=until)
    return rows.order_by("member_id").values_list("member_id", "last", "balance")


def member_points_expire(member_id, *, now=None):
    """Expire the member's approved points if their last activity is `expiry_days` old. Returns
    the EXPIRY entry made, or None."""
    prog = programme()
    now = now or timezone.now()
    if not prog.expiry_days:
        return None
    with transaction.atomic():
        member = get_user_model().objects.select_for_update().filter(pk=member_id).first()
        if member is None:
            return None
        expires_at, balance = member_expiry(member, prog=prog)
        if expires_at is None or expires_at > now:
            return None
        last = expires_at - datetime.timedelta(days=prog.expiry_days)
        entry, created = ledger.append(member, -balance, kind=Kind.EXPIRY, status=APPROVED,
                                       source_key=expiry_key(member.pk, last), at=now)
    return entry if created else None


def points_expire(*, now=None):
    """The daily run: expire every member's points whose last activity is `expiry_days` old.
    Returns how many members' points expired."""
    prog = programme()
    now = now or timezone.now()
    if not prog.expiry_days:
        return 0
    due = _candidates(until=now - datetime.timedelta(days=prog.expiry_days))
    return sum(member_points_expire(member_id, now=now) is not None for member_id, _last, _b in due.iterator())


def expiry_warnings_send(*, now=None):
    """Warn every member whose points expire within `expiry_warning_days`, once per expiry date.
    Returns how many were warned now."""
    from .tasks import points_url

    prog = programme()
    now = now or timezone.now()
    if not prog.expiry_days or not prog.expiry_warning_days:
        return 0
    window_start = now - datetime.timedelta(days=prog.expiry_days)
    due = _candidates(since=window_start, until=window_start + datetime.timedelta(days=prog.expiry_warning_days))
    members = get_user_model().objects.in_bulk([member_id for member_id, _last, _b in due])
    sent = 0
    for member_id, last, balance in due:
        member = members.get(member_id)
        if member is None:
            continue
        expires_at = last + datetime.timedelta(days=prog.expiry_days)
        when = timezone.localtime(expires_at)
        title = _("%(points)s of your points expire on %(date)s: earn or spend points before then to keep them.") % {
            "points": balance, "date": date_format(when, "DATE_FORMAT")}
        note = notification_send(member, EXPIRY_WARNING, url=points_url(), title=title,
                                 source_key=f"loyalty:expiry-warning:{member_id}:{when.date().isoformat()}")
        sent += note is not None
    return sent
