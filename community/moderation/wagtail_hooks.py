"""One "Moderation" menu in the Wagtail admin: the queue, the log and suspensions, for every kind
of member-written content. Only moderators (community.moderation.permissions.can_moderate) see
the menu or open its views (admin_views.py)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup

from . import admin_views
from .permissions import can_moderate


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return can_moderate(request.user)


class ModeratorViewSet(ViewSet):
    """A viewset of plain admin views whose menu item only moderators see."""

    menu_item_class = ModeratorMenuItem


class QueueViewSet(ModeratorViewSet):
    name = "moderation_queue"
    url_prefix = "moderation/queue"
    icon = "warning"
    menu_label = _("Queue")
    menu_name = "moderation-queue"

    def get_urlpatterns(self):
        return [
            path("", admin_views.QueueView.as_view(), name="index"),
            path("act/", admin_views.QueueActionView.as_view(), name="act"),
            path("reports/<int:pk>/dismiss/", admin_views.ReportDismissView.as_view(), name="dismiss"),
        ]


class LogViewSet(ModeratorViewSet):
    name = "moderation_log"
    url_prefix = "moderation/log"
    icon = "history"
    menu_label = _("Log")
    menu_name = "moderation-log"

    def get_urlpatterns(self):
        return [path("", admin_views.LogView.as_view(), name="index")]


class SuspensionViewSet(ModeratorViewSet):
    name = "moderation_suspensions"
    url_prefix = "moderation/suspensions"
    icon = "lock"
    menu_label = _("Suspensions")
    menu_name = "moderation-suspensions"

    def get_urlpatterns(self):
        return [
            path("", admin_views.SuspensionsView.as_view(), name="index"),
            path("<int:pk>/lift/", admin_views.SuspensionLiftView.as_view(), name="lift"),
        ]


class ModerationGroup(ViewSetGroup):
    menu_label = _("Moderation")
    menu_icon = "warning"
    menu_name = "moderation"
    menu_order = 240
    items = (QueueViewSet, LogViewSet, SuspensionViewSet)


@hooks.register("register_admin_viewset")
def register_moderation():
    return ModerationGroup()
