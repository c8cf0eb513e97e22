"""Who works on loyalty redemption in the Wagtail admin. Checks raise PermissionDenied with a
translated reason; `can_*` are their boolean twins (core.permissions.allows).

- The loyalty report, its CSV exports (codes included) and the codes list: active superusers, or
  staff with `referrals.view_loyalty_report` (the "Referral staff" group has it, migration 0008).
- A manual points adjustment: active superusers, or staff with `referrals.adjust_points`. Money-like,
  so no group has it by default: an administrator grants it to the people who should.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from core.permissions import allows

REPORT = "referrals.view_loyalty_report"
ADJUST = "referrals.adjust_points"


def _active(user):
    return bool(user is not None and user.is_authenticated and user.is_active and not getattr(user, "deleted_at", None))


def _staff_with(user, permission):
    return user.is_superuser or (user.is_staff and user.has_perm(permission))


def check_loyalty_report(user):
    if not _active(user):
        raise PermissionDenied(_("Sign in as loyalty staff to see this."))
    if not _staff_with(user, REPORT):
        raise PermissionDenied(_("Only loyalty staff can see the loyalty report and the discount codes."))


def check_adjust_points(user):
    if not _active(user):
        raise PermissionDenied(_("Sign in as staff to do this."))
    if not _staff_with(user, ADJUST):
        raise PermissionDenied(_("Only staff allowed to adjust points can do this."))


can_see_loyalty_report = allows(check_loyalty_report)
can_adjust_points = allows(check_adjust_points)
