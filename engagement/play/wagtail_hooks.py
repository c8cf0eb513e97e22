"""The "Badges and challenges" menu of the Wagtail admin: badges (editors name them, add a
picture, switch them off, and create manual ones), awards (editors give a manual badge to a member;
the site gives the rule badges), challenges, and the support report (time to the first staff
answer in "Ask the team": median and share within 24 hours)."""

from datetime import timedelta

from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .forms import BadgeAwardForm
from .models import Badge, BadgeAward, Challenge
from .selectors import support_figures, support_recent, support_waiting


class BadgeViewSet(ModelViewSet):
    model = Badge
    name = "play_badges"
    url_prefix = "play/badges"
    icon = "pick"
    menu_label = _("Badges")
    list_display = ["label", Column("rule", label=_("Rule")), Column("active", label=_("Active")),
                    Column("position", label=_("Position"))]
    ordering = ["position", "pk"]


class BadgeAwardViewSet(ModelViewSet):
    model = BadgeAward
    name = "play_awards"
    url_prefix = "play/awards"
    icon = "user"
    menu_label = _("Badge awards")

    def get_form_class(self, for_update=False):
        return BadgeAwardForm
    list_display = ["member", "badge", DateColumn("awarded_at", label=_("Awarded")), "awarded_by"]
    list_filter = ["badge"]
    search_fields = ["member__username", "member__display_name"]
    list_select_related = ["member", "badge", "awarded_by"]
    ordering = ["-awarded_at"]


class ChallengeViewSet(ModelViewSet):
    model = Challenge
    name = "play_challenges"
    url_prefix = "play/challenges"
    icon = "date"
    menu_label = _("Challenges")
    list_display = ["title", Column("goal", label=_("Goal")), DateColumn("starts_at", label=_("Starts")),
                    DateColumn("ends_at", label=_("Ends")), Column("published", label=_("Published"))]
    list_filter = ["goal", "published"]
    search_fields = ["title"]
    ordering = ["-starts_at"]


class PlayGroup(ViewSetGroup):
    menu_label = _("Badges and challenges")
    menu_icon = "pick"
    menu_name = "play"
    menu_order = 266
    items = (BadgeViewSet, BadgeAwardViewSet, ChallengeViewSet)


@hooks.register("register_admin_viewset")
def register_play_viewsets():
    return PlayGroup()


SUPPORT_PERMISSION = "forum.change_topic"


def support_report(request):
    if not request.user.has_perm(SUPPORT_PERMISSION):
        return permission_denied(request)
    now = timezone.now()
    periods = [(_("Last 7 days"), 7), (_("Last 30 days"), 30), (_("Last 90 days"), 90)]
    rows = [(label, support_figures(since=now - timedelta(days=days), now=now)) for label, days in periods]
    return render(request, "play/admin/support_report.html", {
        "rows": rows, "waiting": support_waiting(), "recent": support_recent(limit=20), "now": now,
    })


@hooks.register("register_admin_urls")
def register_support_urls():
    return [path("play/support/", support_report, name="play_support_report")]


class SupportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(SUPPORT_PERMISSION)


@hooks.register("register_reports_menu_item")
def register_support_menu_item():
    return SupportMenuItem(_("Ask the team: answer times"), reverse("play_support_report"), icon_name="help",
                           order=900)
