"""Insights keeps no figures of its own in the database (they are computed and cached); it holds
the permissions and the log of per-customer exports."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CustomerExport(models.Model):
    """A download of per-customer rows: who, when, which range and how many rows. Append-only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL,
                             related_name="+")
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created_at = models.DateTimeField(_("downloaded at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("customer export")
        verbose_name_plural = _("customer exports")
        default_permissions = ("view",)
        permissions = [
            ("view_insights", _("Can see the insights (counts and rates only)")),
            ("export_customers", _("Can download per-customer rows (each download is logged)")),
        ]

    def __str__(self):
        return f"{self.user} {self.start}–{self.end} ({self.rows})"


class OrderFact(models.Model):
    """One qualifying order (paid, or partly refunded) as the retention figures read it, kept by
    insights.facts: its customer ("m:<member id>" or "e:<address>" for a guest), its member (for
    the segments), its moment and its customer's previous, next and first orders' moments (whole
    seconds since the epoch) and its net value (total less refunds). Derived from shop orders
    alone, so it holds nothing a member's data export or erasure does not already cover."""

    order_id = models.BigIntegerField(primary_key=True)
    customer = models.CharField(max_length=300, db_index=True)
    member_id = models.BigIntegerField(null=True)
    t = models.BigIntegerField()
    net = models.FloatField()
    prev_t = models.BigIntegerField(null=True)
    next_t = models.BigIntegerField(null=True)
    first_t = models.BigIntegerField()

    class Meta:
        default_permissions = ()
        indexes = [models.Index(fields=["first_t"], name="insights_fact_first_t")]

    def __str__(self):
        return f"{self.order_id} {self.customer}"
