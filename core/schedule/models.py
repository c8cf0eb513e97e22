from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledRun(models.Model):
    """One run of a scheduled job. The row is taken (inserted) before the job runs: the unique
    (job, slot) lets one scheduler, of any number running at once, run a slot; the others skip it.
    Never edited but to record how the run ended; rows older than SCHEDULE_KEEP_DAYS are deleted
    by the scheduler's own `schedule_prune` job. A row with no `finished_at` is a run still going,
    or one whose process died: its slot is not run again (a job may have done half its work)."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("Unfinished")
        OK = "ok", _("Succeeded")
        FAILED = "failed", _("Failed")

    job = models.CharField(_("job"), max_length=64)
    slot = models.DateTimeField(_("slot"), help_text=_("The start of the period this run is for; for a run forced by "
                                                      "hand, the moment it was asked for."))
    forced = models.BooleanField(_("forced"), default=False)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices, default=Outcome.RUNNING)
    output = models.TextField(_("output"), blank=True)
    error = models.TextField(_("error"), blank=True)
    host = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process"), null=True, blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="schedule_run_once_per_slot")]
        indexes = [models.Index(fields=["job", "-started_at"], name="schedule_run_job_recent"),
                   models.Index(fields=["-started_at"], name="schedule_run_recent")]

    def __str__(self):
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M}"

    @property
    def duration(self):
        return self.finished_at - self.started_at if self.finished_at else None
