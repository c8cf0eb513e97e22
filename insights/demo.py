"""Demo customers for the insights pages (`manage.py load_demo`): a year and a half of orders from
about 400 customers, and forum likes from the shoppers who joined the community, so the retention,
cohort and community-effect pages have something to show. Idempotent (orders have the source
"demo-insights": a second run finds them and changes nothing) and deterministic (a seeded
generator; dates relative to today).

The shop demo's own year of orders goes through the shop's services; these are written in bulk
(no signals: no points, no review requests, no e-mails), because they only exist to be counted.
The generator gives members who take part in the community a little more reason to come back;
the figures on the pages are then computed from the rows like any others (nothing is set by hand).
"""

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from community.forum.models import Post as ForumPost
from community.forum.models import PostLike
from community.forum.services.counters import counters_recount
from shop.models import Order, Product

from .facts import facts_rebuild

SOURCE = "demo-insights"
SEED = 1919
CENTS = Decimal("0.01")
DAYS = 540
FIRST_NAMES = [
    "Alexandros", "Anna", "Dimitris", "Eirini", "Giannis", "Katerina", "Nikos", "Sofia", "Vasilis", "Zoi",
    "Anders", "Ingrid", "Kari", "Lars", "Marit", "Nora", "Ola", "Sigrid", "Terje", "Ylva",
    "Ádám", "Bence", "Dóra", "Eszter", "Gergő", "Hanna", "Júlia", "Levente", "Réka", "Zsófia",
]
MEMBERS = 160
GUESTS = 240


def _customers(rnd):
    people = []
    for i in range(MEMBERS):
        name = FIRST_NAMES[i % len(FIRST_NAMES)]
        people.append({"member": True, "username": f"shopper{i + 1:03d}", "name": name,
                       "email": f"shopper{i + 1:03d}@shoppers.example.org", "community": rnd.random() < 0.45})
    for i in range(GUESTS):
        people.append({"member": False, "email": f"guest{i + 1:03d}@shoppers.example.net", "community": False})
    return people


def _orders_for(person, rnd, now, prices):
    """A customer's order times: a first order in the last DAYS days, then returns with a gap drawn
    around their habit until they stop (community members a little more likely to come back)."""
    first = now - datetime.timedelta(days=rnd.uniform(1, DAYS), hours=rnd.uniform(0, 23))
    times = [first]
    keep = 0.68 if person["community"] else (0.52 if person["member"] else 0.42)
    gap = 55 if person["community"] else 80
    while rnd.random() < keep:
        following = times[-1] + datetime.timedelta(days=rnd.expovariate(1 / gap) + 3)
        if following >= now:
            break
        times.append(following)
    orders = []
    for placed_at in times:
        lines = rnd.choice((1, 1, 1, 2, 2, 3))
        total = sum((rnd.choice(prices) for _i in range(lines)), Decimal("0.00"))
        roll = rnd.random()
        status, refunded = Order.Status.PAID, Decimal("0.00")
        if roll < 0.04:
            status, refunded = Order.Status.REFUNDED, total
        elif roll < 0.10:
            status = Order.Status.PARTIALLY_REFUNDED
            refunded = (total * Decimal("0.35")).quantize(CENTS, ROUND_HALF_UP)
        elif roll < 0.13:
            status = Order.Status.CANCELLED
        elif roll < 0.15 and placed_at > now - datetime.timedelta(days=5):
            status = Order.Status.PENDING
        orders.append((placed_at, total, status, refunded))
    return orders


@transaction.atomic
def load(stdout):
    if Order.objects.filter(source=SOURCE).exists():
        stdout.write("Demo insights: already there")
        return
    rnd = random.Random(SEED)
    now = timezone.now()
    prices = list(Product.objects.values_list("price", flat=True)) or [Decimal("49.00"), Decimal("89.00")]
    User = get_user_model()
    people = _customers(rnd)
    plans = [(person, _orders_for(person, rnd, now, prices)) for person in people]
    existing = set(User.objects.filter(username__in=[p["username"] for p in people if p["member"]])
                   .values_list("username", flat=True))
    new_members = []
    for person, orders in plans:
        if person["member"] and person["username"] not in existing:
            user = User(username=person["username"], email=person["email"], display_name=person["name"],
                        date_joined=orders[0][0] - datetime.timedelta(days=rnd.uniform(0, 20)))
            user.set_unusable_password()
            new_members.append(user)
    User.objects.bulk_create(new_members, batch_size=500)
    members = {u.username: u for u in User.objects.filter(username__in=[p["username"] for p in people if p["member"]])}
    rows, number = [], 0
    for person, orders in plans:
        member = members.get(person.get("username"))
        for placed_at, total, status, refunded in orders:
            number += 1
            rows.append(Order(
                source=SOURCE, external_id=f"INS-{number:05d}", email=person["email"], member=member, status=status,
                subtotal=total, total=total, refunded_total=refunded, currency="EUR", placed_at=placed_at,
                paid_at=None if status in (Order.Status.PENDING, Order.Status.CANCELLED) else placed_at,
                cancelled_at=placed_at if status == Order.Status.CANCELLED else None, raw={"demo": True},
            ))
    Order.objects.bulk_create(rows, batch_size=1000)
    facts_rebuild()  # bulk_create sends no post_save: the figures' per-order facts are computed here
    # the community side: members who joined in like posts in the forum (the forum demo's posts
    # are from the last four months), within the last 110 days
    posts = list(ForumPost.objects.filter(deleted_at__isnull=True, created_at__gte=now - datetime.timedelta(days=120))
                 .values_list("pk", "created_at")[:400])
    likes = []
    if posts:
        for person, _orders in plans:
            if not person["community"]:
                continue
            member = members[person["username"]]
            for pk, created in rnd.sample(posts, k=min(len(posts), rnd.randint(2, 8))):
                when = max(created, now - datetime.timedelta(days=110)) + datetime.timedelta(hours=rnd.uniform(1, 72))
                likes.append(PostLike(post_id=pk, member=member, created_at=min(when, now)))
        PostLike.objects.bulk_create(likes, batch_size=1000, ignore_conflicts=True)
        counters_recount()
    stdout.write(f"Demo insights: {len(people)} customers ({len(new_members)} new shopper members), "
                 f"{len(rows)} orders over {DAYS} days, {len(likes)} forum likes from shoppers in the community")
