"""The admin's dashboard: what waits for moderators, and the week's activity (issue 17, item 12).
The website layer sits above every app, so it may count what each of them holds."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.ui.components import Component

from community.forum.models import Topic
from community.moderation import registry
from community.moderation.permissions import can_moderate
from community.moderation.selectors import open_reports
from shop.models import Order


class ModerationPanel(Component):
    name = "community_moderation"
    order = 50
    template_name = "website/admin/moderation_panel.html"

    def get_context_data(self, parent_context):
        return {
            "reports": open_reports().count(),
            "waiting": sum(kind.waiting().count() for kind in registry.kinds()),
            "queue_url": reverse("moderation_queue:index"),
        }


class WeekPanel(Component):
    name = "community_week"
    order = 60
    template_name = "website/admin/week_panel.html"

    def get_context_data(self, parent_context):
        since = timezone.now() - timedelta(days=7)
        return {
            "members": get_user_model().objects.filter(date_joined__gte=since, deleted_at__isnull=True).count(),
            "topics": Topic.objects.filter(created_at__gte=since, deleted_at__isnull=True).count(),
            "orders": Order.objects.filter(placed_at__gte=since).count(),
        }


@hooks.register("construct_homepage_panels")
def add_community_panels(request, panels):
    if can_moderate(request.user):
        panels.append(ModerationPanel())
    panels.append(WeekPanel())
