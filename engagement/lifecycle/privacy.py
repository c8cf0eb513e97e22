"""Lifecycle's part in a member's data export and account deletion (community.members.signals).

Export (`lifecycle`): the lifecycle e-mails sent to the member (kind, date) and their survey answers
(survey, order, score, comment, dates). Deletion: the send log goes; survey answers stay for the
monthly figures but lose their member and comment (a comment is free text that may name them).
"""

from django.dispatch import receiver

from community.members.signals import member_data_requested, member_deleting

from .models import SendLog, Survey

SECTION = "lifecycle"


def _iso(value):
    return value.isoformat() if value else None


def lifecycle_export(member):
    sends = SendLog.objects.filter(member=member).order_by("sent_at", "pk").values_list("kind", "sent_at")
    surveys = Survey.objects.filter(member=member).select_related("order").order_by("sent_at", "pk")
    return {
        "emails_sent": [{"kind": kind, "sent_at": _iso(at)} for kind, at in sends],
        "surveys": [{"survey": s.type, "order": str(s.order) if s.order else None, "sent_at": _iso(s.sent_at),
                     "score": s.score, "answered_at": _iso(s.answered_at), "comment": s.comment} for s in surveys],
    }


def lifecycle_erase(member):
    SendLog.objects.filter(member=member).delete()
    Survey.objects.filter(member=member).update(member=None, comment="", follow_up_note="")


@receiver(member_data_requested, dispatch_uid="lifecycle_export")
def export_lifecycle(sender, member, **kwargs):
    return SECTION, lifecycle_export(member)


@receiver(member_deleting, dispatch_uid="lifecycle_delete")
def forget_lifecycle(sender, member, **kwargs):
    lifecycle_erase(member)
