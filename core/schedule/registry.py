"""The jobs of the schedule. Apps add theirs from their `schedules.py` (or AppConfig.ready()):

    from core.schedule.cadence import Daily, Every, Weekly
    from core.schedule.registry import schedule_register

    schedule_register("lifecycle_nightly", Daily("09:00"), command=("lifecycle_run",),
                      description=_("Birthday, win-back and care-tip e-mails, and surveys."))
    schedule_register("warm_cache", Every(30), task="myapp.tasks.warm_task")

A job runs either a management command with its arguments (in the scheduler's process; its output
is kept with the run) or a task of Django's tasks API, enqueued (a worker runs it; on the immediate
backend of development it runs at once). The list is never edited from outside the app that owns
a job; registering the same job twice identically is harmless, differently an error.
"""

import dataclasses
import re

from django.core.exceptions import ImproperlyConfigured

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


@dataclasses.dataclass(frozen=True)
class Job:
    name: str
    cadence: object  # a cadence.Every, Daily or Weekly
    command: tuple = ()  # ("command_name", "--arg", ...)
    task: str = ""  # dotted path of a task
    description: object = ""  # a (lazily) translated sentence for staff

    @property
    def target(self):
        """What it runs, as staff read it."""
        if self.command:
            return "manage.py " + " ".join(self.command)
        return f"task {self.task}"


_registry: dict[str, Job] = {}


def schedule_register(name, cadence, *, command=(), task="", description=""):
    """Add a job; returns it."""
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise ImproperlyConfigured(f"scheduled job {name!r}: a name of lowercase ASCII letters, digits and _")
    if not hasattr(cadence, "slot_at"):
        raise ImproperlyConfigured(f"scheduled job {name!r}: the cadence must be core.schedule.cadence's Every, Daily or Weekly")
    command = tuple(str(part) for part in ((command,) if isinstance(command, str) else command))
    if bool(command) == bool(task):
        raise ImproperlyConfigured(f"scheduled job {name!r}: give a command or a task, one of them")
    job = Job(name=name, cadence=cadence, command=command, task=task, description=description)
    existing = _registry.get(name)
    if existing is not None and existing != job:
        raise ImproperlyConfigured(f"scheduled job {name!r} is already registered, differently: {existing}")
    _registry[name] = job
    return job


def schedule_unregister(name):
    """Remove a job (for tests, and for a site that wants one of the apps' jobs off)."""
    _registry.pop(name, None)


def schedule_jobs():
    """Every job, the most frequent first (so a nightly job started in the same minute never holds
    back the every-minute ones), then by name."""
    return sorted(_registry.values(), key=lambda job: (job.cadence.period, job.name))


def schedule_job(name):
    """The job of this name; KeyError if none."""
    return _registry[name]
