"""One "Referrals" menu in the Wagtail admin: the funnel report, the queue of flagged referrals,
and read-only lists of referrals, rewards and the points ledger (the ledger is append-only: no
add, edit or delete views exist, for anyone). Who sees what: referrals.staff_permissions (the
report and the queue) and the models' view permissions (the lists); the "Referral staff" group
has them all."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.permissions import register_permission_policy

from core.wagtail_admin import ReadOnlyPolicy, ReadOnlyViewSet

from . import admin_views
from .models import FraudFlag, LedgerEntry, Referral, Reward
from .staff_permissions import can_report, can_review

for _model in (LedgerEntry, Referral, Reward, FraudFlag):
    register_permission_policy(_model, ReadOnlyPolicy(_model), exact_class=True)


class ReviewMenuItem(MenuItem):
    def is_shown(self, request):
        return can_review(request.user)


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_report(request.user)


class ReportViewSet(ViewSet):
    name = "referrals_report"
    url_prefix = "referrals/report"
    icon = "table"
    menu_label = _("Funnel report")
    menu_name = "referrals-report"
    menu_item_class = ReportMenuItem

    def get_urlpatterns(self):
        return [path("", admin_views.ReportView.as_view(), name="index")]


class ReviewViewSet(ViewSet):
    name = "referrals_review"
    url_prefix = "referrals/review"
    icon = "warning"
    menu_label = _("Flagged referrals")
    menu_name = "referrals-review"
    menu_item_class = ReviewMenuItem

    def get_urlpatterns(self):
        return [
            path("", admin_views.ReviewQueueView.as_view(), name="index"),
            path("<int:pk>/", admin_views.ReviewDecideView.as_view(), name="decide"),
        ]


class ReferralViewSet(ReadOnlyViewSet):
    model = Referral
    name = "referrals_referral"
    url_prefix = "referrals/referrals"
    icon = "group"
    menu_label = _("Referrals")
    list_display = [
        "__str__", "via", "channel", "review", DateColumn("created_at", label=_("Joined")),
        DateColumn("qualified_at", label=_("Qualified")),
    ]
    list_filter = ["review", "via", "channel", "no_reward", "created_at", "qualified_at"]
    search_fields = ["referrer__username", "friend__username", "referrer__display_name", "friend__display_name"]
    list_select_related = ["referrer", "friend"]
    inspect_view_fields = [
        "referrer", "friend", "code", "via", "channel", "created_at", "qualified_at", "qualifying_order", "no_reward",
        "review", "review_reason", "reviewed_by", "reviewed_at",
    ]


class RewardViewSet(ReadOnlyViewSet):
    model = Reward
    name = "referrals_reward"
    url_prefix = "referrals/rewards"
    icon = "pick"
    menu_label = _("Rewards")
    list_display = [
        "member", "side", "state", Column("points", label=_("Points")), "discount_code",
        DateColumn("due_at", label=_("Approved after")), DateColumn("created_at", label=_("Created")),
    ]
    list_filter = ["state", "side", "currency", "created_at", "due_at"]
    search_fields = ["member__username", "member__display_name", "discount_code"]
    list_select_related = ["member"]
    inspect_view_fields = [
        "member", "referral", "side", "points", "discount_code", "discount_value", "currency", "state", "reason",
        "order", "due_at", "created_at", "decided_at",
    ]


class LedgerViewSet(ReadOnlyViewSet):
    model = LedgerEntry
    name = "referrals_ledger"
    url_prefix = "referrals/ledger"
    icon = "list-ul"
    menu_label = _("Points ledger")
    list_display = [
        "member", Column("points", label=_("Points")), "kind", "status", "source_key",
        DateColumn("created_at", label=_("Created")),
    ]
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["member__username", "member__display_name", "source_key", "note"]
    list_select_related = ["member"]
    inspect_view_fields = ["member", "points", "kind", "status", "source_key", "reward", "note", "created_at"]


class ReferralsGroup(ViewSetGroup):
    menu_label = _("Referrals")
    menu_icon = "link"
    menu_name = "referrals"
    menu_order = 260
    items = (ReportViewSet, ReviewViewSet, ReferralViewSet, RewardViewSet, LedgerViewSet)


@hooks.register("register_admin_viewset")
def register_referrals():
    return ReferralsGroup()

# the Loyalty menu (referrals.loyalty): tiers, members' tiers; its hooks register on import
from .loyalty import wagtail_hooks as loyalty_hooks  # noqa: E402, F401
