"""The schedule in the Wagtail admin: Reports → Scheduled jobs, read-only. Each job with its
cadence, what it runs, its last run and result and its next run; then the recent runs with their
output or error. Staff need `schedule.view_scheduledrun` (offered in the group editor)."""

from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem

from .app_settings import app_settings
from .cadence import site_zone
from .selectors import schedule_recent, schedule_table

PERMISSION = "schedule.view_scheduledrun"


def can_view_schedule(user):
    return user.is_active and user.has_perm(PERMISSION)


@require_GET
def schedule_view(request):
    if not can_view_schedule(request.user):
        return permission_denied(request)
    now = timezone.now()
    return render(request, "schedule/admin/schedule.html", {
        "rows": schedule_table(now), "recent": schedule_recent(app_settings.RECENT_RUNS), "now": now,
        "zone": site_zone().key, "keep_days": app_settings.KEEP_DAYS,
    })


@hooks.register("register_admin_urls")
def register_schedule_urls():
    return [path("schedule/", schedule_view, name="schedule_report")]


class ScheduleMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_schedule(request.user)


@hooks.register("register_reports_menu_item")
def register_schedule_menu_item():
    return ScheduleMenuItem(_("Scheduled jobs"), reverse("schedule_report"), icon_name="time", order=950)


@hooks.register("register_permissions")
def schedule_permissions():
    """Offer "Can view scheduled run" in the admin's group editor."""
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label="schedule", codename="view_scheduledrun")
