"""The "Loyalty" menu of the Wagtail admin: the tiers editors set (name, threshold, multiplier,
birthday bonus, benefits), and a read-only list of members' loyalty accounts. The programme's
rules are in Settings → Loyalty programme. Imported by referrals/wagtail_hooks.py (Wagtail looks
for hooks at the app's root). Staff reports and adjustments (loyalty-redeem) join LoyaltyGroup."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from core.wagtail_admin import ReadOnlyPolicy, ReadOnlyViewSet

from .models import LoyaltyAccount, Tier
from .redeem_admin import REDEEM_ITEMS

register_permission_policy(LoyaltyAccount, ReadOnlyPolicy(LoyaltyAccount), exact_class=True)


class TierViewSet(ModelViewSet):
    model = Tier
    name = "loyalty_tiers"
    url_prefix = "loyalty/tiers"
    icon = "pick"
    menu_label = _("Tiers")
    form_fields = ["name", "threshold", "multiplier", "birthday_bonus", "benefits"]
    list_display = ["name", Column("threshold", label=_("Threshold")), Column("multiplier", label=_("Multiplier")),
                    Column("birthday_bonus", label=_("Birthday bonus"))]
    ordering = ["threshold"]


class LoyaltyAccountViewSet(ReadOnlyViewSet):
    model = LoyaltyAccount
    name = "loyalty_accounts"
    url_prefix = "loyalty/accounts"
    icon = "user"
    menu_label = _("Members' tiers")
    list_display = ["member", "tier", DateColumn("tier_since", label=_("Since")),
                    DateColumn("downgrade_on", label=_("Moves down on")), "leaderboard"]
    list_filter = ["tier", "leaderboard"]
    search_fields = ["member__username", "member__display_name"]
    list_select_related = ["member", "tier"]
    inspect_view_fields = ["member", "tier", "tier_since", "downgrade_to", "downgrade_announced_at", "downgrade_on",
                           "leaderboard"]


class LoyaltyGroup(ViewSetGroup):
    menu_label = _("Loyalty")
    menu_icon = "pick"
    menu_name = "loyalty"
    menu_order = 265
    items = (TierViewSet, LoyaltyAccountViewSet, *REDEEM_ITEMS)


@hooks.register("register_log_actions")
def register_loyalty_log_actions(actions):
    from .redemption import ADJUST_ACTION

    actions.register_action(ADJUST_ACTION, _("Adjust points"), _("Points adjusted"))


@hooks.register("register_admin_viewset")
def register_loyalty():
    return LoyaltyGroup()
