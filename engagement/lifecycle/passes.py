"""The scheduled passes that find who gets which lifecycle e-mail, in batches.

Each pass walks its candidates by primary key, LIFECYCLE_BATCH at a time, and each batch costs a
fixed number of queries (the candidates, what the e-mail shows about them, and send_batch's own),
so a pass over 100,000 members makes as many queries as the number of batches of RECIPIENTS asks,
never one per member. `lifecycle_nightly(now)` runs birthdays, win-back, care tips and the two
surveys; `lifecycle_weekly(now)` the forum digest. Every e-mail carries its event's key (see each
pass), so running a pass twice, or two at once, sends nothing twice.
"""

import datetime
from collections import Counter, defaultdict

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, Max, OuterRef
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from community.forum.models import Post, Topic
from core.absolute import absolute_url
from referrals.loyalty.models import LoyaltyAccount
from referrals.loyalty.rules import programme, rule
from referrals.models import LedgerEntry
from shop.models import Order, OrderLine, Product

from .app_settings import app_settings
from .kinds import PREFERENCE, Kind
from .sending import Item, send_batch

EARNS = (Order.Status.PAID, Order.Status.PARTIALLY_REFUNDED)
WIN_BACK_PICKS = 3
DIGEST_TOPICS = 5


def _batches(queryset, size=None):
    """The rows of `queryset` (ordered by pk here), `size` at a time, by keyset: one query a batch."""
    size = size or app_settings.BATCH
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
        if not rows:
            return
        yield rows
        last = rows[-1].pk
        if len(rows) < size:
            return


def _members():
    return get_user_model().objects.filter(is_active=True, deleted_at__isnull=True)


def _url(name, fallback):
    try:
        return absolute_url(reverse(name))
    except NoReverseMatch:
        return absolute_url(fallback)


def _order_label(order):
    return f"#{order.external_id}"


# --- birthdays ------------------------------------------------------------------------------------

def _leap(year):
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def birthday_members(today):
    members = _members().filter(birthday__month=today.month, birthday__day=today.day)
    if today.month == 2 and today.day == 28 and not _leap(today.year):
        members = _members().filter(birthday__month=2, birthday__day__in=[28, 29])
    return members


def birthdays_send(now):
    """Event: the year (`year:2026`). The reward shown is loyalty's birthday rule plus the tier's bonus."""
    today = timezone.localtime(now).date()
    base = rule(programme(), LedgerEntry.Kind.BIRTHDAY)
    points_url = _url("referrals:points", "/me/points/")
    sent = 0
    for members in _batches(birthday_members(today)):
        bonus = dict(LoyaltyAccount.objects.filter(member__in=members, tier__isnull=False)
                     .values_list("member_id", "tier__birthday_bonus"))
        items = [Item(m, f"year:{today.year}", {
            "points": (base.points + bonus.get(m.pk, 0)) if base.enabled else 0, "points_url": points_url})
            for m in members]
        sent += send_batch(Kind.BIRTHDAY, items, now=now)
    return sent


# --- win-back ---------------------------------------------------------------------------------------

def copurchase_counts():
    """{product id: Counter({other product id: paid orders holding both})}: one aggregate query over
    order lines (each order's lines joined to its other lines)."""
    pairs = (OrderLine.objects.filter(order__status__in=EARNS, product__isnull=False)
             .annotate(other=F("order__lines__product_id")).exclude(other=F("product_id")).exclude(other__isnull=True)
             .values("product_id", "other").annotate(n=Count("order_id", distinct=True)))
    counts = defaultdict(Counter)
    for row in pairs:
        counts[row["product_id"]][row["other"]] = row["n"]
    return counts


def picks_for(bought, counts, visible, limit=WIN_BACK_PICKS):
    """The products most often bought with `bought` (summed over them), not `bought` themselves,
    only `visible` ones; ties by id."""
    score = Counter()
    for product_id in bought:
        score.update(counts.get(product_id, {}))
    ranked = sorted((pid for pid in score if pid not in bought and pid in visible), key=lambda pid: (-score[pid], pid))
    return ranked[:limit]


def win_back_candidates(now):
    """Members whose last paid order is WIN_BACK_DAYS old (give or take LATE_DAYS): (member id, the
    last order's id), one aggregate query."""
    newest = now - datetime.timedelta(days=app_settings.WIN_BACK_DAYS)
    oldest = newest - datetime.timedelta(days=app_settings.LATE_DAYS)
    return (Order.objects.filter(member__isnull=False, paid_at__isnull=False, status__in=EARNS)
            .values("member_id").annotate(last=Max("paid_at"), last_id=Max("id"))
            .filter(last__gte=oldest, last__lt=newest).order_by("member_id").values_list("member_id", "last_id"))


def win_back_send(now):
    """Event: the member's last paid order (`after:<order id>`): once per lapse."""
    candidates = list(win_back_candidates(now))
    if not candidates:
        return 0
    counts = copurchase_counts()
    products = {p.pk: p for p in Product.objects.filter(active=True).only("pk", "name", "slug")}
    days = app_settings.WIN_BACK_DAYS
    sent = 0
    for start in range(0, len(candidates), app_settings.BATCH):
        chunk = dict(candidates[start:start + app_settings.BATCH])
        members = _members().in_bulk(list(chunk))
        bought = defaultdict(set)
        for member_id, product_id in (OrderLine.objects.filter(order__member_id__in=list(members), order__status__in=EARNS,
                                                               product__isnull=False)
                                      .values_list("order__member_id", "product_id").distinct()):
            bought[member_id].add(product_id)
        items = []
        for member_id, member in members.items():
            picks = [products[pid] for pid in picks_for(bought[member_id], counts, products)]
            lines = "\n".join(f"{p.name}: {absolute_url(p.get_absolute_url())}" for p in picks)
            items.append(Item(member, f"after:{chunk[member_id]}", {"days": days, "products": lines}))
        sent += send_batch(Kind.WIN_BACK, items, now=now)
    return sent


# --- orders a few days ago: care tips and the two surveys -------------------------------------------

def _orders_paid_days_ago(now, days):
    newest = now - datetime.timedelta(days=days)
    oldest = newest - datetime.timedelta(days=app_settings.LATE_DAYS)
    return Order.objects.filter(member__isnull=False, status__in=EARNS, paid_at__gte=oldest, paid_at__lt=newest)


def care_tips_send(now):
    """Event: the order (`order:<id>`); one e-mail per order with the care guide of each product of it
    that has one (orders without any are skipped)."""
    sent = 0
    for orders in _batches(_orders_paid_days_ago(now, app_settings.CARE_TIPS_DAYS).select_related("member")):
        guides = defaultdict(dict)
        for order_id, name, guide in (OrderLine.objects.filter(order__in=orders, product__active=True)
                                      .exclude(product__care_guide="").order_by("order_id", "pk")
                                      .values_list("order_id", "product__name", "product__care_guide")):
            guides[order_id].setdefault(name, guide.strip())
        items = [Item(o.member, f"order:{o.pk}", {
            "order": _order_label(o),
            "care_tips": "\n\n".join(f"{name}\n{guide}" for name, guide in guides[o.pk].items())})
            for o in orders if guides.get(o.pk)]
        sent += send_batch(Kind.CARE_TIPS, items, now=now)
    return sent


def csat_send(now):
    """Event: the order (`order:<id>`); the survey asks about that order."""
    sent = 0
    for orders in _batches(_orders_paid_days_ago(now, app_settings.CSAT_DAYS).select_related("member")):
        items = [Item(o.member, f"order:{o.pk}", {"order": _order_label(o)}, order=o) for o in orders]
        sent += send_batch(Kind.CSAT, items, now=now)
    return sent


def nps_send(now):
    """Event: the order it follows (`order:<id>`), and at most one NPS e-mail per member in
    NPS_INTERVAL_DAYS (the member's latest order in the window is the one asked about)."""
    from .models import SendLog

    recent = SendLog.objects.filter(kind=Kind.NPS, member_id=OuterRef("member_id"),
                                    sent_at__gte=now - datetime.timedelta(days=app_settings.NPS_INTERVAL_DAYS))
    sent = 0
    orders = _orders_paid_days_ago(now, app_settings.NPS_DAYS).exclude(Exists(recent)).select_related("member")
    for batch in _batches(orders):
        latest = {}
        for order in batch:
            if order.member_id not in latest or (order.paid_at, order.pk) > (latest[order.member_id].paid_at,
                                                                                latest[order.member_id].pk):
                latest[order.member_id] = order
        items = [Item(o.member, f"order:{o.pk}", {}, order=o) for o in latest.values()]
        sent += send_batch(Kind.NPS, items, now=now)
    return sent


def lifecycle_nightly(now=None):
    now = now or timezone.now()
    return {
        "birthday": birthdays_send(now),
        "win_back": win_back_send(now),
        "care_tips": care_tips_send(now),
        "csat": csat_send(now),
        "nps": nps_send(now),
    }


# --- the weekly digest ------------------------------------------------------------------------------

def digest_topics(now):
    """The week's liveliest live topics: most posts in the last seven days, then the newest."""
    since = now - datetime.timedelta(days=7)
    busiest = (Post.objects.filter(created_at__gte=since, created_at__lt=now, hidden=False, approved=True,
                                   deleted_at__isnull=True, topic__deleted_at__isnull=True, topic__hidden=False,
                                   topic__approved=True, topic__merged_into__isnull=True)
               .values("topic_id").annotate(n=Count("pk")).order_by("-n", "-topic_id")[:DIGEST_TOPICS])
    counts = {row["topic_id"]: row["n"] for row in busiest}
    topics = Topic.objects.in_bulk(list(counts))
    return [(topics[pk], n) for pk, n in counts.items() if pk in topics]


def digest_send(now=None):
    """Event: the ISO week (`week:2026-W48`); only to members who chose it (off by default)."""
    from community.members.models import NotificationPreference

    now = now or timezone.now()
    topics = digest_topics(now)
    if not topics:
        return 0
    year, week, _day = timezone.localtime(now).isocalendar()
    chose = NotificationPreference.objects.filter(kind=PREFERENCE[Kind.DIGEST], email=True, member_id=OuterRef("pk"))
    forum_url = _url("forum:index", "/forum/")

    def listing():  # called in each member's language
        return "\n".join(_("%(title)s (%(count)s new posts): %(url)s") % {
            "title": t.title, "count": n, "url": absolute_url(t.get_absolute_url())} for t, n in topics)

    sent = 0
    for members in _batches(_members().filter(Exists(chose))):
        items = [Item(m, f"week:{year}-W{week:02d}", {"topics": listing, "forum_url": forum_url}) for m in members]
        sent += send_batch(Kind.DIGEST, items, now=now)
    return sent


def lifecycle_weekly(now=None):
    return {"digest": digest_send(now)}

