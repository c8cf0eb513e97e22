"""Writes of moderation. Apps' own services call log_add / reports_resolve / author_notify when a
moderator acts on their items (so every kind logs, closes reports and tells the author the same
way); the queue calls the kinds' actions through item_hide / item_restore / item_approve."""

from datetime import timedelta

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import registry
from .models import ModerationLog, Report, Resolution, Suspension
from .permissions import MODERATORS_GROUP
from .selectors import running_suspensions


def _item_fields(item):
    if item is None:
        return {}
    fields = {"content_type": ContentType.objects.get_for_model(item), "object_id": item.pk}
    kind = registry.kind_for_model(type(item))
    if kind is not None:
        preview = kind.preview(item)
        fields.update(item_title=str(preview.title)[:200], item_url=str(preview.url)[:500])
    else:
        fields.update(item_title=str(item)[:200],
                      item_url=str(item.get_absolute_url())[:500] if hasattr(item, "get_absolute_url") else "")
    return fields


def log_add(actor, action, *, item=None, member=None, detail=""):
    """Append one entry to the moderation log. `item` is any model instance (a registered kind's
    item, or another row such as a forum topic); `action` a code with a label in the registry."""
    return ModerationLog.objects.create(actor=actor, action=action, member=member, detail=str(detail)[:300],
                                        **_item_fields(item))


def report_create(reporter, item, *, reason, details=""):
    """Report an item once while the report is open (the constraint decides, not a check first).
    Returns the report, or None if this member's report of the item is already waiting."""
    try:
        with transaction.atomic():
            return Report.objects.create(content_type=ContentType.objects.get_for_model(item), object_id=item.pk,
                                         reporter=reporter, reason=reason, details=details)
    except IntegrityError:
        return None


def reports_resolve(actor, item, resolution):
    """Close every open report of `item`; returns how many."""
    return Report.objects.filter(content_type=ContentType.objects.get_for_model(item), object_id=item.pk,
                                 resolved_at__isnull=True).update(resolved_at=timezone.now(), resolved_by=actor,
                                                                  resolution=resolution)


@transaction.atomic
def report_dismiss(actor, report):
    """Close an open report without acting on the item. False (and nothing logged) if another
    moderator closed it first."""
    closed = Report.objects.filter(pk=report.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor, resolution=Resolution.DISMISSED)
    if closed:
        kind = registry.kind_for_model(report.content_type.model_class())
        item = kind.queryset().filter(pk=report.object_id).first() if kind else None
        log_add(actor, "dismiss_report", item=item, member=kind.author(item) if item is not None else None,
                detail=report.get_reason_display())
    return bool(closed)


def author_notify(entry):
    """After commit, tell the author of the item of log entry `entry` what a moderator did."""
    from .tasks import moderation_notify

    if entry.actor_id is None:
        return
    transaction.on_commit(lambda: moderation_notify.enqueue(entry.pk))


# --- the queue's actions, through the kinds ---------------------------------------------------

def item_hide(actor, kind, item, reason=""):
    return kind.hide(actor, item, reason)


def item_restore(actor, kind, item, reason=""):
    return kind.restore(actor, item, reason)


def item_approve(actor, kind, item):
    return kind.approve(actor, item)


# --- suspensions ------------------------------------------------------------------------------

@transaction.atomic
def member_suspend(actor, member, *, days, reason):
    suspension = Suspension.objects.create(member=member, until=timezone.now() + timedelta(days=days), reason=reason,
                                           created_by=actor)
    member._moderation_suspended = True
    log_add(actor, "suspend", member=member, detail=f"{days} d: {reason}")
    return suspension


@transaction.atomic
def member_unsuspend(actor, member):
    """Lift the member's running suspension(s); returns how many. Saved one by one, so that
    whatever shows what a member may do hears of it (post_save)."""
    lifted = 0
    now = timezone.now()
    for suspension in running_suspensions().filter(member=member).select_for_update():
        suspension.lifted_at = now
        suspension.save(update_fields=["lifted_at"])
        lifted += 1
    if lifted:
        member._moderation_suspended = False
        log_add(actor, "unsuspend", member=member)
    return lifted


# --- moderators -------------------------------------------------------------------------------

def moderators_group():
    """The "Moderators" group (the migration makes it), with the moderation permission."""
    group, _created = Group.objects.get_or_create(name=MODERATORS_GROUP)
    group.permissions.add(*Permission.objects.filter(
        codename__in=["moderate", "access_admin"], content_type__app_label__in=["moderation", "wagtailadmin"]))
    return group


def moderator_grant(member):
    """Make `member` a moderator: staff, in the Moderators group."""
    if not member.is_staff:
        member.is_staff = True
        member.save(update_fields=["is_staff"])
    member.groups.add(moderators_group())
    for cache in ("_perm_cache", "_group_perm_cache", "_user_perm_cache", "_moderation_permitted"):
        member.__dict__.pop(cache, None)
    return member
