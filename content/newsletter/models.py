"""Newsletter subscribers and the append-only log that proves their consent."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    """Where a visitor gave consent: the form passes its own placement."""

    FOOTER = "footer", _("Footer form")
    HOME = "home", _("Home page")
    DASHBOARD = "dashboard", _("Member dashboard")
    PAGE = "page", _("Newsletter page")


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    email = models.EmailField(_("e-mail address"), max_length=254, unique=True,
                              help_text=_("Stored trimmed and lower-cased."))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    consent_version = models.CharField(_("consent version"), max_length=32)
    consent_text = models.TextField(_("consent wording shown"))
    consent_at = models.DateTimeField(_("consent given at"))
    consent_source = models.CharField(_("consent source"), max_length=16, choices=Source.choices)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Changes whenever the address is confirmed or unsubscribed, so a confirmation link can be
    # used once per sign-up and an old link cannot undo a later unsubscribe.
    token_nonce = models.CharField(max_length=32, editable=False)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["language", "status"]), models.Index(fields=["consent_source", "status"])]

    def __str__(self):
        return self.email


class ConsentEvent(models.Model):
    """One change of consent. Rows are only ever added: never edited, never deleted."""

    class Kind(models.TextChoices):
        SIGNED_UP = "signed_up", _("Signed up")
        CONFIRMED = "confirmed", _("Confirmed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        RESUBSCRIBED = "resubscribed", _("Signed up again")

    subscriber = models.ForeignKey(Subscriber, on_delete=models.PROTECT, related_name="events", verbose_name=_("subscriber"))
    event = models.CharField(_("event"), max_length=16, choices=Kind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    source = models.CharField(_("source"), max_length=32,
                              help_text=_("The form for sign-ups; the link, the page or one-click for the others."))
    language = models.CharField(_("language"), max_length=10, blank=True)
    consent_version = models.CharField(_("consent version"), max_length=32, blank=True)
    consent_text = models.TextField(_("consent wording shown"), blank=True)
    ip_hash = models.CharField(_("IP address (keyed hash)"), max_length=64, blank=True,
                               help_text=_("HMAC-SHA256 of the address keyed with the site's secret; the address is not kept."))
    cycle = models.CharField(_("sign-up cycle"), max_length=32, editable=False)

    class Meta:
        verbose_name = _("consent event")
        verbose_name_plural = _("consent events")
        ordering = ["at", "pk"]
        constraints = [
            # A sign-up is confirmed once, and an address leaves once per sign-up: two clicks at
            # the same moment cannot both write.
            models.UniqueConstraint(
                fields=["subscriber", "event", "cycle"],
                condition=models.Q(event__in=["confirmed", "unsubscribed"]),
                name="newsletter_consent_event_once_per_cycle",
            ),
        ]

    def __str__(self):
        return f"{self.get_event_display()} · {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Consent events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Consent events are append-only.")
