"""Moderation's part in a member's data export and account deletion (community.members.signals):
the reports a member filed and the suspensions of the member are in their export; their open
reports go when the account is deleted; closed ones stay with the moderators' record, but lose the
details the member wrote (their reason, a choice from a list, stays)."""

from django.dispatch import receiver

from community.members.signals import member_data_requested, member_deleting

from . import registry
from .models import Report, Suspension


@receiver(member_data_requested, dispatch_uid="moderation_export")
def export_moderation(sender, member, **kwargs):
    reports = Report.objects.filter(reporter=member).select_related("content_type").order_by("created_at")
    suspensions = Suspension.objects.filter(member=member).order_by("created_at")

    def kind_label(report):
        kind = registry.kind_for_model(report.content_type.model_class()) if report.content_type.model_class() else None
        return str(kind.label) if kind else report.content_type.model

    return "moderation", {
        "reports_filed": [
            {"kind": kind_label(r), "item_id": r.object_id, "reason": str(r.get_reason_display()), "details": r.details,
             "reported_at": r.created_at.isoformat(), "resolved_at": r.resolved_at.isoformat() if r.resolved_at else None,
             "resolution": r.resolution}
            for r in reports
        ],
        "suspensions": [
            {"from": s.created_at.isoformat(), "until": s.until.isoformat(), "reason": s.reason,
             "lifted_at": s.lifted_at.isoformat() if s.lifted_at else None}
            for s in suspensions
        ],
    }


@receiver(member_deleting, dispatch_uid="moderation_delete")
def forget_member(sender, member, **kwargs):
    Report.objects.filter(reporter=member, resolved_at__isnull=True).delete()
    Report.objects.filter(reporter=member).exclude(details="").update(details="")
