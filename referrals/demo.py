"""Referrals among the demo members for `manage.py load_demo`. Idempotent and deterministic.

The five demo members share their links: about 180 clicks over the last twelve months on every
channel. Eight friends join through them (new demo members, each through a click of their own);
six buy, and five of those orders qualify (one is under the minimum amount): three long enough ago
that their rewards are approved, two still inside the return window (pending). One friend has not
bought yet. And one "friend" is Jonas himself: a second account from his own browser and network,
with his Gmail address in another spelling, so its rewards wait in the flagged queue.

Everything goes through referrals.services (attach with the fraud rules, qualify, approve) and
shop.services, so the states are the ones real events would leave. A second run finds the members,
clicks (fixed tokens), referrals and orders already there and changes nothing; rewards whose return
window has ended since are approved, as the scheduled task would.
"""

import datetime
import random
import uuid
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from shop import payloads
from shop import services as shop_services

from . import services
from .codes import code_for
from .models import Channel, Click, Referral, Reward, Sighting
from .staff_permissions import staff_grant
from .tracking import keyed_hash

SEED = 2612
SOURCE = "demo-referrals"  # their own source: the shop demo's orders stay its own
TOKENS = uuid.UUID("9f0c8a3e-5d1b-4c7e-8f2a-7b6d5e4c3a21")  # namespace of the demo's click tokens
PASSWORD = "demo-password-123"
STAFF_USERNAME, STAFF_EMAIL = "referrals", "referrals@example.com"

# referrer: clicks over the year, and the channels they share on (weights)
SHARERS = {
    "eleni": (70, {Channel.WHATSAPP: 5, Channel.FACEBOOK: 2, Channel.COPY: 2, Channel.QR: 1}),
    "maya": (45, {Channel.EMAIL: 4, Channel.COPY: 3, Channel.X: 1}),
    "asne": (30, {Channel.QR: 3, Channel.FACEBOOK: 2, Channel.TELEGRAM: 1}),
    "zoltan": (20, {Channel.X: 3, Channel.TELEGRAM: 1, Channel.LINK: 1}),
    "jonas": (15, {Channel.WHATSAPP: 1, Channel.COPY: 1}),
}

# username, display name, e-mail, referrer, channel, joined (days ago), order: (paid days ago, total) or None
FRIENDS = [
    ("ingrid", "Ingrid Dahl", "ingrid@example.com", "eleni", Channel.WHATSAPP, 200, (190, "89.00")),
    ("kostas", "Κώστας Ρήγας", "kostas@example.com", "eleni", Channel.WHATSAPP, 150, (140, "119.00")),
    ("petra", "Petra Nagy", "petra@example.com", "eleni", Channel.FACEBOOK, 70, (62, "79.00")),
    ("tom", "Tom Hughes", "tom@example.com", "maya", Channel.EMAIL, 40, (12, "149.00")),
    ("sofia", "Sofia Lind", "sofia@example.com", "maya", Channel.COPY, 20, (6, "45.00")),
    ("nikos", "Νίκος Παππάς", "nikos@example.com", "asne", Channel.QR, 25, None),
    ("reka", "Réka Horváth", "reka@example.com", "zoltan", Channel.X, 100, (95, "24.00")),  # under the minimum
    ("jberg", "J. Berg", "jonas.berg+deals@gmail.com", "jonas", Channel.COPY, 9, (4, "69.00")),  # Jonas himself
]
JONAS_GMAIL = "jonasberg@gmail.com"  # Jonas's own second address: the same mailbox as jberg's
JONAS_DEVICE, JONAS_IP = "demo-jonas-laptop", "192.0.2.77"


def _token(*parts):
    return uuid.uuid5(TOKENS, "/".join(str(p) for p in parts))


def _member(username, name, email, joined):
    User = get_user_model()
    member = User.objects.filter(username=username).first()
    if member is None:
        member = User.objects.create_user(username, email, PASSWORD, display_name=name)
        member.date_joined = joined
        member.save(update_fields=["date_joined"])
        EmailAddress.objects.get_or_create(user=member, email=email, defaults={"verified": True, "primary": True})
    return member


def _clicks(sharers, now):
    rnd = random.Random(SEED)
    rows = []
    for username, (count, weights) in SHARERS.items():
        member = sharers.get(username)
        if member is None:
            continue
        code = code_for(member)
        channels, shares = zip(*weights.items(), strict=True)
        for i in range(count):
            at = now - datetime.timedelta(days=rnd.randint(0, 364), minutes=rnd.randint(0, 1439))
            rows.append(Click(code=code, token=_token(username, i), at=at, channel=rnd.choices(channels, shares)[0],
                              ip_hash=keyed_hash(f"198.51.100.{rnd.randint(1, 254)}", "ip"),
                              user_agent="Mozilla/5.0 (demo)"))
    Click.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _order(friend, email, placed_at, total):
    total = Decimal(total)
    data = payloads.OrderData(
        external_id=f"REF-{friend.username}", email=email, placed_at=placed_at, currency="EUR", subtotal=total,
        discount_total=Decimal("0.00"), total=total, lines=[
            payloads.LineData(external_id="1", sku="", name="Demo order of a referred friend", quantity=1,
                              unit_price=total)],
        paid=True,
    )
    with transaction.atomic():
        order = shop_services.order_upsert(SOURCE, data, raw={"demo": True})
        shop_services.order_mark_paid(order, paid_at=placed_at + datetime.timedelta(minutes=2))
        # qualify at the time of payment (the order_paid receiver runs after commit and then
        # finds it done), so the rewards' dates and return windows are those of the story
        services.referral_qualify(friend, now=placed_at + datetime.timedelta(minutes=3))


def _friend(entry, sharers, now):
    username, name, email, referrer_name, channel, joined_days, order = entry
    referrer = sharers.get(referrer_name)
    if referrer is None:
        return None
    joined = now - datetime.timedelta(days=joined_days)
    friend = _member(username, name, email, joined)
    code = code_for(referrer)
    token = _token("friend", username)
    self_referral = username == "jberg"
    ip, device = (keyed_hash(JONAS_IP, "ip"), keyed_hash(JONAS_DEVICE, "device")) if self_referral else ("", "")
    Click.objects.bulk_create([Click(code=code, token=token, at=joined - datetime.timedelta(minutes=20), channel=channel,
                                     ip_hash=ip or keyed_hash(f"203.0.113.{len(username)}", "ip"), device_hash=device,
                                     user_agent="Mozilla/5.0 (demo friend)")], ignore_conflicts=True)
    referral = services.referral_attach(friend, code=code, via=Referral.Via.LINK, click_token=token, ip_hash=ip,
                                        device_hash=device, now=joined)
    if order is not None:
        paid_days, total = order
        _order(friend, email, now - datetime.timedelta(days=paid_days), total)
    return referral


def _jonas_traces(jonas, now):
    """Jonas's second address and where he signs in, which the flagged sign-up shares."""
    EmailAddress.objects.get_or_create(user=jonas, email=JONAS_GMAIL, defaults={"verified": True, "primary": False})
    Sighting.objects.get_or_create(member=jonas, ip_hash=keyed_hash(JONAS_IP, "ip"),
                                   device_hash=keyed_hash(JONAS_DEVICE, "device"),
                                   defaults={"at": now - datetime.timedelta(days=10)})


def load(stdout):
    now = timezone.now().replace(second=0, microsecond=0)
    User = get_user_model()
    sharers = {m.username: m for m in User.objects.filter(username__in=list(SHARERS))}
    if "jonas" in sharers:
        _jonas_traces(sharers["jonas"], now)
    clicks = _clicks(sharers, now)
    referrals = [r for r in (_friend(entry, sharers, now) for entry in FRIENDS) if r is not None]
    # approved as the scheduled task would have, on the day each return window ended
    approved = sum(services.reward_approve(pk, now=due_at) for pk, due_at in Reward.objects.filter(
        state=Reward.State.PENDING, due_at__lte=now).order_by("pk").values_list("pk", "due_at"))
    staff = User.objects.filter(username=STAFF_USERNAME).first()
    if staff is None:
        staff = User.objects.create_user(STAFF_USERNAME, STAFF_EMAIL, PASSWORD, display_name="Referral team")
        EmailAddress.objects.get_or_create(user=staff, email=STAFF_EMAIL, defaults={"verified": True, "primary": True})
    staff_grant(staff)
    states = dict.fromkeys(Reward.State.values, 0)
    for state in Reward.objects.filter(referral__in=referrals).values_list("state", flat=True):
        states[state] += 1
    stdout.write(
        f"Demo referrals: {len(referrals)} friends referred, {clicks} clicks on the members' links, rewards "
        f"{states['approved']} approved ({approved} just now), {states['pending']} pending, "
        f"{states['flagged']} flagged for review; referral staff: {STAFF_EMAIL} (password {PASSWORD})"
    )
