"""One scheduler for the whole site (core.schedule, app label `schedule`).

Each app says which of its jobs run when, in its own `schedules.py` (found at start-up like
Django's admin.py) or in its AppConfig.ready(), through `schedule_register()`; core knows no app.
`manage.py schedule_run`, from ONE crontab line every minute (or `--loop` as a service), runs
what is due; a `ScheduledRun` row per (job, slot), unique, is taken before a job runs, so two
servers running it at once never run a slot twice. See registry.py, cadence.py and runner.py.
"""
