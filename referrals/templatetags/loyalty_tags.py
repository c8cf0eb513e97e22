"""Loyalty on pages other apps own (community sits below referrals, so its templates load this
library; its Python never imports it): the tier on a member's profile, and the points card on
/me/."""

from django import template

from ..loyalty.selectors import loyalty_account, points_balance

register = template.Library()


@register.inclusion_tag("referrals/loyalty/includes/tier_badge.html")
def loyalty_tier(member):
    """The member's tier by name, for their public profile (one query; nothing before they have
    one)."""
    account = loyalty_account(member) if member is not None and not member.is_deleted else None
    return {"tier": account.tier if account is not None else None}


@register.inclusion_tag("referrals/loyalty/includes/points_card.html")
def loyalty_card(member):
    """The card on /me/: points to spend and pending, the tier, a link to /me/points/ (two queries)."""
    account = loyalty_account(member)
    return {"balance": points_balance(member), "tier": account.tier if account is not None else None}
