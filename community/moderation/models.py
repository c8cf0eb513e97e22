"""Moderation of everything members write: reports, the moderators' log and suspensions. Items
(a forum post, later a photo post, a comment, a review) are named by content type and id, so
these tables know no app; community.moderation.registry says what each kind is."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .registry import action_label


class Reason(models.TextChoices):
    """The one list of reasons for a report, whatever the kind of item."""

    SPAM = "spam", _("Spam or advertising")
    RUDE = "rude", _("Rude or abusive")
    OFF_TOPIC = "off_topic", _("Off topic")
    PERSONAL = "personal", _("Shares someone's personal data")
    OTHER = "other", _("Something else")


class Resolution(models.TextChoices):
    HIDDEN = "hidden", _("hidden")
    RESTORED = "restored", _("restored")
    APPROVED = "approved", _("approved")
    DELETED = "deleted", _("deleted")
    DISMISSED = "dismissed", _("dismissed")


class Report(models.Model):
    """A member's report of an item. One open report per member and item (the constraint); it
    closes when a moderator acts on the item or dismisses it."""

    content_type = models.ForeignKey(ContentType, verbose_name=_("kind of item"), on_delete=models.CASCADE,
                                     related_name="+")
    object_id = models.PositiveBigIntegerField(_("item id"))
    item = GenericForeignKey("content_type", "object_id")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.CASCADE,
                                 related_name="moderation_reports")
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    details = models.CharField(_("details"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now, db_index=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("resolved by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    resolution = models.CharField(_("resolution"), max_length=16, choices=Resolution.choices, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        permissions = [("moderate", _("Can moderate what members write"))]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "reporter"], condition=Q(resolved_at__isnull=True),
                                    name="moderation_one_open_report_per_member"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="moderation_report_item")]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.content_type_id}/{self.object_id}"


class Suspension(models.Model):
    """A member may read but not write anywhere on the site (forum, posts, comments, reviews)
    until `until`, unless a moderator lifts it first."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.CASCADE,
                               related_name="suspensions")
    until = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("suspended by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("suspended at"), default=timezone.now)
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        indexes = [models.Index(fields=["member", "-until"], name="moderation_suspension_member")]

    def __str__(self):
        return f"{self.member} until {self.until:%Y-%m-%d}"


class ModerationLog(models.Model):
    """Every moderator action, append-only: who, what (an action code, labelled through the
    registry), on which item or member, and why. `item_title` keeps what the item was called
    then, so the log reads the same after the item is gone."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("moderator"), null=True, on_delete=models.SET_NULL,
                              related_name="+")
    action = models.CharField(_("action"), max_length=20, db_index=True)
    content_type = models.ForeignKey(ContentType, verbose_name=_("kind of item"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    object_id = models.PositiveBigIntegerField(_("item id"), null=True, blank=True)
    item_title = models.CharField(_("item"), max_length=200, blank=True)
    item_url = models.CharField(_("item address"), max_length=500, blank=True)
    member = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("member"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")
        indexes = [models.Index(fields=["content_type", "object_id"], name="moderation_log_item")]

    def __str__(self):
        return f"{self.actor} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("The moderation log is append-only.")
        super().save(*args, **kwargs)

    def get_action_display(self):
        return action_label(self.action)
