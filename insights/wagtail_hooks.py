"""One "Insights" menu in the Wagtail admin (retention, cohorts, the community effect, engagement)
and the dashboard panel of headline numbers; both only for staff who may see insights."""

from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup

from . import admin_views, cache, selectors
from .app_settings import app_settings
from .permissions import can_view


class InsightsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view(request.user)


def _page(view_name, view_class, prefix, label, icon, order):
    return type(f"{view_class.__name__}Set", (ViewSet,), {
        "name": view_name, "url_prefix": prefix, "icon": icon, "menu_label": label, "menu_name": view_name.replace("_", "-"),
        "menu_item_class": InsightsMenuItem, "menu_order": order,
        "get_urlpatterns": lambda self: [path("", view_class.as_view(), name="index")],
    })


class ExportViewSet(ViewSet):
    name = "insights_customers"
    url_prefix = "insights/customers.csv"
    add_to_admin_menu = False

    def get_urlpatterns(self):
        return [path("", admin_views.CustomerExportView.as_view(), name="index")]


class InsightsGroup(ViewSetGroup):
    menu_label = _("Insights")
    menu_icon = "view"
    menu_name = "insights"
    menu_order = 250
    items = (
        _page("insights_retention", admin_views.RetentionView, "insights/retention", _("Retention"), "history", 1),
        _page("insights_cohorts", admin_views.CohortsView, "insights/cohorts", _("Cohorts"), "table", 2),
        _page("insights_community", admin_views.CommunityView, "insights/community", _("Community effect"), "group", 3),
        _page("insights_engagement", admin_views.EngagementView, "insights/engagement", _("Engagement"), "comment", 4),
    )


@hooks.register("register_admin_viewset")
def register_insights():
    return InsightsGroup()


@hooks.register("register_admin_viewset")
def register_export():
    return ExportViewSet()


class HeadlinePanel(Component):
    name = "insights_headline"
    order = 70
    template_name = "insights/admin/headline_panel.html"

    def get_context_data(self, parent_context):
        params = {"window": app_settings.WINDOW_DAYS, "today": timezone.localdate().isoformat()}  # as insights.warm
        (previous, current), as_of = cache.figures("headline", params, selectors.headline)
        return {"previous": previous, "current": current, "as_of": as_of, "url": reverse("insights_retention:index")}


@hooks.register("construct_homepage_panels")
def add_insights_panel(request, panels):
    if can_view(request.user):
        panels.append(HeadlinePanel())


@hooks.register("register_permissions")
def insights_permissions():
    """Offer the two permissions in the admin's group editor ("Other permissions")."""
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label="insights", codename__in=["view_insights", "export_customers"])
