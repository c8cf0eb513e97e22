"""Shared makers for the lifecycle tests."""

import datetime
import re

from django.core import mail
from django.utils import timezone

from engagement.lifecycle.app_settings import app_settings
from engagement.lifecycle.models import Survey
from shop.models import Order, OrderLine
from tests.factories import MemberFactory, ProductFactory

NOW = timezone.make_aware(datetime.datetime(2026, 6, 15, 12, 0))


def buyer(**kwargs):
    return MemberFactory(**kwargs)


def paid_order(member, products=None, *, paid_at, status=Order.Status.PAID):
    """A paid order of `member` (no signals: the passes read the orders themselves)."""
    n = Order.objects.count() + 1
    order = Order.objects.create(source="test", external_id=f"T{n}", email=member.email if member else "x@example.com",
                                 member=member, status=status, total="49.00", subtotal="49.00", currency="EUR",
                                 placed_at=paid_at, paid_at=paid_at)
    for i, product in enumerate(products or [ProductFactory()]):
        OrderLine.objects.create(order=order, product=product, external_id=str(i + 1), sku=product.sku,
                                 name=product.name, quantity=1, unit_price=product.price, total=product.price)
    return order


def care_product(**kwargs):
    return ProductFactory(care_guide="Wash cold, inside out.\n\nDry flat, away from the sun.", **kwargs)


def days_ago(days, now=NOW):
    return now - datetime.timedelta(days=days, hours=1)


def care_due(now=NOW):
    return days_ago(app_settings.CARE_TIPS_DAYS, now)


def mails(kind_marker=None):
    return [m for m in mail.outbox if kind_marker is None or kind_marker in m.subject]


def links_in(message):
    return re.findall(r"https?://[^\s<>\"]+", message.body)


def survey_links(message):
    return [url for url in links_in(message) if "/surveys/" in url]


def make_survey(member, order=None, type=Survey.Type.NPS, **kwargs):
    return Survey.objects.create(type=type, member=member, order=order, **kwargs)
