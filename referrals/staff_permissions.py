"""Who works on referrals in the Wagtail admin. Each rule is a check raising PermissionDenied with a
translated reason, with its boolean `can_*` twin (core.permissions.allows).

- Reviewing flagged referrals (approve / reject): active superusers, or staff with
  `referrals.review_referral`.
- The funnel report: active superusers, or staff with `referrals.view_referral_report`.
The "Referral staff" group (migration 0002) holds both, the view permissions of the read-only
lists and access to the admin; `staff_grant(member)` puts someone in it."""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from core.permissions import allows

REVIEW = "referrals.review_referral"
REPORT = "referrals.view_referral_report"
STAFF_GROUP = "Referral staff"


def _active(user):
    return bool(user is not None and user.is_authenticated and user.is_active and not getattr(user, "deleted_at", None))


def _staff_with(user, permission):
    return user.is_superuser or (user.is_staff and user.has_perm(permission))


def check_review(user):
    if not _active(user):
        raise PermissionDenied(_("Sign in as referral staff to do this."))
    if not _staff_with(user, REVIEW):
        raise PermissionDenied(_("Only referral staff can review flagged referrals."))


def check_report(user):
    if not _active(user):
        raise PermissionDenied(_("Sign in as referral staff to see this."))
    if not _staff_with(user, REPORT):
        raise PermissionDenied(_("Only referral staff can see the referral report."))


can_review = allows(check_review)
can_report = allows(check_report)


def staff_grant(member):
    """Make `member` referral staff: staff, in the "Referral staff" group."""
    if not member.is_staff:
        member.is_staff = True
        member.save(update_fields=["is_staff"])
    group, _created = Group.objects.get_or_create(name=STAFF_GROUP)
    member.groups.add(group)
    for cache in ("_perm_cache", "_group_perm_cache", "_user_perm_cache"):
        member.__dict__.pop(cache, None)
    return member
