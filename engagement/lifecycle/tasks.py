"""Background tasks of the lifecycle e-mails (Django's tasks API). A worker's scheduler (or cron,
through `manage.py lifecycle_run` and `manage.py lifecycle_run --weekly`) runs them once a day and
once a week; running one twice, or two at once, sends nothing twice (the send log's constraint)."""

from django_tasks import task

from core.absolute import base_url_use


@task()
def lifecycle_nightly_task(base_url=""):
    from .passes import lifecycle_nightly

    with base_url_use(base_url):
        return lifecycle_nightly()


@task()
def lifecycle_weekly_task(base_url=""):
    from .passes import lifecycle_weekly

    with base_url_use(base_url):
        return lifecycle_weekly()
