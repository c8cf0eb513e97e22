"""Background work of badges: the daily run (a task for a worker's scheduler; cron runs
`manage.py play_daily`)."""

from django_tasks import task


@task()
def play_daily_run():
    from .services import play_daily

    return play_daily()
