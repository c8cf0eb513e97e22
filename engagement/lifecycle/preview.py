"""The admin's preview of a lifecycle e-mail with a real member's data, and its test send to the
editor's own address. It reads what the nightly passes would show that member now (their latest
order, what they bought, this week's topics) and writes nothing: no send log, no survey, no code."""

from django.utils import timezone
from django.utils.translation import gettext as _

from core.absolute import absolute_url
from referrals.codes import referral_url
from referrals.loyalty.models import LoyaltyAccount
from referrals.loyalty.rules import programme, rule
from referrals.models import LedgerEntry, ReferralCode, ReferralProgramme
from shop.models import Order, OrderLine
from shop.selectors import products_bought_together

from .app_settings import app_settings
from .kinds import Kind
from .models import Survey
from .passes import EARNS, _order_label, _url, digest_topics
from .sending import Item, message_for


def _latest_order(member):
    return Order.objects.filter(member=member, status__in=EARNS).order_by("-paid_at", "-pk").first()


def preview_item(kind, member):
    """The Item the passes would make for `member` now (with stand-ins where they have no data)."""
    order = _latest_order(member)
    label = _order_label(order) if order else "#12345"
    if kind == Kind.THANK_YOU:
        code = ReferralCode.objects.filter(member=member).first()
        return Item(member, "preview", {
            "referral_link": referral_url(code) if code else absolute_url("/r/EXAMPLE"),
            "friend_offer": ReferralProgramme.load().friend_offer or ""})
    if kind == Kind.CARE_TIPS:
        guides = {}
        if order is not None:
            for name, guide in (OrderLine.objects.filter(order=order).exclude(product__care_guide="")
                                .values_list("product__name", "product__care_guide")):
                guides.setdefault(name, guide.strip())
        tips = ("\n\n".join(f"{name}\n{guide}" for name, guide in guides.items())
                or _("(No product of this order has a care guide.)"))
        return Item(member, "preview", {"order": label, "care_tips": tips})
    if kind == Kind.BIRTHDAY:
        base = rule(programme(), LedgerEntry.Kind.BIRTHDAY)
        account = LoyaltyAccount.objects.select_related("tier").filter(member=member).first()
        bonus = account.tier.birthday_bonus if account and account.tier else 0
        return Item(member, "preview", {"points": base.points + bonus if base.enabled else 0,
                                        "points_url": _url("referrals:points", "/me/points/")})
    if kind == Kind.WIN_BACK:
        bought = set(OrderLine.objects.filter(order__member=member, order__status__in=EARNS, product__isnull=False)
                     .values_list("product_id", flat=True))
        picks = products_bought_together(bought, limit=3)
        return Item(member, "preview", {"days": app_settings.WIN_BACK_DAYS, "products": "\n".join(
            f"{p.name}: {absolute_url(p.get_absolute_url())}" for p in picks)})
    if kind == Kind.DIGEST:
        topics = digest_topics(timezone.now())

        def listing():
            return "\n".join(_("%(title)s (%(count)s new posts): %(url)s") % {
                "title": t.title, "count": n, "url": absolute_url(t.get_absolute_url())} for t, n in topics)

        return Item(member, "preview", {"topics": listing, "forum_url": _url("forum:index", "/forum/")})
    survey = Survey(type=Survey.Type.NPS if kind == Kind.NPS else Survey.Type.CSAT, member=member, order=order)
    return Item(member, "preview", {"order": label}, order=order, survey=survey)


def preview_message(kind, member, language):
    return message_for(kind, preview_item(kind, member), language)
