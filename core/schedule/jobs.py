"""The scheduler's own jobs: pruning its old runs, and putting back tasks a killed worker left
running (django_tasks_db; the site's tasks are safe to run twice)."""

from django.utils.translation import gettext_lazy as _

from .cadence import Daily, Every
from .registry import schedule_register

# Longer than any of the site's tasks takes (the nightly lifecycle pass over 100,000 members: minutes).
TASKS_RECOVER_AFTER_SECONDS = 3 * 3600


def register():
    schedule_register("schedule_prune", Daily("03:40"), command=("schedule_run", "--prune"),
                      description=_("Deletes the records of scheduled runs older than the days kept."))
    schedule_register("tasks_recover", Every(60), command=("tasks_recover", "--older-than", TASKS_RECOVER_AFTER_SECONDS),
                      description=_("Queues again the background tasks a stopped worker left running for hours."))
