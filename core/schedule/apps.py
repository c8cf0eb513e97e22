from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ScheduleConfig(AppConfig):
    """The site's scheduler (core.schedule). Mechanics only: the jobs are the apps' own."""

    name = "core.schedule"
    label = "schedule"
    verbose_name = _("Scheduled jobs")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import jobs

        jobs.register()
        # Every installed app's `schedules.py` registers its jobs (models are ready by now).
        autodiscover_modules("schedules")
