"""Reads of moderation: whether a member is suspended, the queue of every kind, the log."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from . import registry
from .models import ModerationLog, Report, Suspension

QUEUE_LIMIT = 100  # rows of each kind, and open reports, read at once; the heading gives the total
HIDDEN_LIMIT = 20  # recently hidden items offered for restoring


def is_member(user):
    return bool(user is not None and user.is_authenticated and user.is_active and not getattr(user, "deleted_at", None))


def is_suspended(user):
    """True while a suspension of `user` runs, anywhere on the site. One query, remembered on the
    user object. Staff are never suspended (take away their staff status first)."""
    if not is_member(user) or user.is_staff:
        return False
    cached = getattr(user, "_moderation_suspended", None)
    if cached is None:
        cached = running_suspensions().filter(member=user).exists()
        user._moderation_suspended = cached
    return cached


def running_suspensions():
    return Suspension.objects.filter(until__gt=timezone.now(), lifted_at__isnull=True)


def suspension_current(member):
    return running_suspensions().filter(member=member).order_by("-until").first()


@dataclass
class QueueRow:
    kind: registry.ModerationKind
    item: Any
    preview: registry.Preview
    reports: list = field(default_factory=list)
    since: datetime | None = None  # the oldest report, or when a waiting item was written

    @property
    def key(self):
        return f"{self.kind.code}:{self.item.pk}"

    @property
    def reasons(self):
        return ", ".join(dict.fromkeys(str(report.get_reason_display()) for report in self.reports))


def _content_types():
    """{kind code: content type} of every registered kind (cached by Django after the first)."""
    return {kind.code: ContentType.objects.get_for_model(kind.model) for kind in registry.kinds()}


def open_reports(*, kind=None, reason=None, older_than=None):
    reports = Report.objects.filter(resolved_at__isnull=True).select_related("reporter").order_by("created_at", "pk")
    types = _content_types()
    if kind is not None:
        reports = reports.filter(content_type=types[kind.code])
    else:
        reports = reports.filter(content_type__in=list(types.values()))
    if reason:
        reports = reports.filter(reason=reason)
    if older_than is not None:
        reports = reports.filter(created_at__lte=timezone.now() - older_than)
    return reports


def moderation_queue(*, kind=None, reason=None, older_than=None, limit=QUEUE_LIMIT):
    """The reported and waiting items of every kind (or one), oldest first: a list of QueueRow,
    and the totals (open reports, waiting items). One query for the reports, one per kind for the
    reported items and one per kind for the waiting items, whatever the number of rows."""
    types = _content_types()
    by_type = {ct.pk: registry.get(code) for code, ct in types.items()}
    reports = open_reports(kind=kind, reason=reason, older_than=older_than)
    report_total = reports.count()
    rows = {}
    wanted = {}
    report_list = list(reports[:limit])
    for report in report_list:
        wanted.setdefault(report.content_type_id, set()).add(report.object_id)
    items = {}
    for type_id, ids in wanted.items():
        found_kind = by_type[type_id]
        for pk, item in found_kind.queryset().in_bulk(list(ids)).items():
            items[(found_kind.code, pk)] = item
    for report in report_list:
        found_kind = by_type[report.content_type_id]
        item = items.get((found_kind.code, report.object_id))
        if item is None:  # gone since: nothing to act on
            continue
        row = rows.get((found_kind.code, item.pk))
        if row is None:
            row = rows[(found_kind.code, item.pk)] = QueueRow(found_kind, item, found_kind.preview(item), since=report.created_at)
        row.reports.append(report)
    waiting_total = 0
    if not reason:  # waiting items have no reason
        for each in [kind] if kind else registry.kinds():
            waiting = each.waiting()
            if older_than is not None:
                waiting = waiting.filter(**{f"{each.age_field}__lte": timezone.now() - older_than})
            waiting_total += waiting.count()
            for item in waiting[:limit]:
                preview = each.preview(item)
                row = rows.get((each.code, item.pk))
                if row is None:
                    rows[(each.code, item.pk)] = QueueRow(each, item, preview, since=preview.created_at)
                else:
                    row.since = min(row.since, preview.created_at)
    ordered = sorted(rows.values(), key=lambda row: (row.since, row.kind.code, row.item.pk))
    return ordered, report_total, waiting_total


def recently_hidden(limit=HIDDEN_LIMIT):
    """The latest items hidden by a moderator that are still hidden, with the log entry that hid
    them: [(QueueRow, log entry)]. One query for the log, one per kind for the items."""
    types = _content_types()
    by_type = {ct.pk: registry.get(code) for code, ct in types.items()}
    entries = list(ModerationLog.objects.filter(action="hide", content_type__in=list(types.values()))
                   .select_related("actor").order_by("-created_at", "-pk")[:limit * 3])
    wanted = {}
    for entry in entries:
        wanted.setdefault(entry.content_type_id, set()).add(entry.object_id)
    items = {}
    for type_id, ids in wanted.items():
        for pk, item in by_type[type_id].queryset().in_bulk(list(ids)).items():
            items[(type_id, pk)] = item
    seen, rows = set(), []
    for entry in entries:
        key = (entry.content_type_id, entry.object_id)
        item = items.get(key)
        if key in seen or item is None:
            continue
        seen.add(key)
        found_kind = by_type[entry.content_type_id]
        preview = found_kind.preview(item)
        if preview.hidden and not preview.deleted:
            rows.append((QueueRow(found_kind, item, preview, since=entry.created_at), entry))
        if len(rows) >= limit:
            break
    return rows


def moderation_log(*, kind=None, action=None, query=None):
    """The log across kinds, newest first, with what its rows show joined in."""
    entries = ModerationLog.objects.select_related("actor", "member", "content_type").order_by("-created_at", "-pk")
    if kind == "member":
        entries = entries.filter(content_type__isnull=True)
    elif kind is not None:
        entries = entries.filter(content_type=ContentType.objects.get_for_model(kind.model))
    if action:
        entries = entries.filter(action=action)
    if query:
        from django.db.models import Q

        entries = entries.filter(Q(detail__icontains=query) | Q(item_title__icontains=query)
                                 | Q(member__username__icontains=query) | Q(actor__username__icontains=query))
    return entries
