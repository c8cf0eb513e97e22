"""Lifecycle e-mails and surveys.

- EmailText: what editors write for one kind of e-mail in one language (subject and body with
  {placeholders}); a kind without a text in the member's language uses the site's default text.
- SendLog: one row per e-mail sent, unique per (kind, member, event): written in the same
  transaction as the e-mail is handed to the mail backend, so a replay, a second run of the nightly
  pass or a concurrent one never sends twice for one event, and a failed send leaves no row.
- Survey: an NPS or CSAT question sent for an order, answered once through its signed link;
  unhappy answers (NPS 0-6, CSAT 1-2) wait in the staff's follow-up queue.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .kinds import PLACEHOLDERS, Kind

PLACEHOLDER_RE = re.compile(r"\{(\w+)\}")
COMMENT_MAX = 2000


class EmailText(models.Model):
    kind = models.CharField(_("e-mail"), max_length=16, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=12, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(
        _("text"), help_text=_("Plain text; a blank line starts a new paragraph. Placeholders in braces, such as "
                               "{name}, are filled in for each member: the preview lists those of this e-mail."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lifecycle e-mail text")
        verbose_name_plural = _("lifecycle e-mail texts")
        ordering = ["kind", "language"]
        constraints = [models.UniqueConstraint(fields=["kind", "language"], name="lifecycle_text_once_per_language")]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.language})"

    def clean(self):
        allowed = PLACEHOLDERS.get(self.kind, ())
        unknown = sorted({name for text in (self.subject or "", self.body or "")
                          for name in PLACEHOLDER_RE.findall(text) if name not in allowed})
        if unknown:
            raise ValidationError(_("Unknown placeholders: %(unknown)s. This e-mail can use: %(allowed)s.") % {
                "unknown": ", ".join(f"{{{n}}}" for n in unknown),
                "allowed": ", ".join(f"{{{n}}}" for n in allowed)})


class SendLog(models.Model):
    kind = models.CharField(_("e-mail"), max_length=16, choices=Kind.choices)
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lifecycle_sends",
                               verbose_name=_("member"))
    event_key = models.CharField(_("event"), max_length=64)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("lifecycle e-mail sent")
        verbose_name_plural = _("lifecycle e-mails sent")
        constraints = [models.UniqueConstraint(fields=["kind", "member", "event_key"], name="lifecycle_send_once_per_event")]
        indexes = [models.Index(fields=["member", "kind", "-sent_at"], name="lifecycle_send_member_kind")]

    def __str__(self):
        return f"{self.kind} {self.member_id} {self.event_key}"


class Survey(models.Model):
    class Type(models.TextChoices):
        NPS = "nps", _("NPS")
        CSAT = "csat", _("CSAT")

    class FollowUp(models.TextChoices):
        NONE = "", _("not needed")
        NEW = "new", _("to contact")
        CONTACTED = "contacted", _("contacted")
        RESOLVED = "resolved", _("resolved")

    type = models.CharField(_("survey"), max_length=8, choices=Type.choices)
    member = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="lifecycle_surveys", verbose_name=_("member"))
    order = models.ForeignKey("shop.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("order"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True,
                                             validators=[MinValueValidator(0), MaxValueValidator(10)])
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, db_index=True)
    comment = models.TextField(_("comment"), blank=True, max_length=COMMENT_MAX)
    follow_up = models.CharField(_("follow-up"), max_length=12, choices=FollowUp.choices, blank=True, default="")
    follow_up_note = models.TextField(_("staff note"), blank=True, max_length=COMMENT_MAX)
    follow_up_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("followed up by"))
    follow_up_at = models.DateTimeField(_("followed up at"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["type", "order"], condition=Q(order__isnull=False),
                                    name="lifecycle_survey_once_per_order"),
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(type="nps", score__lte=10)
                                   | Q(type="csat", score__gte=1, score__lte=5), name="lifecycle_survey_score_range"),
        ]
        indexes = [models.Index(fields=["follow_up", "answered_at"], name="lifecycle_survey_follow_up")]

    def __str__(self):
        return f"{self.get_type_display()} {self.pk}"

    @property
    def scale(self):
        return range(0, 11) if self.type == self.Type.NPS else range(1, 6)

    @property
    def answered(self):
        return self.score is not None
