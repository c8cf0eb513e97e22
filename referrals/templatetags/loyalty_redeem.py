"""{% redeem_panel user as panel %}: what the redeem part of /me/points/ shows (three queries;
referrals.loyalty.redeem_selectors.redeem_panel), for the include
referrals/loyalty/includes/redeem.html, so the page's view needs to know nothing about it."""

from django import template

from ..loyalty.redeem_selectors import redeem_panel as panel_for

register = template.Library()


@register.simple_tag
def redeem_panel(user, balance=None):
    """`balance`: the page's ledger.Balance, if it has one (saves a query)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return panel_for(user, available=None if balance is None else max(0, balance.approved))
